import type { Settings } from '../../../../electron/contract/settings-schema.js';
import { CheckField } from '../../ui/check-field.js';
import type { FieldErrors } from '../../ui/field-errors.js';
import { smtpServerDraft, smtpServerInput, STORED_PASSWORD_HINT, type SmtpServerDraft } from '../../ui/smtp-server-draft.js';
import { TlsModeField } from '../../ui/tls-mode-field.js';
import { SettingsSection } from './settings-section.js';
import { TextField } from './text-field.js';
import { useSettingsSection } from './use-settings-section.js';

interface BounceRelayDraft extends SmtpServerDraft {
  enabled: boolean;
}

function fromSettings(settings: Settings): BounceRelayDraft {
  return { enabled: settings.bounceRelay.enabled, ...smtpServerDraft(settings.bounceRelay) };
}

function toPatch(draft: BounceRelayDraft) {
  // The fields show the saved login, so both emptied means "remove it": null (leaving `auth` out would keep it).
  const server = smtpServerInput(draft);
  return { bounceRelay: { enabled: draft.enabled, ...server, auth: server.auth ?? null } };
}

/** The engine only finds a missing host when it sends a bounce (SETTINGS_INVALID then): catch it while saving. */
function check(draft: BounceRelayDraft): FieldErrors {
  return draft.enabled && draft.host.trim() === '' ? { 'bounceRelay.host': 'Enter the relay host or turn the relay off' } : {};
}

const fieldPaths = ['enabled', 'host', 'port', 'tls', 'verifyCertificate', 'auth.user', 'auth.pass'].map((key) => `bounceRelay.${key}`);

/** Where bounces (delivery failure reports to senders) go out through. */
export function BounceRelaySection(props: { settings: Settings }) {
  const state = useSettingsSection(props.settings, { fromSettings, toPatch, check });
  const { draft, setDraft, errors } = state;
  const id = (key: string) => `settings-relay-${key}`;
  return (
    <SettingsSection
      id="settings-relay"
      title="Bounce relay"
      description="When mail cannot be delivered, MX Spool tells its sender. Many internet providers block outgoing port 25: then send these reports through your provider's mail relay (smarthost)."
      saveLabel="Save bounce relay settings"
      state={state}
      fieldPaths={fieldPaths}
    >
      <CheckField id={id('enabled')} label="Send bounces through a relay" checked={draft.enabled} hint="Off: bounces go straight to the sender's mail server." onChange={(enabled) => setDraft({ ...draft, enabled })} />
      <TextField id={id('host')} label="Relay host" value={draft.host} error={errors['bounceRelay.host']} hint="e.g. smtp.your-provider.net" onChange={(host) => setDraft({ ...draft, host })} />
      <TextField id={id('port')} label="Relay port" inputMode="numeric" value={draft.port} error={errors['bounceRelay.port']} hint="25, or 587 for submission with a user name." onChange={(port) => setDraft({ ...draft, port })} />
      <TlsModeField id={id('tls')} value={draft.tls} error={errors['bounceRelay.tls']} onChange={(tls) => setDraft({ ...draft, tls })} />
      <CheckField id={id('verify')} label="Verify the relay's certificate" checked={draft.verifyCertificate} onChange={(verifyCertificate) => setDraft({ ...draft, verifyCertificate })} />
      <TextField id={id('user')} label="Relay user name (optional)" value={draft.authUser} error={errors['bounceRelay.auth.user']} onChange={(authUser) => setDraft({ ...draft, authUser })} />
      <TextField
        id={id('pass')}
        label="Relay password"
        type="password"
        value={draft.authPass}
        error={errors['bounceRelay.auth.pass']}
        {...(draft.passwordStored && draft.authPass === '' ? { hint: STORED_PASSWORD_HINT } : {})}
        onChange={(authPass) => setDraft({ ...draft, authPass })}
      />
    </SettingsSection>
  );
}
