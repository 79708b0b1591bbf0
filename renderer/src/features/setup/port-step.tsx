import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { settingsPatchSchema } from '../../../../electron/contract/settings-schema.js';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { fieldErrorsFromApi, fieldErrorsOf } from '../../ui/field-errors.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import { numberReasons, requiredNumber } from '../../ui/form-numbers.js';
import { StepActions } from './step-actions.js';

const hint = 'Usually 25. Another port (e.g. 2525) only when 25 is taken or needs administrator rights here.';

/**
 * Step 5: the port MX Spool receives on (settings.update listener.port), saved only when changed, since
 * saving restarts the listener. The engine's reason for a refused port lands beside the field.
 */
export function PortStep(props: { titleId: string; onBack: () => void; onNext: () => void }) {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['settings.get', {}], queryFn: () => callApi('settings.get', {}) });
  const [typed, setTyped] = useState<string | null>(null);
  const [reason, setReason] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: (port: number) => callApi('settings.update', { listener: { port } }),
    onSuccess: async () => {
      await Promise.all(['settings.get', 'stats.summary'].map((method) => queryClient.invalidateQueries({ queryKey: [method] })));
      props.onNext();
    },
    onError: (error) => {
      const apiReason = fieldErrorsFromApi(error)['listener.port'];
      if (apiReason) {
        setReason(apiReason);
        document.getElementById('setup-listen-port')?.focus();
      }
    },
  });
  const saved = settings.data?.listener.port;
  const value = typed ?? (saved === undefined ? '' : String(saved));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending || saved === undefined) return;
    const port = requiredNumber(value);
    const parsed = settingsPatchSchema.safeParse({ listener: { port } }, { error: numberReasons });
    const found = parsed.success ? undefined : fieldErrorsOf(parsed.error)['listener.port'];
    setReason(found);
    if (found) document.getElementById('setup-listen-port')?.focus();
    else if (port === saved) props.onNext();
    else save.mutate(port);
  };

  return (
    <form className="domain-form setup-step" aria-labelledby={props.titleId} noValidate onSubmit={submit}>
      <p>Mail servers on the internet deliver to port 25, and only to port 25: that is where MX Spool must be reachable.</p>
      <p>
        On your router, forward TCP port 25 from the internet to this computer, at the port chosen here, and allow it through this computer&apos;s firewall. Without that, nothing
        reaches MX Spool even though it is running.
      </p>
      {settings.isPending ? <p role="status">Loading the settings…</p> : null}
      {settings.isError ? <ErrorNotice error={settings.error} action="Loading the settings" /> : null}
      {save.isError && !fieldErrorsFromApi(save.error)['listener.port'] ? <ErrorNotice error={save.error} action="Saving the port" /> : null}
      <FormField id="setup-listen-port" label="Receive mail on port" error={reason} hint={hint}>
        <input
          {...controlProps('setup-listen-port', reason, hint)}
          className="narrow"
          inputMode="numeric"
          value={value}
          disabled={saved === undefined}
          onChange={(event) => {
            setTyped(event.target.value);
            if (reason) setReason(undefined);
          }}
        />
      </FormField>
      <StepActions onBack={props.onBack} busy={save.isPending ? 'Saving…' : undefined}>
        <button type="submit" className="primary" aria-disabled={save.isPending || saved === undefined}>
          Save and continue
        </button>
      </StepActions>
    </form>
  );
}
