import { useState, type FormEvent } from 'react';
import { DnsCheck } from '../domains/dns-check.js';
import { StepActions } from './step-actions.js';

/** Step 4 (may be skipped): the domain's MX records, where this spool should be listed after the office server. */
export function DnsStep(props: { titleId: string; name: string; onBack: () => void; onNext: () => void }) {
  const [checked, setChecked] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onNext();
  };
  return (
    <form className="domain-form setup-step" aria-labelledby={props.titleId} noValidate onSubmit={submit}>
      <p>
        Other mail servers find this spool through the MX records of {props.name}: the office server first (lowest preference), this computer&apos;s name second. The records are set
        where the domain is registered; changes can take hours to be seen.
      </p>
      <DnsCheck id="setup-dns" name={props.name} onChecked={() => setChecked(true)} />
      <StepActions onBack={props.onBack}>
        <button type="submit" className={checked ? 'primary' : undefined}>
          {checked ? 'Next' : 'Skip this step'}
        </button>
      </StepActions>
    </form>
  );
}
