import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { FailureCategory } from '../../electron/contract/diagnosis-schema.js';
import type { AttemptStage, OutboundRow } from '../../electron/contract/report-schema.js';
import type { TlsMode } from '../../electron/contract/settings-schema.js';
import { retryDelayMs } from '../../electron/engine/queue/retry-schedule.js';
import { startEngine, type Harness } from '../support/engine-harness.js';
import { startFaultDestination, type DestinationFault, type FaultDestination } from '../support/fault-destination.js';
import { closedPort, sendRaw, startDestination, type TestDestination } from '../support/mail-peers.js';
import { selfSignedOfficeCertificate } from '../support/office-certificate.js';
import { waitFor } from '../support/temp-dir.js';

/**
 * Destination faults (issue 5): a real engine delivers to a real smtp-server on 127.0.0.1 that misbehaves in
 * one way per case. For each: the outcome of the first attempt (delivered, deferred with the exact reply in
 * the Outbound report, or bounced with a DSN at the bounce relay), nothing lost, and no retry storm over three
 * hours of the engine's (fake) clock with the fault still there; then the fault is cured and the rest goes.
 */

const MINUTE = 60_000;
/** Fake time the fault lasts: the default schedule tries at +0, +5 min, +95 min (random fixed at 0.5), then +185. */
const WINDOW_MS = 180 * MINUTE;
const STEP_MS = 5 * MINUTE;
const SENDER = 'sender@example.net';

type Outcome = 'delivered' | 'deferred' | 'bounced';

interface FaultCase {
  name: string;
  fault: DestinationFault;
  /** Nothing listens on the port: the connection is refused. */
  refused?: boolean;
  /** The destination offers STARTTLS with a self-signed certificate for mx.office.test. */
  serverTls?: boolean;
  tls?: TlsMode;
  verifyCertificate?: boolean;
  /** Recipients of each message; default two messages with one recipient each. */
  messages?: string[][];
  expect: {
    /** Per recipient, by its local part: `bad*` gets `bad`, every other one `outcome`. */
    outcome: Outcome;
    bad?: Outcome;
    stage: AttemptStage;
    /** The reply as the server sent it, exactly; a pattern for network and TLS errors (no reply). */
    response: string | RegExp;
    errorCode?: string | null;
    category?: FailureCategory;
    /** The outcome of the attempt as the Outbound report lists it, when it differs from `outcome`. */
    attemptOutcome?: Outcome;
    /** The server's reply each DSN must quote exactly (RFC 3464 Diagnostic-Code). */
    dsnReply?: string;
  };
  /** How the admin (or the server) cures it; default: the fault stops and "Retry now" is pressed. */
  heal?: 'verify-off';
}

const reply = (code: number, text: string) => ({ code, text });

const cases: FaultCase[] = [
  { name: 'connection refused', fault: { kind: 'none' }, refused: true, expect: { outcome: 'deferred', stage: 'connect', response: /ECONNREFUSED/, errorCode: 'ESOCKET', category: 'connection-refused' } },
  { name: 'accepted, then silent (no greeting)', fault: { kind: 'silent-greeting' }, expect: { outcome: 'deferred', stage: 'connect', response: /Greeting never received/, errorCode: 'ETIMEDOUT', category: 'connection-timeout' } },
  {
    name: 'greeting 421',
    fault: { kind: 'greeting', reply: reply(421, '4.3.2 Service shutting down, try again later') },
    expect: { outcome: 'deferred', stage: 'connect', response: '421 4.3.2 Service shutting down, try again later', category: 'server-shutting-down' },
  },
  {
    name: 'greeting 554 (no service): deferred, not bounced',
    fault: { kind: 'greeting', reply: reply(554, '5.3.2 No SMTP service here') },
    expect: { outcome: 'deferred', stage: 'connect', response: '554 5.3.2 No SMTP service here' },
  },
  { name: '451 at MAIL FROM', fault: { kind: 'mail', reply: reply(451, '4.3.0 Temporary local problem at MAIL') }, expect: { outcome: 'deferred', stage: 'mail', response: '451 4.3.0 Temporary local problem at MAIL', category: 'server-error' } },
  { name: '550 at MAIL FROM', fault: { kind: 'mail', reply: reply(550, '5.7.1 Sender refused by policy') }, expect: { outcome: 'bounced', stage: 'mail', response: '550 5.7.1 Sender refused by policy', dsnReply: '550 5.7.1 Sender refused by policy' } },
  { name: 'silent after MAIL FROM (socket timeout)', fault: { kind: 'silent-mail' }, expect: { outcome: 'deferred', stage: 'mail', response: /^Timeout: .*MAIL FROM/, errorCode: 'ETIMEDOUT', category: 'connection-timeout' } },
  {
    name: '450 at RCPT TO for every recipient',
    fault: { kind: 'rcpt', reply: reply(450, '4.2.1 Mailbox busy, try later') },
    expect: { outcome: 'deferred', stage: 'rcpt', response: '450 4.2.1 Mailbox busy, try later' },
  },
  {
    name: 'RCPT TO per recipient: 550 for one, 250 for the other',
    fault: { kind: 'rcpt', reply: reply(550, '5.1.1 <bad@example.com>: Recipient address rejected: User unknown'), only: /^bad/ },
    messages: [['good@example.com', 'bad@example.com'], ['other@example.com']],
    expect: {
      outcome: 'delivered',
      bad: 'bounced',
      stage: 'done',
      response: /^250 /,
      attemptOutcome: 'bounced',
      dsnReply: '550 5.1.1 <bad@example.com>: Recipient address rejected: User unknown',
    },
  },
  {
    name: '451 at the end of DATA',
    fault: { kind: 'data-end', reply: reply(451, '4.3.0 Queue file write error, try again') },
    expect: { outcome: 'deferred', stage: 'data', response: '451 4.3.0 Queue file write error, try again', category: 'server-error' },
  },
  {
    name: '554 at the end of DATA',
    fault: { kind: 'data-end', reply: reply(554, '5.6.0 Message content rejected') },
    expect: { outcome: 'bounced', stage: 'data', response: '554 5.6.0 Message content rejected', dsnReply: '554 5.6.0 Message content rejected' },
  },
  { name: 'connection cut mid-DATA', fault: { kind: 'cut-mid-data' }, expect: { outcome: 'deferred', stage: 'data', response: /closed|reset|ECONNRESET|EPIPE/i, category: 'connection-timeout' } },
  {
    name: 'STARTTLS offered, then 454',
    fault: { kind: 'starttls-reply', reply: reply(454, '4.7.0 TLS not available due to local problem') },
    serverTls: true,
    tls: 'opportunistic',
    expect: { outcome: 'deferred', stage: 'tls', response: '454 4.7.0 TLS not available due to local problem', category: 'tls-failure' },
  },
  {
    name: 'STARTTLS offered, then the handshake fails',
    fault: { kind: 'starttls-broken' },
    serverTls: true,
    tls: 'opportunistic',
    expect: { outcome: 'deferred', stage: 'tls', response: /^TLS handshake failed: wrong version number/, errorCode: 'ETLS', category: 'tls-failure' },
  },
  {
    name: 'certificate not valid for the destination (self-signed, issued to mx.office.test), verification on',
    fault: { kind: 'none' },
    serverTls: true,
    tls: 'required',
    verifyCertificate: true,
    expect: { outcome: 'deferred', stage: 'tls', response: /self-signed certificate/, errorCode: 'ETLS', category: 'tls-failure' },
    heal: 'verify-off',
  },
  {
    name: 'certificate not valid for the destination (self-signed, issued to mx.office.test), verification off',
    fault: { kind: 'none' },
    serverTls: true,
    tls: 'required',
    verifyCertificate: false,
    expect: { outcome: 'delivered', stage: 'done', response: /^250 / },
  },
];

let certificate: Promise<{ key: string; cert: string }> | null = null;

for (const fc of cases) {
  test(`destination fault: ${fc.name}`, async (t) => {
    const run = await setUp(t, fc);
    const { h, sink } = run;
    const messages = fc.messages ?? [['a@example.com'], ['b@example.com']];
    const ids = messages.map((_, index) => `<fault-${slug(fc.name)}-${index}@example.net>`);
    for (const [index, to] of messages.entries()) await sendRaw(h.smtpPort, { from: SENDER, to }, message(ids[index]!, to, index));
    const expectedOf = (address: string): Outcome => (address.startsWith('bad') && fc.expect.bad ? fc.expect.bad : fc.expect.outcome);

    // First attempt of the first message; the others are tried too, or (the server being unreachable) wait
    // for the end of the domain's suspension without a connection of their own.
    await waitFor(async () => (await outboundRows(h)).some((row) => row.messageId === ids[0]) && settled(h), 15_000, 'a first attempt');
    const firstRows = (await outboundRows(h)).filter((row) => row.errorCode !== 'ESUSPENDED');
    const first = firstRows.find((row) => row.messageId === ids[0]);
    assert.ok(first, 'the first message made a real attempt');
    assert.equal(first.stage, fc.expect.stage, `stage of ${JSON.stringify(first)}`);
    if (typeof fc.expect.response === 'string') assert.equal(first.response, fc.expect.response, 'the exact reply is recorded');
    else assert.match(first.response ?? '', fc.expect.response);
    if (typeof fc.expect.response === 'string') assert.equal(first.code, Number(fc.expect.response.slice(0, 3)));
    else if (fc.expect.stage !== 'done') assert.equal(first.code, null, 'no reply: no code');
    if (fc.expect.errorCode !== undefined) assert.equal(first.errorCode, fc.expect.errorCode);
    if (fc.expect.category) assert.equal(first.diagnosis?.category, fc.expect.category, first.diagnosis?.title);
    assert.equal(first.outcome, fc.expect.attemptOutcome ?? fc.expect.outcome);
    if (fc.expect.outcome === 'deferred') {
      const item = (await h.call('queue.list', { domain: 'example.com' })).items.find((entry) => entry.messageId === ids[0]);
      assert.ok(item, 'still queued');
      assert.equal(item.lastResponse, first.response, 'the queue shows the same reply');
    }
    await assertAccounted(run, messages, ids, expectedOf, 'after the first attempt');

    // The fault stays for WINDOW_MS of engine time: attempts follow the retry schedule, no storm.
    const probesBefore = probeCount(h);
    for (let elapsed = 0; elapsed < WINDOW_MS; elapsed += STEP_MS) {
      h.clock.advance(STEP_MS);
      await new Promise((resolve) => setTimeout(resolve, 10));
      await waitFor(() => settled(h), 15_000, 'attempts of this step finished');
    }
    await waitFor(() => quiet(h), 15_000, 'the last probe finished');
    const rows = await outboundRows(h);
    const network = rows.filter((row) => row.errorCode !== 'ESUSPENDED');
    const allowed = scheduledAttempts(WINDOW_MS);
    for (const id of ids) {
      const count = network.filter((row) => row.messageId === id).length;
      const final = fc.expect.outcome !== 'deferred' && (fc.expect.bad === undefined || fc.expect.bad !== 'deferred');
      assert.ok(count <= (final ? 1 : allowed), `${id}: ${count} attempts in ${WINDOW_MS / MINUTE} min, the schedule allows ${final ? 1 : allowed}`);
    }
    const probes = probeCount(h) - probesBefore;
    const connections = run.destination ? run.destination.connections : null;
    // A probe is one light connection per interval (fast recovery); everything else is a message attempt.
    assert.ok(probes <= WINDOW_MS / (2 * MINUTE) + 1, `probes: ${probes}`);
    if (connections !== null) {
      assert.ok(connections <= network.length + probes, `connections ${connections} <= attempts ${network.length} + probes ${probes}`);
    }
    await assertAccounted(run, messages, ids, expectedOf, 'at the end of the fault');

    // Cure the fault: everything still queued goes, once.
    const stillQueued = (await h.call('queue.list', { domain: 'example.com' })).total;
    if (fc.heal === 'verify-off') {
      await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: run.port, tls: fc.tls ?? 'none', verifyCertificate: false }] });
    } else {
      if (fc.refused) run.destination = await startFaultDestination({ port: run.port });
      if (run.destination) run.destination.fault = { kind: 'none' };
      await h.call('queue.retry', { domain: 'example.com' });
    }
    await waitFor(() => h.engine.spool.count === 0, 15_000, 'queue drained once the fault is cured');
    const delivered = run.destination?.messages ?? [];
    for (const [index, to] of messages.entries()) {
      for (const address of to) {
        const copies = delivered.filter((m) => m.messageId === ids[index] && m.to.includes(address)).length;
        const dsns = sink.messages.filter((m) => dsnFor(m.raw.toString(), address));
        for (const dsn of dsns) {
          assert.deepEqual([dsn.from, dsn.to], ['', [SENDER]], 'DSN from the null sender to the original sender');
          if (fc.expect.dsnReply) assert.ok(unfold(dsn.raw.toString()).includes(fc.expect.dsnReply), `the DSN quotes the exact reply: ${fc.expect.dsnReply}`);
        }
        if (expectedOf(address) === 'bounced') assert.deepEqual([copies, dsns.length], [0, 1], `${address}: bounced once, never delivered`);
        else assert.deepEqual([copies, dsns.length], [1, 0], `${address}: delivered exactly once`);
      }
    }
    if (fc.serverTls && fc.expect.outcome !== 'bounced') assert.ok(delivered.every((m) => m.secure), 'delivered over TLS');
    const figures = {
      case: fc.name,
      firstReply: first.response,
      // Attempts that reached the network, the first one included, over the first attempt plus 3 h of fault.
      attempts: network.length,
      messages: ids.length,
      allowedPerMessage: allowed,
      connections,
      probes,
      queuedAtEnd: stillQueued,
      deliveredAfterCure: delivered.length,
      dsns: sink.messages.length,
    };
    t.diagnostic(`figures ${JSON.stringify(figures)}`);
  });
}

interface Run {
  h: Harness;
  port: number;
  destination: FaultDestination | null;
  sink: TestDestination;
}

async function setUp(t: TestContext, fc: FaultCase): Promise<Run> {
  let destination: FaultDestination | null = null;
  let port: number;
  if (fc.refused) {
    port = await closedPort();
  } else {
    const tls = fc.serverTls ? await (certificate ??= selfSignedOfficeCertificate()) : undefined;
    destination = await startFaultDestination({ fault: fc.fault, ...(tls ? { tls } : {}) });
    port = destination.port;
  }
  const sink = await startDestination(); // the bounce relay: DSNs to senders outside our domains go here
  const h = await startEngine(t);
  const run: Run = { h, port, destination, sink };
  t.after(async () => {
    await h.stop();
    await run.destination?.close();
    await sink.close();
  });
  await h.call('settings.update', {
    // The socket timeout longer than the connect timeout, as by default (30 s, 300 s): with both at 1 s, a silent
    // greeting was reported by whichever of nodemailer's two timers fired first.
    delivery: { connectTimeoutSeconds: 1, socketTimeoutSeconds: 1.5 },
    bounceRelay: { enabled: true, host: '127.0.0.1', port: sink.port, tls: 'none' },
  });
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: fc.tls ?? 'none', verifyCertificate: fc.verifyCertificate ?? false }] });
  return run;
}

/**
 * Nothing lost: every recipient is delivered (at the destination), still queued for that recipient, or
 * bounced (a DSN naming it at the bounce relay), and as the case expects.
 */
async function assertAccounted(run: Run, messages: string[][], ids: string[], expectedOf: (address: string) => Outcome, when: string): Promise<void> {
  const { h, sink } = run;
  await waitFor(() => settled(h) && [...h.engine.spool.all()].every((entry) => entry.kind === 'inbound'), 15_000, `DSNs sent ${when}`);
  const queued = (await h.call('queue.list', { domain: 'example.com' })).items;
  for (const [index, to] of messages.entries()) {
    for (const address of to) {
      const delivered = (run.destination?.messages ?? []).some((m) => m.messageId === ids[index] && m.to.includes(address));
      const waiting = queued.some((item) => item.messageId === ids[index] && item.to.includes(address));
      const bounced = sink.messages.some((m) => dsnFor(m.raw.toString(), address));
      const states = [delivered && 'delivered', waiting && 'deferred', bounced && 'bounced'].filter(Boolean);
      assert.deepEqual(states, [expectedOf(address)], `${address} ${when}`);
    }
  }
}

/** A DSN (RFC 3464) for `address` with the null sender, to the original sender. */
function dsnFor(raw: string, address: string): boolean {
  return /report-type=delivery-status/i.test(raw) && new RegExp(`Final-Recipient: rfc822; ?${address.replace(/[.]/g, '\\.')}`, 'i').test(raw) && /Action: failed/.test(raw);
}

/** RFC 5322 2.2.3: a folded header line is one line again once the CRLF before the whitespace is removed. */
function unfold(raw: string): string {
  return raw.replace(/\r\n(?=[ \t])/g, '');
}

/** How many attempts the engine's own default schedule makes in `windowMs` after the first (the first included). */
function scheduledAttempts(windowMs: number): number {
  const policy = { firstRetryMinutes: 5, minIntervalMinutes: 60, maxIntervalMinutes: 120, probeIntervalMinutes: 2 };
  let at = 0;
  let attempts = 1;
  for (;;) {
    at += retryDelayMs(attempts, policy, () => 0.5);
    if (at > windowMs) return attempts;
    attempts += 1;
  }
}

/** No delivery in flight: the runner counts a run until its outcome is applied (DSN queued, entry removed). */
function settled(h: Harness): boolean {
  return h.engine.runner.deliveringCount === 0 && [...h.engine.spool.all()].every((entry) => entry.state !== 'delivering');
}

/** No recovery probe in flight either: its connection is counted at the server before its log entry. */
function quiet(h: Harness): boolean {
  return settled(h) && h.engine.runner.probeState('example.com')?.probing !== true;
}

function probeCount(h: Harness): number {
  return h.logger.entries.filter((entry) => entry.code === 'RECOVERY_PROBE_FAILED' || entry.code === 'RECOVERY_PROBE_ANSWERED').length;
}

async function outboundRows(h: Harness): Promise<OutboundRow[]> {
  const day = (offset: number) => new Date(h.clock.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return (await h.call('reports.outbound', { domain: 'example.com', from: day(-1), to: day(1), timeZone: 'UTC', limit: 1000 })).rows;
}

function message(messageId: string, to: string[], index: number): string {
  // 64 KB of body, so DATA spans many TCP segments and a cut lands in the middle of it.
  const body = Array.from({ length: 1024 }, (_, line) => `line ${line} of message ${index} ${'x'.repeat(50)}`).join('\r\n');
  return [`From: ${SENDER}`, `To: ${to.join(', ')}`, `Subject: fault ${index}`, `Message-ID: ${messageId}`, '', body, ''].join('\r\n');
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
