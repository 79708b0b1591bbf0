import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { testRouteInputSchema, type TestRouteInput } from '../../../../electron/contract/route-check-schema.js';
import type { Domain } from '../../../../electron/contract/settings-schema.js';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import { RouteTestResult } from '../domains/route-test-result.js';
import { StepActions } from './step-actions.js';

/**
 * Step 3 (may be skipped): a dry run to the saved mail server (domains.testRoute): connect, greeting,
 * STARTTLS, MAIL FROM, RCPT TO, never DATA. The result says which step failed, with the server's reply.
 */
export function RouteTestStep(props: { titleId: string; domain: Domain; onBack: () => void; onNext: () => void }) {
  const [recipient, setRecipient] = useState('');
  const [reason, setReason] = useState<string | undefined>();
  const test = useMutation({ mutationFn: (input: TestRouteInput) => callApi('domains.testRoute', input) });
  const fallback = `postmaster@${props.domain.name}`;
  const server = props.domain.destinations[0];
  const hint = `Empty = ${fallback}. The server is asked whether it would accept mail for this address; no message is sent.`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (test.isPending || !server) return;
    const input = { destination: server, recipient: recipient.trim() || fallback };
    const parsed = testRouteInputSchema.safeParse(input);
    if (parsed.success) {
      setReason(undefined);
      test.mutate(input);
      return;
    }
    const issues = parsed.error.issues;
    setReason((issues.find((issue) => issue.path[0] === 'recipient') ?? issues[0])?.message);
    document.getElementById('setup-recipient')?.focus();
  };

  return (
    <form className="domain-form setup-step" aria-labelledby={props.titleId} noValidate onSubmit={submit}>
      <p>
        Checks that MX Spool can reach <strong>{server ? `${server.host}:${server.port}` : 'the mail server'}</strong> and that it would take mail for {props.domain.name}. You can skip this and test later on the Domains screen.
      </p>
      <FormField id="setup-recipient" label="Recipient address to test (optional)" error={reason} hint={hint}>
        <input {...controlProps('setup-recipient', reason, hint)} inputMode="email" value={recipient} placeholder={fallback} autoComplete="off" spellCheck={false} onChange={(event) => setRecipient(event.target.value)} />
      </FormField>
      <StepActions onBack={props.onBack}>
        <button type="submit" className={test.isSuccess ? undefined : 'primary'} aria-disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Test the route'}
        </button>
        <button type="button" className={test.isSuccess ? 'primary' : undefined} onClick={props.onNext}>
          {test.isSuccess ? 'Next' : 'Skip this step'}
        </button>
      </StepActions>
      <div role="status" aria-live="polite">
        {test.isPending ? (
          <p className="route-progress">
            <progress aria-label="Testing the route" /> Testing {server?.host}:{server?.port}… A server that does not answer can take until the delivery timeout.
          </p>
        ) : null}
      </div>
      {test.isError ? <ErrorNotice error={test.error} action="Testing the route" /> : null}
      {test.isSuccess ? <RouteTestResult result={test.data} recipient={test.variables.recipient} /> : null}
    </form>
  );
}
