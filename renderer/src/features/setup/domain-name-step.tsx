import { useState, type FormEvent } from 'react';
import type { Domain } from '../../../../electron/contract/settings-schema.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import { validateDomainDraft, type DomainDraft } from '../domains/domain-draft.js';
import { StepActions } from './step-actions.js';

const hint = 'The office domain, e.g. example.com: the part after @ in your addresses.';

/** Step 1: the domain's name, checked with the contract's own rule (domainSchema), reason beside the field. */
export function DomainNameStep(props: { titleId: string; draft: DomainDraft; existing: readonly Domain[]; onChange: (draft: DomainDraft) => void; onNext: (name: string) => void }) {
  const [error, setError] = useState<string | undefined>();
  const name = props.draft.name.trim();
  const known = props.existing.find((domain) => domain.name.toLowerCase() === name.toLowerCase());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const reason = validateDomainDraft(props.draft).errors.name;
    setError(reason);
    if (reason) document.getElementById('setup-name')?.focus();
    else props.onNext(name);
  };
  return (
    <form className="domain-form setup-step" aria-labelledby={props.titleId} noValidate onSubmit={submit}>
      <p>MX Spool keeps the mail of this domain while your office mail server is down, and forwards it when the server is back.</p>
      <FormField id="setup-name" label="Domain name" error={error} hint={hint}>
        <input
          {...controlProps('setup-name', error, hint)}
          value={props.draft.name}
          autoComplete="off"
          spellCheck={false}
          placeholder="example.com"
          onChange={(event) => {
            props.onChange({ ...props.draft, name: event.target.value });
            if (error) setError(validateDomainDraft({ ...props.draft, name: event.target.value }).errors.name);
          }}
        />
      </FormField>
      {known ? <p className="hint">{known.name} is set up already: the next step changes its first mail server and keeps its other settings.</p> : null}
      <StepActions>
        <button type="submit" className="primary">
          Next
        </button>
      </StepActions>
    </form>
  );
}
