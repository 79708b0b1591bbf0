import { useRef, useState, type FormEvent } from 'react';
import type { Domain } from '../../../../electron/contract/settings-schema.js';
import { CheckField } from '../../ui/check-field.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { keepStillFailing, type FieldErrors } from '../../ui/field-errors.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import { NotSavedReasons } from '../../ui/not-saved-reasons.js';
import { TlsModeField } from '../../ui/tls-mode-field.js';
import { newDestinationDraft, validateDomainDraft, type DestinationDraft, type DomainDraft } from '../domains/domain-draft.js';
import { useSaveDomain } from '../domains/use-save-domain.js';
import { StepActions } from './step-actions.js';

const shownHere = /^destinations\.0\.(host|port|tls|verifyCertificate)$/;
const hostHint = 'The office server MX Spool forwards the mail to: its name or its address on your network.';
const portHint = '25 unless the office server receives on another port.';

/**
 * Step 2: where the domain's mail goes (its first mail server), saved with domains.save. The reasons are
 * the contract's (validateDomainDraft) before saving and the engine's after; a reason for a field this step
 * does not show (the name) is listed above the fields.
 */
export function MailServerStep(props: { titleId: string; draft: DomainDraft; onChange: (draft: DomainDraft) => void; onBack: () => void; onSaved: (domain: Domain) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [attempted, setAttempted] = useState(false);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const { save, apiErrors, setApiErrors, requestFocus } = useSaveDomain(formRef, (result) => props.onSaved(result.domain));
  const server = props.draft.destinations[0] ?? newDestinationDraft();

  const draftWith = (patch: Partial<DestinationDraft>): DomainDraft => ({ ...props.draft, destinations: [{ ...server, ...patch }, ...props.draft.destinations.slice(1)] });
  const change = (patch: Partial<DestinationDraft>) => {
    const next = draftWith(patch);
    props.onChange(next);
    if (attempted) setClientErrors((shown) => keepStillFailing(shown, validateDomainDraft(next).errors));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    setAttempted(true);
    setApiErrors({});
    const { input, errors: found } = validateDomainDraft(props.draft);
    setClientErrors(found);
    if (Object.keys(found).length > 0) requestFocus();
    else save.mutate(input);
  };

  const errors = { ...apiErrors, ...clientErrors };
  const error = (field: string) => errors[`destinations.0.${field}`];
  const elsewhere = Object.entries(errors).filter(([path]) => !shownHere.test(path));
  const apiFieldErrors = Object.keys(apiErrors).length > 0;
  return (
    <form ref={formRef} className="domain-form setup-step" aria-labelledby={props.titleId} noValidate onSubmit={submit} onBlur={() => attempted && setClientErrors(validateDomainDraft(props.draft).errors)}>
      <p>
        Mail for <strong>{props.draft.name.trim()}</strong> goes on to this server. More servers, recipients and retry settings can be added later on the Domains screen.
      </p>
      {save.isError && !apiFieldErrors ? <ErrorNotice error={save.error} action="Saving the domain" /> : null}
      <NotSavedReasons reasons={elsewhere} />
      <div className="field-row">
        <FormField id="setup-host" label="Host name or IP address" error={error('host')} hint={hostHint}>
          <input {...controlProps('setup-host', error('host'), hostHint)} value={server.host} autoComplete="off" spellCheck={false} placeholder="mail.example.com or 192.168.1.10" onChange={(event) => change({ host: event.target.value })} />
        </FormField>
        <FormField id="setup-port" label="Port" error={error('port')} hint={portHint}>
          <input {...controlProps('setup-port', error('port'), portHint)} className="narrow" inputMode="numeric" value={server.port} onChange={(event) => change({ port: event.target.value })} />
        </FormField>
      </div>
      <TlsModeField id="setup-tls" value={server.tls} error={error('tls')} onChange={(tls) => change({ tls })} />
      <CheckField
        id="setup-verify"
        label="Verify the server's certificate"
        checked={server.verifyCertificate}
        hint="Leave this off when the office server uses a self-signed certificate, as most do."
        onChange={(verifyCertificate) => change({ verifyCertificate })}
      />
      <StepActions onBack={props.onBack} busy={save.isPending ? 'Saving…' : undefined}>
        <button type="submit" className="primary" aria-disabled={save.isPending}>
          Save and continue
        </button>
      </StepActions>
    </form>
  );
}
