import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { routeHref } from '../../ui/route.js';
import { ReceivingBanner } from '../dashboard/receiving-banner.js';
import { listenerAdvice } from '../settings/listener-advice.js';
import { StepActions } from './step-actions.js';

/**
 * Step 6: whether MX Spool receives now, live (listener.status): the address and port, or why not with
 * what to do, or Resume when paused. Finish marks the setup done either way: a port problem is solved in
 * Server settings, not here.
 */
export function ReceivingStep(props: { titleId: string; finishing: boolean; onBack: () => void; onFinish: () => void }) {
  const summary = useQuery({ queryKey: ['stats.summary', {}], queryFn: () => callApi('stats.summary', {}) });
  useLiveRefresh(['listener.status'], ['stats.summary']);
  const listener = summary.data?.listener;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!props.finishing) props.onFinish();
  };

  let status;
  if (summary.isPending) status = <p role="status">Checking the listener…</p>;
  else if (summary.isError) status = <ErrorNotice error={summary.error} action="Reading the listener status" />;
  else if (listener?.listening)
    status = (
      <div role="status" className="notice-ok" data-testid="setup-listener">
        <p>
          <strong>
            Receiving mail on {listener.address}:{listener.port}.
          </strong>
        </p>
        <p>Other mail servers can deliver as soon as your router forwards port 25 to this computer&apos;s port {listener.port} and your MX records name this computer.</p>
      </div>
    );
  else if (listener?.error)
    status = (
      <div role="alert" className="error-notice" data-testid="setup-listener">
        <p>
          <strong>MX Spool cannot receive mail:</strong> <code>{listener.error}</code>
        </p>
        <p>{listenerAdvice(listener.error)}</p>
        <p>
          Go back to choose another port, or change it later in <a href={routeHref('settings')}>Server settings</a>.
        </p>
      </div>
    );
  else if (listener && (listener.paused || listener.waitingForDomain)) status = <ReceivingBanner listener={listener} showSetupLink={false} />;
  else status = <p role="status">Starting to receive…</p>;

  return (
    <form className="domain-form setup-step" aria-labelledby={props.titleId} noValidate onSubmit={submit}>
      {status}
      <p>The dashboard shows this too, with the queue of each domain.</p>
      <StepActions onBack={props.onBack} busy={props.finishing ? 'Finishing…' : undefined}>
        <button type="submit" className="primary" aria-disabled={props.finishing}>
          Finish
        </button>
      </StepActions>
    </form>
  );
}
