import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ApiOutput } from '../../../../electron/contract/api-contract.js';
import type { Domain } from '../../../../electron/contract/settings-schema.js';
import { CheckField } from '../../ui/check-field.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { keepStillFailing, type FieldErrors } from '../../ui/field-errors.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import { NotSavedReasons } from '../../ui/not-saved-reasons.js';
import { DnsCheck } from './dns-check.js';
import { draftFromDomain, isShownAtField, validateDomainDraft, type DomainDraft } from './domain-draft.js';
import { MailServerList } from './mail-server-list.js';
import { RecipientFields } from './recipient-fields.js';
import { RetryOverrideFields, type ServerDefaults } from './retry-override-fields.js';
import { useSaveDomain } from './use-save-domain.js';

export type DomainSaveResult = ApiOutput<'domains.save'>;

/**
 * Add or edit one domain. Checked with the contract's domainSchema on submit, then again on every blur,
 * so each reason sits beside its field; the engine's own reasons (INVALID_INPUT issues) land there too.
 */
export function DomainForm(props: {
  domain: Domain | undefined;
  defaults: ServerDefaults | undefined;
  onSaved: (result: DomainSaveResult) => void;
  onCancel: () => void;
}) {
  const idPrefix = useId().replace(/[^a-zA-Z0-9-]/g, ''); // React's ids contain characters CSS selectors would need escaped
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<DomainDraft>(() => draftFromDomain(props.domain));
  const [attempted, setAttempted] = useState(false);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const { save, apiErrors, setApiErrors, requestFocus } = useSaveDomain(formRef, (result) => props.onSaved(result));
  const editing = props.domain !== undefined;

  const change = (next: DomainDraft, options: { structural?: boolean } = {}) => {
    setDraft(next);
    // Moving or removing a server shifts the indices the reasons are keyed by: recheck at once.
    if (options.structural && attempted) {
      setClientErrors(validateDomainDraft(next).errors);
      setApiErrors({});
    } else if (attempted) {
      setClientErrors((shown) => keepStillFailing(shown, validateDomainDraft(next).errors));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    setAttempted(true);
    setApiErrors({});
    const { input, errors } = validateDomainDraft(draft);
    setClientErrors(errors);
    if (Object.keys(errors).length > 0) requestFocus();
    else save.mutate(input);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onCancel();
    }
  };

  const errors = { ...apiErrors, ...clientErrors };
  const elsewhere = Object.entries(errors).filter(([path]) => !isShownAtField(path) || (draft.acceptAllRecipients && path.startsWith('recipients')));
  const apiFieldErrors = Object.keys(apiErrors).length > 0;
  const nameId = `${idPrefix}-name`;
  const nameHint = editing ? 'To rename a domain, remove it and add the new name.' : 'The office domain, e.g. example.com.';

  return (
    <form ref={formRef} className="domain-form" aria-labelledby={`${idPrefix}-title`} noValidate onSubmit={submit} onKeyDown={onKeyDown} onBlur={() => attempted && setClientErrors(validateDomainDraft(draft).errors)}>
      <h2 id={`${idPrefix}-title`}>{props.domain ? `Edit ${props.domain.name}` : 'Add a domain'}</h2>
      {save.isError && !apiFieldErrors ? <ErrorNotice error={save.error} action="Saving the domain" /> : null}
      <NotSavedReasons reasons={elsewhere} />
      <FormField id={nameId} label="Domain name" error={errors.name} hint={nameHint}>
        <input {...controlProps(nameId, errors.name, nameHint)} value={draft.name} readOnly={editing} autoFocus autoComplete="off" spellCheck={false} onChange={(event) => change({ ...draft, name: event.target.value })} />
      </FormField>
      <DnsCheck id={`${idPrefix}-dns`} name={draft.name} />
      <CheckField id={`${idPrefix}-enabled`} label="Enabled: accept mail for this domain" checked={draft.enabled} onChange={(enabled) => change({ ...draft, enabled })} />
      <MailServerList idPrefix={idPrefix} domainName={draft.name} timeoutSeconds={props.defaults?.socketTimeoutSeconds} value={draft.destinations} errors={errors} onChange={(destinations) => change({ ...draft, destinations }, { structural: destinations.length !== draft.destinations.length || destinations.some((d, i) => d.key !== draft.destinations[i]?.key) })} />
      <RecipientFields
        idPrefix={idPrefix}
        acceptAll={draft.acceptAllRecipients}
        text={draft.recipientsText}
        errors={errors}
        onAcceptAllChange={(acceptAllRecipients) => change({ ...draft, acceptAllRecipients })}
        onTextChange={(recipientsText) => change({ ...draft, recipientsText })}
      />
      <RetryOverrideFields idPrefix={idPrefix} draft={draft} defaults={props.defaults} errors={errors} onChange={(key, text) => change({ ...draft, [key]: text })} />
      <div className="form-actions">
        <button type="submit" className="primary" aria-disabled={save.isPending}>
          Save domain
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        {save.isPending ? <span role="status">Saving…</span> : null}
      </div>
    </form>
  );
}
