import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ListenerStatus } from '../../../../electron/contract/app-schema.js';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { routeHref } from '../../ui/route.js';

/**
 * Why MX Spool is not receiving when it is on purpose: paused by the admin (tray menu or here), with
 * Resume; or waiting for the first domain, with where to add one. Nothing otherwise. On the dashboard and
 * the setup's last step.
 */
export function ReceivingBanner(props: { listener: ListenerStatus; showSetupLink?: boolean }) {
  const queryClient = useQueryClient();
  const resume = useMutation({
    mutationFn: () => callApi('listener.resume', {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['stats.summary'] }),
  });
  const { listener } = props;
  if (listener.paused) {
    return (
      <div className="receiving-banner" data-testid="receiving-banner">
        <p>
          <strong>Receiving is paused.</strong> Other mail servers cannot connect now; they keep the mail and try again later. Mail already queued is still delivered.
        </p>
        <button type="button" className="primary" aria-disabled={resume.isPending} onClick={() => !resume.isPending && resume.mutate()}>
          {resume.isPending ? 'Resuming…' : 'Resume receiving'}
        </button>
        {resume.isError ? <ErrorNotice error={resume.error} action="Resuming" /> : null}
      </div>
    );
  }
  if (listener.waitingForDomain) {
    return (
      <div className="receiving-banner" data-testid="receiving-banner">
        <p>
          <strong>Receiving starts when you add your first domain.</strong> Until then MX Spool accepts no connections, so it never takes mail it has nowhere to forward.
        </p>
        {props.showSetupLink === false ? (
          <p>
            <a href={routeHref('domains', { add: '1' })}>Add a domain</a> on the Domains screen.
          </p>
        ) : (
          <p>
            <a href={routeHref('setup')}>Run the setup</a> or <a href={routeHref('domains', { add: '1' })}>add a domain</a>.
          </p>
        )}
      </div>
    );
  }
  return null;
}
