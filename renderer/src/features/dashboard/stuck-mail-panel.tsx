import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { DiagnosisCause } from '../../../../electron/contract/diagnosis-schema.js';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { formatTime } from '../../ui/format-time.js';

/**
 * "Why is mail stuck?": a button that opens a region with the engine's diagnosis of the domain's recent
 * attempts (diagnosis.domain). Read only while open, and again after each delivery attempt.
 */
export function StuckMailPanel(props: { domain: string }) {
  const [open, setOpen] = useState(false);
  const regionId = `${useId().replace(/[^a-zA-Z0-9-]/g, '')}-why`;
  return (
    <div className="stuck-mail">
      <button type="button" aria-expanded={open} aria-controls={regionId} onClick={() => setOpen((value) => !value)}>
        Why is mail stuck?
      </button>
      <div id={regionId} role="region" aria-label={`Why mail for ${props.domain} is stuck`} hidden={!open}>
        {open ? <Diagnosis domain={props.domain} /> : null}
      </div>
    </div>
  );
}

function Diagnosis(props: { domain: string }) {
  const diagnosis = useQuery({ queryKey: ['diagnosis.domain', { domain: props.domain }], queryFn: () => callApi('diagnosis.domain', { domain: props.domain }) });
  useLiveRefresh(['attempt.made'], ['diagnosis.domain']);
  if (diagnosis.isPending) return <p role="status">Reading the recent delivery attempts…</p>;
  if (diagnosis.isError) return <ErrorNotice error={diagnosis.error} action="Reading the diagnosis" />;
  const data = diagnosis.data;
  const failures = data.causes.filter((cause) => cause.category !== 'delivered');
  return (
    <div className="diagnosis">
      <p data-testid="diagnosis-summary" className="diagnosis-summary">
        {data.summary}
      </p>
      {data.attempts > 0 && data.oldest && data.newest ? (
        <p className="hint">
          From the {data.attempts} most recent attempt{data.attempts === 1 ? '' : 's'}, {formatTime(data.oldest)} to {formatTime(data.newest)}.
        </p>
      ) : null}
      {failures.length > 0 ? (
        <ul className="causes">
          {failures.map((cause) => (
            <CauseItem key={cause.category} cause={cause} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function CauseItem({ cause }: { cause: DiagnosisCause }) {
  const reply = cause.example.response ?? cause.example.errorCode;
  return (
    <li className="cause" data-category={cause.category}>
      <h3>
        {cause.title} <small className="hint">({cause.share})</small>
      </h3>
      <p>{cause.explanation}</p>
      <p data-testid="cause-fix">
        <strong>What to do:</strong> {cause.fix}
      </p>
      {cause.sourceAddresses.length > 0 ? <p className="hint">Sent from our address{cause.sourceAddresses.length === 1 ? '' : 'es'} {cause.sourceAddresses.join(', ')}</p> : null}
      {reply ? (
        <>
          <p className="hint">
            Latest reply, from {cause.example.destination} at {formatTime(cause.example.time)}:
          </p>
          <pre className="reply">{reply}</pre>
        </>
      ) : null}
    </li>
  );
}
