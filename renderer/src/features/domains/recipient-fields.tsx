import type { FieldErrors } from '../../ui/field-errors.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import { errorAt } from './domain-draft.js';

/** Wildcard or a list: a list lets MX Spool refuse unknown recipients at once instead of bouncing later. */
const hint = 'A name (alice) or a full address (alice@example.com). Mail for anyone else is refused.';

export function RecipientFields(props: {
  idPrefix: string;
  acceptAll: boolean;
  text: string;
  errors: FieldErrors;
  onAcceptAllChange: (acceptAll: boolean) => void;
  onTextChange: (text: string) => void;
}) {
  const id = `${props.idPrefix}-recipients`;
  const error = errorAt(props.errors, 'recipients');
  return (
    <fieldset>
      <legend>Recipients</legend>
      <label className="check">
        <input type="radio" name={`${id}-mode`} checked={props.acceptAll} onChange={() => props.onAcceptAllChange(true)} />
        Accept all recipients
      </label>
      <label className="check">
        <input type="radio" name={`${id}-mode`} checked={!props.acceptAll} onChange={() => props.onAcceptAllChange(false)} />
        Accept only the recipients listed
      </label>
      {props.acceptAll ? null : (
        <FormField id={id} label="Recipients, one per line" error={error} hint={hint}>
          <textarea
            {...controlProps(id, error, hint)}
            rows={5}
            spellCheck={false}
            value={props.text}
            onChange={(event) => props.onTextChange(event.target.value)}
          />
        </FormField>
      )}
    </fieldset>
  );
}
