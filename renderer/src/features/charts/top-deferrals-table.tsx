import type { ApiInput, ApiOutput } from '../../../../electron/contract/api-contract.js';
import type { AttemptPeriod } from './attempt-period.js';
import { ChartError } from './chart-error.js';
import { localTimeLabel } from './local-time-label.js';
import { outcomeColours } from './outcome-colours.js';
import { periodInput, usePeriodStats } from './use-period-stats.js';

type Replies = ApiOutput<'stats.topDeferrals'>['replies'];

const LIMIT = 10;

/**
 * The replies that made deliveries wait, most frequent first. The reply is shown exactly as received
 * (preformatted, wrapped, never trimmed): it is what the admin pastes to the office server's provider.
 */
export function TopDeferralsTable(props: { period: AttemptPeriod; domain: string }) {
  const { period, domain } = props;
  const input: ApiInput<'stats.topDeferrals'> = { ...periodInput(period, domain), limit: LIMIT };
  const { valid, query: deferrals } = usePeriodStats('stats.topDeferrals', input, period);

  return (
    <section className="chart-section" aria-labelledby="deferrals-title">
      <h2 id="deferrals-title">Most frequent deferral replies</h2>
      {!valid ? (
        <p className="hint">Choose a valid period above to see the replies.</p>
      ) : deferrals.isPending ? (
        <p role="status">Loading the deferral replies…</p>
      ) : deferrals.isError ? (
        <ChartError error={deferrals.error} action="Loading the deferral replies" onRetry={() => void deferrals.refetch()} />
      ) : deferrals.data.replies.length === 0 ? (
        <p className="chart-empty">No deferred delivery attempts in this period.</p>
      ) : (
        <RepliesTable replies={deferrals.data.replies} />
      )}
    </section>
  );
}

function RepliesTable(props: { replies: Replies }) {
  const most = Math.max(1, ...props.replies.map((reply) => reply.count));
  return (
    <table className="numbers-table deferrals-table" data-testid="top-deferrals-table">
      <caption>The {LIMIT} most frequent replies of deferred attempts in the period, with the domains that got them</caption>
      <thead>
        <tr>
          <th scope="col">Attempts</th>
          <th scope="col">Code</th>
          <th scope="col">Reply as received</th>
          <th scope="col">Domains</th>
          <th scope="col">Last seen</th>
        </tr>
      </thead>
      <tbody>
        {props.replies.map((reply, index) => (
          <tr key={index}>
            <td className="count-cell">
              {reply.count}
              {/* The bar repeats the number for the eye; screen readers have the number. */}
              <span className="count-bar" aria-hidden="true" style={{ width: `${(reply.count / most) * 100}%`, background: outcomeColours.deferred }} />
            </td>
            <td>
              {reply.code ?? '—'}
              {reply.enhancedCode ? <span className="enhanced-code"> {reply.enhancedCode}</span> : null}
            </td>
            <td>
              <pre className="reply-text" data-testid="deferral-reply">
                {reply.reply}
              </pre>
            </td>
            <td>{reply.domains.join(', ')}</td>
            <td>{localTimeLabel(reply.lastSeen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
