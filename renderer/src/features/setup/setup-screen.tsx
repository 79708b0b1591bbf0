import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Domain } from '../../../../electron/contract/settings-schema.js';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { routeHref } from '../../ui/route.js';
import { draftFromDomain, type DomainDraft } from '../domains/domain-draft.js';
import { DnsStep } from './dns-step.js';
import { DomainNameStep } from './domain-name-step.js';
import { MailServerStep } from './mail-server-step.js';
import { PortStep } from './port-step.js';
import { ReceivingStep } from './receiving-step.js';
import { RouteTestStep } from './route-test-step.js';
import { setupSteps, stepProgress } from './setup-steps.js';
import '../domains/domains.css';
import './setup.css';

const titleId = 'setup-step-title';

/**
 * The first-run setup (#/setup): a domain, its mail server, a route test and a DNS check (both may be
 * skipped), the listening port, then whether MX Spool receives. Finishing or "Skip setup" marks it done
 * (settings.setup.done), so the app stops opening here; About can open it again. Each step's heading takes
 * the focus, so a screen reader announces "Step 2 of 6" and Tab starts at the step's first field.
 */
export function SetupScreen(_props: { params: Record<string, string> }) {
  const queryClient = useQueryClient();
  const domains = useQuery({ queryKey: ['domains.list', {}], queryFn: () => callApi('domains.list', {}) });
  const summary = useQuery({ queryKey: ['stats.summary', {}], queryFn: () => callApi('stats.summary', {}) });
  const [index, setIndex] = useState(0);
  const [draft, setDraft] = useState<DomainDraft>(() => draftFromDomain(undefined));
  /** The domain the draft started from (one set up before), so its other settings are kept. */
  const [base, setBase] = useState<Domain | undefined>();
  const [saved, setSaved] = useState<Domain | undefined>();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, [index]);

  const done = useMutation({
    mutationFn: () => callApi('settings.update', { setup: { done: true } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['settings.get'] });
      window.location.hash = routeHref('dashboard');
    },
  });

  const step = setupSteps[index] ?? setupSteps[0];
  const back = () => setIndex((current) => Math.max(0, current - 1));
  const next = () => setIndex((current) => Math.min(setupSteps.length - 1, current + 1));

  const nameChosen = (name: string) => {
    const existing = domains.data?.items.find((domain) => domain.name.toLowerCase() === name.toLowerCase());
    if (existing?.name.toLowerCase() !== base?.name.toLowerCase()) {
      setDraft({ ...draftFromDomain(existing), name: existing?.name ?? draft.name });
      setBase(existing);
    }
    next();
  };

  let body;
  switch (step.id) {
    case 'domain':
      body = <DomainNameStep titleId={titleId} draft={draft} existing={domains.data?.items ?? []} onChange={setDraft} onNext={nameChosen} />;
      break;
    case 'server':
      body = (
        <MailServerStep
          titleId={titleId}
          draft={draft}
          onChange={setDraft}
          onBack={back}
          onSaved={(domain) => {
            setSaved(domain);
            setBase(domain);
            next();
          }}
        />
      );
      break;
    case 'route':
      body = saved ? <RouteTestStep titleId={titleId} domain={saved} onBack={back} onNext={next} /> : null;
      break;
    case 'dns':
      body = <DnsStep titleId={titleId} name={saved?.name ?? draft.name.trim()} onBack={back} onNext={next} />;
      break;
    case 'port':
      body = <PortStep titleId={titleId} onBack={back} onNext={next} />;
      break;
    case 'receive':
      body = <ReceivingStep titleId={titleId} finishing={done.isPending} onBack={back} onFinish={() => done.mutate()} />;
      break;
  }

  return (
    <section className="setup-screen" aria-labelledby="setup-title">
      <div className="screen-header">
        <h1 id="setup-title">Set up MX Spool</h1>
        <button type="button" aria-disabled={done.isPending} onClick={() => !done.isPending && done.mutate()}>
          Skip setup
        </button>
      </div>
      {summary.data?.listener.waitingForDomain ? (
        <p className="hint" data-testid="setup-waiting">
          Receiving does not start before a domain exists: until you save one in step 2, MX Spool accepts no connections.
        </p>
      ) : null}
      {done.isError ? <ErrorNotice error={done.error} action="Saving that the setup is done" /> : null}
      <ol className="setup-progress" aria-label="Setup steps">
        {setupSteps.map((entry, position) => (
          <li key={entry.id} aria-current={position === index ? 'step' : undefined} className={position < index ? 'step-done' : undefined}>
            {entry.title}
            {entry.optional ? <span className="hint"> (optional)</span> : null}
          </li>
        ))}
      </ol>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        <span className="setup-count">{stepProgress(index)}:</span> {step.title}
      </h2>
      {body}
    </section>
  );
}
