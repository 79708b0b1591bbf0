import type { ApiOutput } from '../../../../electron/contract/api-contract.js';
import type { Settings } from '../../../../electron/contract/settings-schema.js';
import type { FieldErrors } from '../../ui/field-errors.js';
import { requiredNumber } from '../../ui/form-numbers.js';
import { listenerAdvice } from './listener-advice.js';
import { SettingsSection } from './settings-section.js';
import { TextField } from './text-field.js';
import { useSettingsSection } from './use-settings-section.js';

export type ListenerStatus = ApiOutput<'stats.summary'>['listener'];

const MIB = 1024 * 1024; // the schema's size limit is in bytes (35 MiB); admins think in MB

interface ListenerDraft {
  host: string;
  port: string;
  hostname: string;
  maxMessageMb: string;
  /** The saved value, sent back unchanged when the MB text was not touched (MB text rounds to 3 decimals). */
  savedMaxMessageBytes: number;
  maxRecipients: string;
  tlsCertFile: string;
  tlsKeyFile: string;
}

const megabytes = (bytes: number) => String(Number((bytes / MIB).toFixed(3)));

function fromSettings(settings: Settings): ListenerDraft {
  const listener = settings.listener;
  return {
    host: listener.host,
    port: String(listener.port),
    hostname: listener.hostname,
    maxMessageMb: megabytes(listener.maxMessageBytes),
    savedMaxMessageBytes: listener.maxMessageBytes,
    maxRecipients: String(listener.maxRecipients),
    tlsCertFile: listener.tlsCertFile,
    tlsKeyFile: listener.tlsKeyFile,
  };
}

/** Only the fields this form shows: the connection limits and timeouts it does not show stay as they are. */
function toPatch(draft: ListenerDraft) {
  const untouched = draft.maxMessageMb.trim() === megabytes(draft.savedMaxMessageBytes);
  return {
    listener: {
      host: draft.host.trim(),
      port: requiredNumber(draft.port),
      hostname: draft.hostname.trim(),
      maxMessageBytes: untouched ? draft.savedMaxMessageBytes : Math.round(requiredNumber(draft.maxMessageMb) * MIB),
      maxRecipients: requiredNumber(draft.maxRecipients),
      tlsCertFile: draft.tlsCertFile.trim(),
      tlsKeyFile: draft.tlsKeyFile.trim(),
    },
  };
}

/** The schema's byte limits (1024 B to 1 GiB) in the unit the field shows. */
function reword(errors: FieldErrors): FieldErrors {
  const size = errors['listener.maxMessageBytes'];
  if (!size || size === 'Enter a number') return errors;
  return { ...errors, 'listener.maxMessageBytes': 'Enter a size from 0.001 to 1024 MB' };
}

const fieldPaths = ['host', 'port', 'hostname', 'maxMessageBytes', 'maxRecipients', 'tlsCertFile', 'tlsKeyFile'].map((key) => `listener.${key}`);

/** Where MX Spool receives mail, with whether it does right now and what to do when it cannot. */
export function ListenerSection(props: { settings: Settings; status: ListenerStatus | undefined; statusFailed: boolean }) {
  const state = useSettingsSection(props.settings, { fromSettings, toPatch, reword, alsoRefresh: ['stats.summary'] }); // the engine restarts the listener
  const { draft, setDraft, errors } = state;
  const status = props.status;
  const id = (key: string) => `settings-listener-${key}`;
  const problem = status?.error ?? null;
  const configured = `${props.settings.listener.host}:${props.settings.listener.port}`;
  const statusText = !status
    ? props.statusFailed
      ? 'The listener status cannot be read right now.'
      : 'Checking the listener…'
    : status.listening
      ? `Receiving mail on ${status.address ?? props.settings.listener.host}:${status.port ?? props.settings.listener.port}.`
      : `Not receiving mail on ${configured}${problem ? ': see the problem beside the port.' : ': the listener is stopped.'}`;
  const savedText = status?.listening ? `Saved. ${statusText}` : 'Saved, but MX Spool is not receiving mail: see beside the port.';

  return (
    <SettingsSection
      id="settings-listener"
      title="Listener"
      description="Where MX Spool receives mail from the internet. Saving restarts the listener."
      saveLabel="Save listener settings"
      state={state}
      fieldPaths={fieldPaths}
      savedText={savedText}
      top={
        <p role="status" className={status && !status.listening ? 'listener-status listener-down' : 'listener-status listener-up'} data-testid="listener-status">
          {statusText}
        </p>
      }
    >
      <TextField id={id('host')} label="Listen address" value={draft.host} error={errors['listener.host']} hint="0.0.0.0 = all of this computer's addresses." onChange={(host) => setDraft({ ...draft, host })} />
      <TextField
        id={id('port')}
        label="Port"
        inputMode="numeric"
        value={draft.port}
        error={errors['listener.port']}
        {...(problem ? { describedBy: 'settings-listener-problem' } : { hint: '25 is where other mail servers deliver.' })}
        after={
          problem ? (
            <div id="settings-listener-problem" className="listener-problem" role="alert">
              <strong>The listener cannot start:</strong> <code>{problem}</code>
              <p>{listenerAdvice(problem)}</p>
            </div>
          ) : null
        }
        onChange={(port) => setDraft({ ...draft, port })}
      />
      <TextField id={id('hostname')} label="Host name in the greeting" value={draft.hostname} error={errors['listener.hostname']} hint="Empty = this computer's name. Best: the name your backup MX record points to." onChange={(hostname) => setDraft({ ...draft, hostname })} />
      <TextField id={id('size')} label="Message size limit (MB)" inputMode="decimal" value={draft.maxMessageMb} error={errors['listener.maxMessageBytes']} onChange={(maxMessageMb) => setDraft({ ...draft, maxMessageMb })} />
      <TextField id={id('recipients')} label="Recipients per message" inputMode="numeric" value={draft.maxRecipients} error={errors['listener.maxRecipients']} onChange={(maxRecipients) => setDraft({ ...draft, maxRecipients })} />
      <TextField id={id('cert')} label="TLS certificate file (PEM)" value={draft.tlsCertFile} error={errors['listener.tlsCertFile']} hint="Empty = a self-signed certificate made at first start." onChange={(tlsCertFile) => setDraft({ ...draft, tlsCertFile })} />
      <TextField id={id('key')} label="TLS key file (PEM)" value={draft.tlsKeyFile} error={errors['listener.tlsKeyFile']} onChange={(tlsKeyFile) => setDraft({ ...draft, tlsKeyFile })} />
    </SettingsSection>
  );
}
