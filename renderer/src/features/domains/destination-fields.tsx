import { CheckField } from '../../ui/check-field.js';
import type { FieldErrors } from '../../ui/field-errors.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import { STORED_PASSWORD_HINT } from '../../ui/smtp-server-draft.js';
import { TlsModeField } from '../../ui/tls-mode-field.js';
import type { DestinationDraft } from './domain-draft.js';
import { RouteTest } from './route-test.js';

/** One entry of the Mail Server Settings: where the domain's mail goes, with its place in the order. */
export function DestinationFields(props: {
  idPrefix: string;
  /** The domain as typed in the form: the route test suggests postmaster@ it. */
  domainName: string;
  /** delivery.socketTimeoutSeconds, when the settings are loaded. */
  timeoutSeconds: number | undefined;
  index: number;
  count: number;
  value: DestinationDraft;
  errors: FieldErrors;
  onChange: (next: DestinationDraft) => void;
  onMove: (offset: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { index, value, errors } = props;
  const path = `destinations.${index}`;
  const id = (field: string) => `${props.idPrefix}-destination-${index}-${field}`;
  const error = (field: string) => errors[`${path}.${field}`];
  // Shown while the stored password is kept: an empty field with no word of why would look like a lost password.
  const passHint = value.passwordStored && value.authPass === '' ? STORED_PASSWORD_HINT : undefined;
  const set = (patch: Partial<DestinationDraft>) => props.onChange({ ...value, ...patch });
  const number = index + 1;
  return (
    <fieldset className="destination">
      <legend>
        Mail server {number}
        {index > 0 ? <span className="hint"> (tried when server {index} cannot be reached)</span> : null}
      </legend>
      <div className="field-row">
        <FormField id={id('host')} label="Host name or IP address" error={error('host')}>
          <input {...controlProps(id('host'), error('host'))} value={value.host} autoComplete="off" spellCheck={false} placeholder="mail.example.com or 192.168.1.10" onChange={(event) => set({ host: event.target.value })} />
        </FormField>
        <FormField id={id('port')} label="Port" error={error('port')}>
          <input {...controlProps(id('port'), error('port'))} className="narrow" inputMode="numeric" value={value.port} onChange={(event) => set({ port: event.target.value })} />
        </FormField>
      </div>
      <TlsModeField id={id('tls')} value={value.tls} error={error('tls')} onChange={(tls) => set({ tls })} />
      <CheckField
        id={id('verify')}
        label="Verify the server's certificate"
        checked={value.verifyCertificate}
        hint="Leave this off when the office server uses a self-signed certificate, as most do."
        onChange={(verifyCertificate) => set({ verifyCertificate })}
      />
      <div className="field-row even">
        <FormField id={id('user')} label="User name (optional)" error={error('auth.user')}>
          <input {...controlProps(id('user'), error('auth.user'))} value={value.authUser} autoComplete="off" onChange={(event) => set({ authUser: event.target.value })} />
        </FormField>
        <FormField id={id('pass')} label="Password" error={error('auth.pass')} {...(passHint ? { hint: passHint } : {})}>
          <input
            {...controlProps(id('pass'), error('auth.pass'), passHint)}
            type="password"
            value={value.authPass}
            placeholder={value.passwordStored ? '(stored)' : undefined}
            autoComplete="new-password"
            onChange={(event) => set({ authPass: event.target.value })}
          />
        </FormField>
      </div>
      {/* aria-disabled, not disabled: the button pressed keeps the focus when it becomes unusable (first place, last one). */}
      <div className="row-actions">
        <button type="button" aria-disabled={index === 0} onClick={() => index > 0 && props.onMove(-1)} aria-label={`Move mail server ${number} up`}>
          Move up
        </button>
        <button type="button" aria-disabled={index === props.count - 1} onClick={() => index < props.count - 1 && props.onMove(1)} aria-label={`Move mail server ${number} down`}>
          Move down
        </button>
        <button type="button" aria-disabled={props.count === 1} onClick={() => props.count > 1 && props.onRemove()} aria-label={`Remove mail server ${number}`}>
          Remove
        </button>
      </div>
      <RouteTest id={id('test')} number={number} destination={value} domainName={props.domainName} timeoutSeconds={props.timeoutSeconds} />
    </fieldset>
  );
}
