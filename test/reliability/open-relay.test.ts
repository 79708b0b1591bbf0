import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { domainToASCII } from 'node:url';
import { startEngine, type Harness } from '../support/engine-harness.js';
import { startService } from '../support/headless-service.js';
import { sampleMessage } from '../support/mail-peers.js';
import { SmtpDialog } from '../support/smtp-dialog.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * "Not an open relay" (issue 5): every trick a spammer uses to make an MX forward mail elsewhere is sent
 * over a real socket to a real engine, and must be refused at MAIL or RCPT with nothing queued. The
 * other side is tested as honestly: our own domain in its legitimate spellings is accepted.
 */

const OURS = 'example.test';
const SENDER = '<sender@sender.test>';

async function officeEngine(t: TestContext): Promise<Harness> {
  const h = await startEngine(t);
  // Port 1 refuses connections: accepted mail stays queued where the test can see it.
  const destinations = [{ host: '127.0.0.1', port: 1, tls: 'none' as const }];
  await h.call('domains.save', { name: OURS, destinations });
  await h.call('domains.save', { name: 'bücher.test', destinations });
  await h.call('domains.save', { name: 'listed.test', destinations, acceptAllRecipients: false, recipients: ['alice'] });
  await h.call('domains.save', { name: 'disabled.test', destinations, enabled: false });
  return h;
}

interface Trick {
  name: string;
  /** The MAIL FROM argument, brackets included; SENDER unless given. */
  from?: string;
  /** RCPT TO arguments, brackets included. */
  rcpt: string[];
  /** Expected reply code to MAIL, then to each RCPT (503 "need MAIL" when MAIL was refused). */
  codes: number[];
}

const CYRILLIC_E = '\u0435'; // looks like the Latin "e"

/** Each answered with a 5xx at MAIL or RCPT; the table says which. */
const relayTricks: Trick[] = [
  { name: 'another domain', rcpt: ['<victim@other.test>'], codes: [250, 550] },
  { name: 'another domain in capitals', rcpt: ['<VICTIM@OTHER.TEST>'], codes: [250, 550] },
  { name: 'subdomain of ours', rcpt: [`<user@mail.${OURS}>`], codes: [250, 550] },
  { name: 'parent of ours (the TLD)', rcpt: ['<user@test>'], codes: [250, 550] },
  { name: 'ours as a prefix of another domain', rcpt: [`<user@${OURS}.evil.test>`], codes: [250, 550] },
  { name: 'ours as a suffix of a label', rcpt: [`<user@my${OURS}>`], codes: [250, 550] },
  { name: 'look-alike with a digit (examp1e)', rcpt: ['<user@examp1e.test>'], codes: [250, 550] },
  { name: 'look-alike with a hyphen', rcpt: ['<user@example-test.test>'], codes: [250, 550] },
  { name: 'trailing dot', rcpt: [`<user@${OURS}.>`], codes: [250, 501] },
  { name: 'two trailing dots', rcpt: [`<user@${OURS}..>`], codes: [250, 501] },
  { name: 'IPv4 literal (RFC 5321 4.1.3)', rcpt: ['<user@[127.0.0.1]>'], codes: [250, 550] },
  { name: 'IPv6 literal', rcpt: ['<user@[IPv6:::1]>'], codes: [250, 550] },
  { name: 'ours written as a literal', rcpt: [`<user@[${OURS}]>`], codes: [250, 501] },
  { name: 'percent hack', rcpt: [`<victim%other.test@${OURS}>`], codes: [250, 550] },
  { name: 'percent hack, ours in the local part', rcpt: [`<user%${OURS}@other.test>`], codes: [250, 550] },
  { name: 'source route through ours (RFC 5321 4.1.1.3)', rcpt: [`<@${OURS}:victim@other.test>`], codes: [250, 550] },
  { name: 'source route with two hops', rcpt: [`<@${OURS},@mail.${OURS}:victim@other.test>`], codes: [250, 550] },
  { name: 'bang path in the local part', rcpt: [`<other.test!victim@${OURS}>`], codes: [250, 550] },
  { name: 'bang path without a domain', rcpt: [`<${OURS}!other.test!victim>`], codes: [250, 501] },
  { name: 'quoted local part holding an @', rcpt: [`<"victim@other.test"@${OURS}>`], codes: [250, 501] },
  { name: 'quoted local part holding a %', rcpt: [`<"victim%other.test"@${OURS}>`], codes: [250, 550] },
  { name: 'two @ signs', rcpt: [`<victim@other.test@${OURS}>`], codes: [250, 501] },
  { name: 'Cyrillic look-alike (U-label)', rcpt: [`<user@${CYRILLIC_E}xample.test>`], codes: [250, 550] },
  { name: 'Cyrillic look-alike (A-label)', rcpt: [`<user@${domainToASCII(`${CYRILLIC_E}xample.test`)}>`], codes: [250, 550] },
  { name: 'full-width letters that UTS #46 maps onto ours', rcpt: ['<user@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.test>'], codes: [250, 550] },
  { name: 'soft hyphen hidden in ours', rcpt: ['<user@exam\u00adple.test>'], codes: [250, 550] },
  { name: 'IDN look-alike without the umlaut', rcpt: ['<user@bucher.test>'], codes: [250, 550] },
  { name: 'a configured but disabled domain', rcpt: ['<user@disabled.test>'], codes: [250, 550] },
  { name: 'unknown user of a domain with a recipient list', rcpt: ['<mallory@listed.test>'], codes: [250, 550] },
  { name: 'no domain at all', rcpt: ['<victim>'], codes: [250, 501] },
  { name: 'empty recipient', rcpt: ['<>'], codes: [250, 501] },
  { name: 'recipient without angle brackets', rcpt: ['victim@other.test'], codes: [250, 501] },
  { name: 'several relay recipients, none accepted', rcpt: ['<a@other.test>', `<b@${OURS}.evil.test>`, `<c%other.test@${OURS}>`], codes: [250, 550, 550, 550] },
  { name: 'malformed MAIL FROM without brackets', from: 'spammer@evil.test', rcpt: [`<user@${OURS}>`], codes: [501, 503] },
  { name: 'malformed MAIL FROM with two @', from: '<a@b@evil.test>', rcpt: [`<user@${OURS}>`], codes: [501, 503] },
  { name: 'malformed MAIL FROM that is only an @', from: '<@>', rcpt: [`<user@${OURS}>`], codes: [501, 503] },
  { name: 'malformed MAIL FROM with nested brackets', from: '<<>>', rcpt: [`<user@${OURS}>`], codes: [501, 503] },
  { name: 'malformed MAIL FROM with a trailing dot', from: '<spammer@evil.test.>', rcpt: [`<user@${OURS}>`], codes: [501, 503] },
];

/** Runs one trick in its own session and returns the codes of MAIL, each RCPT and DATA. */
async function attempt(port: number, trick: Trick): Promise<{ codes: number[]; data: number | undefined; replies: string[] }> {
  const { dialog, greeting } = await SmtpDialog.open(port);
  try {
    assert.equal(greeting?.code, 220);
    assert.equal((await dialog.command('EHLO client.test'))?.code, 250);
    const replies = [];
    const smtpUtf8 = [...(trick.from ?? SENDER), ...trick.rcpt.join('')].some((char) => char.charCodeAt(0) > 0x7f) ? ' SMTPUTF8' : '';
    replies.push(await dialog.command(`MAIL FROM:${trick.from ?? SENDER}${smtpUtf8}`));
    for (const rcpt of trick.rcpt) replies.push(await dialog.command(Buffer.from(`RCPT TO:${rcpt}`, 'utf8')));
    const data = await dialog.command('DATA');
    if (data?.code === 354) {
      dialog.write(sampleMessage(trick.name) + '.\r\n');
      await dialog.read();
    }
    assert.deepEqual(dialog.malformed, []);
    return { codes: replies.map((reply) => reply?.code ?? 0), data: data?.code, replies: replies.flatMap((reply) => reply?.lines ?? ['(closed)']) };
  } finally {
    await dialog.quit();
  }
}

/** A dictionary or relay scan in one session: refused recipients count, and the session ends at the limit. */
test('a session walking through refused recipients is closed with 421 after listener.maxRefusalsPerSession', async (t) => {
  const h = await officeEngine(t);
  await h.call('settings.update', { listener: { maxRefusalsPerSession: 5 } });
  // A listener change restarts it, on a new port when it was 0.
  const port = h.engine.listenerStatus().port ?? h.smtpPort;
  const { dialog } = await SmtpDialog.open(port);
  assert.equal((await dialog.command('EHLO scanner.test'))?.code, 250);
  assert.equal((await dialog.command(`MAIL FROM:${SENDER}`))?.code, 250);
  const codes: number[] = [];
  // Valid recipients and 452s (too many) do not count: only refusals by the relay and recipient policy.
  codes.push((await dialog.command(`RCPT TO:<alice@${OURS}>`))?.code ?? 0);
  for (let index = 0; index < 8 && codes.at(-1) !== 421 && !dialog.hasClosed; index++) codes.push((await dialog.command(`RCPT TO:<guess${index}@other.test>`))?.code ?? 0);
  await dialog.closed;
  assert.deepEqual(codes, [250, 550, 550, 550, 550, 550, 421], 'five refusals, then 421 and the connection closes');
  assert.deepEqual(dialog.malformed, []);
  assert.equal(h.engine.spool.count, 0, 'the transaction never reached DATA: nothing queued');
  // A new session starts from zero.
  const next = await attempt(port, { name: 'after the cut', rcpt: ['<victim@other.test>'], codes: [250, 550] });
  assert.deepEqual(next.codes, [250, 550]);
});

async function spoolFiles(h: Harness): Promise<string[]> {
  const spool = path.join(h.dataDir, 'spool');
  const found: string[] = [];
  for (const sub of ['queue', 'tmp']) {
    const dir = path.join(spool, sub);
    if (existsSync(dir)) found.push(...(await readdir(dir)).map((name) => `${sub}/${name}`));
  }
  return found;
}

test(`${relayTricks.length} relay tricks are each refused at MAIL or RCPT and nothing is queued`, async (t) => {
  assert.ok(relayTricks.length >= 25);
  const h = await officeEngine(t);
  let refused = 0;
  for (const trick of relayTricks) {
    const result = await attempt(h.smtpPort, trick);
    assert.deepEqual(result.codes, trick.codes, `${trick.name}: ${result.replies.join(' | ')}`);
    assert.ok(result.codes.some((code) => code >= 500), trick.name);
    assert.equal(result.data, 503, `${trick.name}: DATA refused without an accepted recipient`);
    assert.equal(h.engine.spool.count, 0, `${trick.name}: nothing queued`);
    refused++;
  }
  assert.deepEqual(await spoolFiles(h), [], 'no file in the spool');
  assert.equal((await h.call('queue.list', {})).total, 0);
  const day = new Date(h.clock.now()).toISOString().slice(0, 10);
  const inbound = await h.call('reports.inbound', { from: day, to: day, timeZone: 'UTC' });
  assert.equal(inbound.rows.filter((row) => row.outcome === 'accepted').length, 0);
  // Refusals the engine decides (550) are logged for the admin; syntax errors (501) smtp-server answers itself.
  const policyRefusals = relayTricks.reduce((sum, trick) => sum + trick.codes.filter((code) => code === 550).length, 0);
  assert.equal(inbound.rows.filter((row) => row.outcome === 'refused').length, policyRefusals);
  const figures = `relay tricks refused: ${refused} of ${relayTricks.length}, queued: ${h.engine.spool.count}`;
  t.diagnostic(figures);
  console.log(`FIGURES open-relay: ${figures}`);
});

interface Legitimate {
  name: string;
  from?: string;
  rcpt: string[];
  codes: number[];
  /** The recipients the queued entry must hold, exactly. */
  queuedTo: string[];
  queuedFrom?: string;
}

const legitimate: Legitimate[] = [
  { name: 'our domain in mixed case', rcpt: ['<User@ExAmPlE.TeSt>'], codes: [250, 250], queuedTo: ['user@example.test'] },
  { name: 'our IDN domain as U-label (SMTPUTF8)', rcpt: ['<user@BÜCHER.test>'], codes: [250, 250], queuedTo: ['user@bücher.test'] },
  { name: 'our IDN domain as A-label', rcpt: ['<user@xn--bcher-kva.test>'], codes: [250, 250], queuedTo: ['user@bücher.test'] },
  // RFC 5321 4.5.5: bounces come with a null reverse-path and MUST be accepted.
  { name: 'null sender <> (a bounce)', from: '<>', rcpt: [`<postmaster@${OURS}>`], codes: [250, 250], queuedTo: [`postmaster@${OURS}`], queuedFrom: '' },
  // RFC 5321 4.1.1.3 and appendix C: a source route is ignored; the mailbox is ours, so nothing is relayed.
  { name: 'source route ending in our domain', rcpt: [`<@other.test:user@${OURS}>`], codes: [250, 250], queuedTo: [`user@${OURS}`] },
  // smtp-server's punycode.toUnicode treats U+3002 as a label separator (RFC 3490 3.1) and writes a dot:
  // the address arrives as user@example.test, which is ours.
  { name: 'ideographic full stop for the dot', rcpt: ['<user@example\u3002test>'], codes: [250, 250], queuedTo: [`user@${OURS}`] },
  { name: 'listed user of a domain with a recipient list', rcpt: ['<ALICE@listed.test>'], codes: [250, 250], queuedTo: ['alice@listed.test'] },
  {
    name: 'valid recipient after refused ones: only it is queued',
    rcpt: ['<victim@other.test>', `<ok@${OURS}>`, `<victim%other.test@${OURS}>`, `<@${OURS}:victim@other.test>`],
    codes: [250, 550, 250, 550, 550],
    queuedTo: [`ok@${OURS}`],
  },
];

test('our own domains in their legitimate forms are accepted, and only the accepted recipients are queued', async (t) => {
  const h = await officeEngine(t);
  for (const [index, mail] of legitimate.entries()) {
    const result = await attempt(h.smtpPort, { name: mail.name, rcpt: mail.rcpt, codes: mail.codes, ...(mail.from ? { from: mail.from } : {}) });
    assert.deepEqual(result.codes, mail.codes, `${mail.name}: ${result.replies.join(' | ')}`);
    assert.equal(result.data, 354, mail.name);
    assert.equal(h.engine.spool.count, index + 1, `${mail.name}: queued`);
    const item = [...h.engine.spool.all()].find((entry) => entry.subject === mail.name);
    assert.ok(item, `${mail.name}: entry found`);
    assert.deepEqual(item.recipients.map((recipient) => recipient.address.toLowerCase()), mail.queuedTo, mail.name);
    if (mail.queuedFrom !== undefined) assert.equal(item.from, mail.queuedFrom);
  }
  console.log(`FIGURES open-relay: legitimate forms of our domains accepted: ${legitimate.length} of ${legitimate.length}`);
});

test('swaks (Debian): the classic relay, relay by AUTH and malformed commands are refused by the headless service', async (t) => {
  const swaks = '/usr/bin/swaks';
  if (!existsSync(swaks)) {
    t.skip('swaks is not installed (apt-get install swaks)');
    return;
  }
  const dataDir = await tempDir(t);
  const service = await startService(t, dataDir);
  const saved = await service.call('domains.save', { name: OURS, destinations: [{ host: '127.0.0.1', port: 1, tls: 'none' }] });
  assert.equal(saved.status, 200);
  const run = (args: string[]) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      execFile(swaks, ['--server', '127.0.0.1', '--port', String(service.smtpPort), '--helo', 'client.test', '--timeout', '10', ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, output: stdout + stderr });
      });
    });
  // swaks exit codes (man swaks): 23 error in MAIL, 24 no RCPT accepted, 28 error in AUTH, 0 ok.
  const cases: { name: string; args: string[]; exit: number; reply: RegExp }[] = [
    { name: 'classic relay', args: ['--from', 'spammer@evil.test', '--to', 'victim@other.test'], exit: 24, reply: /<\*\* +550 5\.7\.1 Relaying denied/ },
    { name: 'percent hack', args: ['--from', 'spammer@evil.test', '--to', `victim%other.test@${OURS}`], exit: 24, reply: /<\*\* +550 5\.7\.1/ },
    { name: 'source route', args: ['--from', 'spammer@evil.test', '--to', `@${OURS}:victim@other.test`], exit: 24, reply: /<\*\* +550 5\.7\.1/ },
    { name: 'IP literal', args: ['--from', 'spammer@evil.test', '--to', 'victim@[127.0.0.1]'], exit: 24, reply: /<\*\* +550 5\.7\.1/ },
    { name: 'malformed MAIL FROM', args: ['--from', 'a@b@evil.test', '--to', `user@${OURS}`], exit: 23, reply: /<\*\* +501 / },
    { name: 'malformed RCPT TO', args: ['--from', 'sender@sender.test', '--to', `user@${OURS}.`], exit: 24, reply: /<\*\* +501 / },
    { name: 'relay by AUTH (none offered)', args: ['--from', 'spammer@evil.test', '--to', 'victim@other.test', '--auth', 'LOGIN', '--auth-user', 'u', '--auth-password', 'p'], exit: 28, reply: /authentication/i },
    { name: 'our domain, quit after RCPT', args: ['--from', 'sender@sender.test', '--to', `user@${OURS}`, '--quit-after', 'RCPT'], exit: 0, reply: /<- +250 Accepted/ },
  ];
  const results = await Promise.all(cases.map((entry) => run(entry.args)));
  for (const [index, entry] of cases.entries()) {
    const result = results[index]!;
    assert.equal(result.code, entry.exit, `${entry.name}: swaks exit ${result.code}\n${result.output}`);
    assert.match(result.output, entry.reply, entry.name);
  }
  const queue = await service.call('queue.list', {});
  assert.equal(queue.body.value?.total, 0, 'nothing queued');
  console.log(`FIGURES open-relay: swaks cases as expected: ${cases.length} of ${cases.length}, queued: 0`);
});
