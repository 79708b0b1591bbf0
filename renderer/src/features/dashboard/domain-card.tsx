import type { ApiOutput } from '../../../../electron/contract/api-contract.js';
import { formatAge, formatTime } from '../../ui/format-time.js';

type DomainSummary = ApiOutput<'stats.summary'>['domains'][number];

const outcomeColour = { delivered: '#1a7f37', deferred: '#9a6700', bounced: '#cf222e' } as const;

/** One domain: what is waiting, since when, what its server said last, and "Retry now". */
export function DomainCard(props: { summary: DomainSummary; now: number; onRetry: () => void; retrying: boolean }) {
  const { summary, now } = props;
  const last = summary.lastAttempt;
  return (
    <article className="card" aria-labelledby={`domain-${summary.domain}`} data-domain={summary.domain}>
      <h2 id={`domain-${summary.domain}`}>{summary.domain}</h2>
      <dl>
        <dt>Queued</dt>
        <dd data-testid="queued">{summary.queued}</dd>
        <dt>Held</dt>
        <dd>{summary.held}</dd>
        <dt>Oldest</dt>
        <dd>{summary.oldestCreatedAt ? formatAge(now - Date.parse(summary.oldestCreatedAt)) : '—'}</dd>
        <dt>Next retry</dt>
        <dd>{summary.nextAttemptAt ? formatTime(summary.nextAttemptAt) : '—'}</dd>
        <dt>Last reply</dt>
        <dd data-testid="last-reply" style={{ color: last ? outcomeColour[last.outcome] : undefined }}>
          {last ? `${last.outcome}: ${last.response ?? ''}` : 'No delivery attempt yet'}
        </dd>
      </dl>
      <button type="button" onClick={props.onRetry} disabled={props.retrying || summary.queued === 0}>
        {props.retrying ? 'Retrying…' : 'Retry now'}
      </button>
    </article>
  );
}
