import type { Diagnosis } from '../../../../electron/contract/diagnosis-schema.js';
import type { AttemptRecord } from '../../../../electron/contract/report-schema.js';
import { formatTime } from '../../ui/format-time.js';
import { RefusedRecipientsNote } from '../reports/refused-recipients-note.js';
import { formatDuration } from './queue-format.js';

/**
 * Every delivery attempt of one message, oldest first, with what nodemailer reports about it: the stage
 * reached, the reply code, the RFC 3463 enhanced code and the reply exactly as the server sent it, and
 * under that reply the recipients refused at RCPT TO with their own replies, and what the reply means and
 * what to do (`diagnoses`, one per attempt in the same order).
 */
export function AttemptTimeline(props: { attempts: readonly AttemptRecord[]; diagnoses?: readonly Diagnosis[] | undefined }) {
  if (props.attempts.length === 0) return <p>No delivery attempt yet.</p>;
  return (
    <div className="drawer-table-wrap">
      <table className="attempt-timeline">
        <caption>Delivery attempts</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Destination</th>
            <th scope="col">Remote IP</th>
            <th scope="col">Stage</th>
            <th scope="col">Code</th>
            <th scope="col">Enhanced code</th>
            <th scope="col">Reply</th>
            <th scope="col">Duration</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {props.attempts.map((attempt, index) => (
            <tr key={`${attempt.time}-${index}`}>
              <td>{formatTime(attempt.time)}</td>
              <td>{attempt.destination}</td>
              <td>{attempt.remoteAddress ?? '—'}</td>
              <td>{attempt.stage}</td>
              <td>{attempt.code ?? '—'}</td>
              <td>{attempt.enhancedCode ?? '—'}</td>
              <td className="reply">
                {attempt.response ?? '—'}
                {attempt.errorCode ? <span className="error-code"> ({attempt.errorCode})</span> : null}
                <RefusedRecipientsNote refused={attempt.refusedRecipients} />
                <AttemptDiagnosis diagnosis={props.diagnoses?.[index]} />
              </td>
              <td className="number">{formatDuration(attempt.durationMs)}</td>
              <td>
                <span className={`outcome outcome-${attempt.outcome}`}>{attempt.outcome}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The attempt explained; nothing for a delivery, where the reply says it all. */
function AttemptDiagnosis(props: { diagnosis: Diagnosis | undefined }) {
  const { diagnosis } = props;
  if (!diagnosis || diagnosis.category === 'delivered') return null;
  return (
    <div className="attempt-diagnosis" data-testid="attempt-diagnosis">
      <strong className="diagnosis-title">{diagnosis.title}</strong>
      <p className="diagnosis-explanation">{diagnosis.explanation}</p>
      <p className="diagnosis-fix">
        <span className="diagnosis-label">Fix: </span>
        {diagnosis.fix}
      </p>
    </div>
  );
}
