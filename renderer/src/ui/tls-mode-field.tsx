import type { TlsMode } from '../../../electron/contract/settings-schema.js';
import { controlProps, FormField } from './form-field.js';

/** The three modes of tlsModeSchema, in the words an office admin decides by. */
const tlsModes: { mode: TlsMode; label: string; explanation: string }[] = [
  {
    mode: 'opportunistic',
    label: 'Use TLS when offered (recommended)',
    explanation: 'Encrypts with STARTTLS when the server offers it, and still delivers when it does not.',
  },
  {
    mode: 'required',
    label: 'Require TLS',
    explanation: 'Never sends without STARTTLS: mail waits in the queue while the server offers none.',
  },
  {
    mode: 'none',
    label: 'No TLS',
    explanation: 'Always sends unencrypted. Only for old servers whose TLS is broken.',
  },
];

/** A TLS mode select with the chosen mode explained beside it. */
export function TlsModeField(props: { id: string; value: TlsMode; error: string | undefined; onChange: (mode: TlsMode) => void }) {
  const explanation = tlsModes.find((entry) => entry.mode === props.value)?.explanation ?? '';
  return (
    <FormField id={props.id} label="Encryption (TLS)" error={props.error} hint={explanation}>
      <select {...controlProps(props.id, props.error, explanation)} value={props.value} onChange={(event) => props.onChange(event.target.value as TlsMode)}>
        {tlsModes.map((entry) => (
          <option key={entry.mode} value={entry.mode}>
            {entry.label}
          </option>
        ))}
      </select>
    </FormField>
  );
}
