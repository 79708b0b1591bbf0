import { useEffect } from 'react';
import type { ApiOutput } from '../../../../electron/contract/api-contract.js';
import { formatAge, formatTime } from '../../ui/format-time.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { routeHref } from '../../ui/route.js';
import { probeText, throttleLines } from './delivery-limits.js';
import { StuckMailPanel } from './stuck-mail-panel.js';

type DomainSummary = ApiOutput<'stats.summary'>['domains'][number];

const outcomeClass = { delivered: 'outcome-delivered', deferred: 'outcome-deferred', bounced: 'outcome-bounced' } as const;

/** One domain: what is waiting, since when, what its server said last, and "Retry now" with its progress. */
export function DomainCard(props: {
  summary: DomainSummary;
  now: number;
  onRetry: () => void;
  retrying: boolean;
  retried: number;
  /** The summary was read after the retry was sent, so `due` counts what is left of it. */
  fresh: boolean;
  onProgressDone: () => void;
}) {
  const { summary, now, retried, fresh, onProgressDone } = props;
  const last = summary.lastAttempt;
  const draining = retried > 0 && (!fresh || summary.due > 0);
  const limits = throttleLines(summary, now);
  const probe = probeText(summary.probe, now);
  useEffect(() => {
    if (retried > 0 && fresh && summary.due === 0) onProgressDone(); // every retried message was tried: delivered or rescheduled
  }, [retried, fresh, summary.due, onProgressDone]);
  return (
    <article className="card" aria-labelledby={`domain-${summary.domain}`} data-domain={summary.domain}>
      <h2 id={`domain-${summary.domain}`}>
        {summary.domain} {summary.enabled ? null : <small className="hint">(not a configured domain)</small>}
      </h2>
      <dl>
        <dt>Queued</dt>
        <dd>
          <a data-testid="queued" href={routeHref('queue', { domain: summary.domain })} aria-label={`${summary.queued} queued for ${summary.domain}: open in Queue`}>
            {summary.queued}
          </a>
        </dd>
        <dt>Held</dt>
        <dd>{summary.held}</dd>
        <dt>Oldest</dt>
        <dd>{summary.oldestCreatedAt ? formatAge(now - Date.parse(summary.oldestCreatedAt)) : '—'}</dd>
        <dt>Next retry</dt>
        <dd>{summary.nextAttemptAt ? formatTime(summary.nextAttemptAt) : '—'}</dd>
        <dt>Mail server</dt>
        <dd data-testid="reachable" className={summary.reachable === false ? 'outcome-bounced' : summary.reachable ? 'outcome-delivered' : undefined}>
          {reachability(summary)}
        </dd>
        {probe ? (
          <>
            <dt>Recovery</dt>
            <dd data-testid="probe">{probe}</dd>
          </>
        ) : null}
        {limits.length > 0 ? (
          <>
            <dt>Limits</dt>
            <dd>
              <ul className="throttle-list">
                {limits.map((line) => (
                  <li key={line.destination} data-testid="throttle" data-destination={line.destination}>
                    {(summary.destinations?.length ?? 0) > 1 ? <span className="hint">{line.destination}: </span> : null}
                    {line.text}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>Last reply</dt>
        <dd data-testid="last-reply" className={last ? outcomeClass[last.outcome] : undefined}>
          {last ? `${last.outcome}: ${last.response ?? last.errorCode ?? ''}` : 'No delivery attempt yet'}
        </dd>
      </dl>
      {draining ? <ProgressBar label={`Retrying ${summary.domain}`} done={fresh ? retried - summary.due : 0} total={retried} /> : null}
      <button type="button" onClick={props.onRetry} disabled={props.retrying || draining || summary.queued === 0}>
        {props.retrying || draining ? 'Retrying…' : 'Retry now'}
      </button>
      {summary.queued > 0 ? <StuckMailPanel domain={summary.domain} /> : null}
    </article>
  );
}

function reachability(summary: DomainSummary): string {
  if (summary.suspendedUntil) return `Not reachable; new mail waits until ${formatTime(summary.suspendedUntil)} (or Retry now)`;
  if (summary.reachable === null) return 'Not tried yet';
  return summary.reachable ? 'Reachable' : 'Not reachable at the last attempt';
}
