import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Domain } from '../../../../electron/contract/settings-schema.js';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { routeHref } from '../../ui/route.js';
import { DomainForm } from './domain-form.js';
import { removedMessage, savedMessage, toggledMessage } from './domain-messages.js';
import { DomainTable } from './domain-table.js';
import './domains.css';

type Mode = { kind: 'list' } | { kind: 'add' } | { kind: 'edit'; name: string };
interface Notice {
  text: string;
  queueOf?: string;
}

const affected = ['domains.list', 'settings.get', 'stats.summary'];

/**
 * The office domains MX Spool is a backup MX for, and where each one's mail goes. `#/domains?edit=name`
 * opens a domain's form and `#/domains?add=1` a new one, so other screens can link straight there.
 */
export function DomainsScreen(props: { params: Record<string, string> }) {
  const queryClient = useQueryClient();
  const domains = useQuery({ queryKey: ['domains.list', {}], queryFn: () => callApi('domains.list', {}) });
  const settings = useQuery({ queryKey: ['settings.get', {}], queryFn: () => callApi('settings.get', {}) });
  const summary = useQuery({ queryKey: ['stats.summary', {}], queryFn: () => callApi('stats.summary', {}) });
  useLiveRefresh(['queue.changed'], ['stats.summary']);

  const [mode, setMode] = useState<Mode>(() => modeFromParams(props.params));
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const section = useRef<HTMLElement>(null);

  const { edit, add } = props.params;
  // A link to #/domains?edit=… followed while this screen is open opens that form too.
  useEffect(() => {
    if (edit) setMode({ kind: 'edit', name: edit });
    else if (add) setMode({ kind: 'add' });
  }, [edit, add]);
  // Focus goes back to where the admin was (the row's button, or "Add domain") once the form or the
  // confirmation it came from is gone; set together with that change, so the element is rendered by now.
  useEffect(() => {
    if (!focusTarget) return;
    section.current?.querySelector<HTMLElement>(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const invalidate = () => Promise.all(affected.map((method) => queryClient.invalidateQueries({ queryKey: [method] })));
  const toggle = useMutation({
    mutationFn: ({ held: _held, ...domain }: Domain) => callApi('domains.save', { ...domain, enabled: !domain.enabled }), // held omitted = unchanged
    onSuccess: async (result) => {
      await invalidate();
      setNotice({ text: toggledMessage(result) });
    },
  });
  const remove = useMutation({
    mutationFn: (name: string) => callApi('domains.remove', { name }),
    onSuccess: async (result, name) => {
      await invalidate();
      setConfirming(null);
      setNotice({ text: removedMessage(name, result.queued), ...(result.queued > 0 ? { queueOf: name } : {}) });
      setFocusTarget('#add-domain'); // the row and its buttons are gone
    },
  });

  // A domain the summary does not list has nothing queued; without a summary the count is unknown.
  const queuedOf = (name: string) => (summary.data ? (summary.data.domains.find((entry) => entry.domain.toLowerCase() === name.toLowerCase())?.queued ?? 0) : undefined);
  const defaults = settings.data ? { retry: settings.data.retry, lifetimeDays: settings.data.queue.lifetimeDays, stuckMinutes: settings.data.alerts.stuckMinutes, socketTimeoutSeconds: settings.data.delivery.socketTimeoutSeconds } : undefined;
  const close = (target: string) => {
    setMode({ kind: 'list' });
    setFocusTarget(target);
  };
  const editTarget = (name: string) => `[data-edit="${CSS.escape(name)}"]`;

  let body;
  if (domains.isPending) body = <p role="status">Loading domains…</p>;
  else if (domains.isError) body = <ErrorNotice error={domains.error} action="Loading the domains" />;
  else if (mode.kind !== 'list') {
    const domain = mode.kind === 'edit' ? domains.data.items.find((item) => item.name.toLowerCase() === mode.name.toLowerCase()) : undefined;
    if (mode.kind === 'edit' && !domain) {
      body = (
        <p role="alert" className="error-notice">
          There is no domain {mode.name}: it may have been removed.{' '}
          <button type="button" onClick={() => close('#add-domain')}>
            Show all domains
          </button>
        </p>
      );
    } else
      body = (
        <DomainForm
          key={domain?.name ?? 'new'}
          domain={domain}
          defaults={defaults}
          onCancel={() => close(domain ? editTarget(domain.name) : '#add-domain')}
          onSaved={(result) => {
            setNotice({ text: savedMessage(result) });
            close(editTarget(result.domain.name));
          }}
        />
      );
  } else if (domains.data.items.length === 0) {
    body = <p className="empty">No domains yet. Add your office domain and its mail server: MX Spool then accepts the domain&apos;s mail whenever that server is down, and forwards it when the server is back.</p>;
  } else {
    body = (
      <DomainTable
        domains={domains.data.items}
        queuedOf={queuedOf}
        confirming={confirming}
        busy={toggle.isPending ? (toggle.variables?.name ?? null) : remove.isPending ? (remove.variables ?? null) : null}
        onEdit={(name) => {
          setNotice(null);
          setMode({ kind: 'edit', name });
        }}
        onToggle={(domain) => toggle.mutate(domain)}
        onAskRemove={(name) => {
          remove.reset();
          setConfirming(name);
        }}
        onRemove={(name) => remove.mutate(name)}
        onCancelRemove={() => {
          setFocusTarget(`[data-remove="${CSS.escape(confirming ?? '')}"]`);
          setConfirming(null);
        }}
      />
    );
  }

  return (
    <section ref={section} className="domains-screen" aria-labelledby="domains-title">
      <div className="screen-header">
        <h1 id="domains-title">Domains</h1>
        {mode.kind === 'list' ? (
          <button type="button" id="add-domain" className="primary" onClick={() => {
              setNotice(null);
              setMode({ kind: 'add' });
            }}
          >
            Add domain
          </button>
        ) : null}
      </div>
      <div role="status" className="notice-region">
        {notice ? (
          <p className="notice-ok">
            {notice.text} {notice.queueOf ? <a href={routeHref('queue', { domain: notice.queueOf })}>Open the queue for {notice.queueOf}</a> : null}
          </p>
        ) : null}
      </div>
      {toggle.isError ? <ErrorNotice error={toggle.error} action="Changing the domain" /> : null}
      {remove.isError ? <ErrorNotice error={remove.error} action="Removing the domain" /> : null}
      {body}
    </section>
  );
}

function modeFromParams(params: Record<string, string>): Mode {
  if (params.edit) return { kind: 'edit', name: params.edit };
  if (params.add) return { kind: 'add' };
  return { kind: 'list' };
}
