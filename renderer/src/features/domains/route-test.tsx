import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type KeyboardEvent } from 'react';
import { testRouteInputSchema, type TestRouteInput } from '../../../../electron/contract/route-check-schema.js';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import { smtpServerInput } from '../../ui/smtp-server-draft.js';
import type { DestinationDraft } from './domain-draft.js';
import { RouteTestResult } from './route-test-result.js';

const recipientHint = 'The server is asked whether it would accept mail for this address (RCPT TO); no message is sent.';
const senderHint = 'Sent as MAIL FROM. Empty = the null sender <>, as bounces use; enter a real outside address to see how the server treats one.';

/**
 * "Test" beside a mail server: a dry run of the route (domains.testRoute) with the values as typed, saved
 * or not. It can take until the engine's socket timeout when the server stays silent, so it says so.
 */
export function RouteTest(props: { id: string; number: number; destination: DestinationDraft; domainName: string; timeoutSeconds: number | undefined }) {
  const [open, setOpen] = useState(false);
  const [recipient, setRecipient] = useState<string | null>(null);
  const [sender, setSender] = useState('');
  const [senderReason, setSenderReason] = useState<string | undefined>();
  const [reason, setReason] = useState<string | undefined>();
  const [serverReason, setServerReason] = useState<string | undefined>();
  const toggle = useRef<HTMLButtonElement>(null);
  const test = useMutation({ mutationFn: (input: TestRouteInput) => callApi('domains.testRoute', input) });
  const domain = props.domainName.trim();
  const shownRecipient = recipient ?? (domain ? `postmaster@${domain}` : '');
  const inputId = `${props.id}-recipient`;
  const senderId = `${props.id}-sender`;
  const panelId = `${props.id}-panel`;

  const run = () => {
    if (test.isPending) return;
    const input = { destination: smtpServerInput(props.destination), recipient: shownRecipient.trim(), ...(sender.trim() ? { sender: sender.trim() } : {}) };
    const parsed = testRouteInputSchema.safeParse(input);
    const issues = parsed.success ? [] : parsed.error.issues;
    const recipientIssue = issues.find((issue) => issue.path[0] === 'recipient');
    const serverIssue = issues.find((issue) => issue.path[0] === 'destination');
    setReason(recipientIssue?.message);
    setSenderReason(issues.find((issue) => issue.path[0] === 'sender')?.message);
    setServerReason(serverIssue ? `Correct mail server ${props.number} first: ${serverIssue.message}.` : undefined);
    if (parsed.success) test.mutate(input);
  };

  const onEnter = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault(); // run the test, not the form's Save
      run();
    }
  };
  const onEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // close this test, not the whole form
      setOpen(false);
      toggle.current?.focus();
    }
  };

  return (
    <div className="route-test">
      <button type="button" ref={toggle} aria-expanded={open} aria-controls={panelId} aria-label={`Test mail server ${props.number}`} onClick={() => setOpen((value) => !value)}>
        Test
      </button>
      <div id={panelId} hidden={!open} className="route-test-panel" onKeyDown={onEscape}>
        {open ? (
          <>
            <FormField id={inputId} label="Recipient address to test" error={reason} hint={recipientHint}>
              <input {...controlProps(inputId, reason, recipientHint)} inputMode="email" value={shownRecipient} autoComplete="off" spellCheck={false} onChange={(event) => setRecipient(event.target.value)} onKeyDown={onEnter} />
            </FormField>
            <FormField id={senderId} label="Sender address (optional)" error={senderReason} hint={senderHint}>
              <input {...controlProps(senderId, senderReason, senderHint)} inputMode="email" value={sender} autoComplete="off" spellCheck={false} placeholder="<> (null sender)" onChange={(event) => setSender(event.target.value)} onKeyDown={onEnter} />
            </FormField>
            {serverReason ? (
              <p className="field-error" role="alert">
                {serverReason}
              </p>
            ) : null}
            <div className="row-actions">
              <button type="button" aria-disabled={test.isPending} onClick={run}>
                {test.isPending ? 'Testing…' : 'Start the test'}
              </button>
            </div>
            <div role="status" aria-live="polite">
              {test.isPending ? (
                <p className="route-progress">
                  <progress aria-label={`Testing mail server ${props.number}`} /> Testing {props.destination.host.trim()}:{props.destination.port.trim()}… A server that does not answer can take {waitText(props.timeoutSeconds)}.
                </p>
              ) : null}
            </div>
            {test.isError ? <ErrorNotice error={test.error} action="Testing the mail server" /> : null}
            {test.isSuccess ? <RouteTestResult result={test.data} recipient={test.variables.recipient} /> : null}
          </>
        ) : null}
      </div>
    </div>
  );
}

/** How long a silent server can keep the test waiting: the engine gives up after delivery.socketTimeoutSeconds. */
function waitText(seconds: number | undefined): string {
  if (seconds === undefined) return 'until the delivery timeout (Server settings)';
  return seconds < 120 ? `up to ${seconds} seconds` : `up to ${Math.round(seconds / 60)} minutes`;
}
