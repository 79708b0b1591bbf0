import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startEngine } from '../support/engine-harness.js';
import { startService, type RunningService } from '../support/headless-service.js';
import { sampleMessage, sendRaw } from '../support/mail-peers.js';
import { seeded } from '../support/seeded-random.js';
import { SmtpDialog, type SmtpReplyLines } from '../support/smtp-dialog.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

/**
 * "Bad input and abuse" (issue 5): seeded random SMTP sessions against the headless service run as a
 * child process. Every line it answers must be a proper reply (RFC 5321 4.2: three digits, 2xx-5xx, second
 * digit 0-5), the service must stay up and take a normal message afterwards, leave no partial file in
 * the spool, give back every per-IP slot, and its memory (RSS of the process) must stay bounded.
 * FUZZ_SEED=<n> and FUZZ_SESSIONS=<n> repeat or widen a run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const SESSIONS = Number(process.env.FUZZ_SESSIONS ?? 2000);
const PARALLEL = 6;
const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_RECIPIENTS = 100;
const PER_IP = 20;
const RSS_GROWTH_LIMIT_MB = 100;

type Random = () => number;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function printable(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(int(random, 0x20, 0x7e));
  return text;
}

/** Random bytes without LF (each LF would make another line, and another reply). */
function binary(random: Random, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    const byte = int(random, 0, 255);
    bytes[i] = byte === 0x0a ? 0x00 : byte;
  }
  return bytes;
}

function address(random: Random): string {
  return pick(random, [
    `u${int(random, 1, 999)}@example.test`,
    `U${int(random, 1, 9)}@EXAMPLE.TEST`,
    `victim@other${int(random, 1, 9)}.test`,
    `x%y@example.test`,
    `@example.test:v@other.test`,
    printable(random, int(random, 0, 40)),
    '',
    `${'a'.repeat(int(random, 60, 300))}@example.test`,
  ]);
}

/** One random command line (without CRLF). */
function randomLine(random: Random): string | Buffer {
  switch (int(random, 0, 13)) {
    case 0:
      return `EHLO ${pick(random, ['client.test', '[127.0.0.1]', printable(random, int(random, 0, 80)), ''])}`;
    case 1:
      return `HELO ${printable(random, int(random, 0, 30))}`;
    case 2:
      return `MAIL FROM:<${address(random)}>${pick(random, ['', ' SIZE=1000', ' BODY=8BITMIME', ' SMTPUTF8', ' SIZE=99999999999', ' RET=HDRS ENVID=x', ' FOO=bar', ' SIZE'])}`;
    case 3:
      return `RCPT TO:<${address(random)}>${pick(random, ['', ' NOTIFY=NEVER', ' NOTIFY=BOGUS', ' ORCPT=rfc822;a@b'])}`;
    case 4:
      return pick(random, ['RSET', 'NOOP', 'HELP', 'VRFY postmaster', 'EXPN staff', 'ETRN example.test', 'TURN', 'AUTH PLAIN AHVAcA==', 'BDAT 10 LAST', 'XCLIENT ADDR=1.2.3.4']);
    case 5:
      return printable(random, int(random, 0, 200));
    case 6:
      return binary(random, int(random, 1, 300));
    case 7:
      return `${pick(random, ['mail from:', 'rcpt to:', 'ehlo', 'MaIl FrOm:'])}${printable(random, int(random, 0, 60))}`;
    case 8:
      return `GET / HTTP/1.1`;
    case 9:
      return `MAIL FROM:<${address(random)}>`;
    case 10:
      return `RCPT TO:<u${int(random, 1, 50)}@example.test>`;
    case 11:
      return 'DATA';
    case 12:
      return `${pick(random, ['MAIL FROM:<', 'RCPT TO:<', 'EHLO ', 'NOOP '])}${'x'.repeat(pick(random, [513, 1001, 4096, 12_000, 17_000, 70_000]))}>`;
    default:
      return `  ${pick(random, ['NOOP', 'RSET', 'QUIT'])}  `;
  }
}

/** A message body with random oddities: long lines, binary, huge or many headers, smuggling-like dots. */
function randomBody(random: Random): Buffer {
  const parts: (string | Buffer)[] = [`Subject: fuzz ${int(random, 0, 1e9)}\r\n`];
  switch (int(random, 0, 5)) {
    case 0:
      parts.push(`X-Long: ${'h'.repeat(int(random, 1000, 300_000))}\r\n`); // one oversized header line
      break;
    case 1:
      for (let i = int(random, 1000, 20_000); i > 0; i--) parts.push(`X-Many-${i}: v\r\n`); // thousands of header lines
      break;
    case 2:
      parts.push(binary(random, int(random, 1, 20_000)));
      break;
    case 3:
      parts.push('\r\n', `${'b'.repeat(int(random, 1001, 100_000))}\r\n`); // a body line over RFC 5321's 1000 octets
      break;
    case 4:
      parts.push('\r\n', 'x\n.\nMAIL FROM:<a@b.test>\r.\r\n..\r\n. \r\n');
      break;
    default:
      parts.push('\r\n', `${'y'.repeat(76)}\r\n`.repeat(int(random, 1, 40_000))); // up to ~3 MB: over the SIZE limit
  }
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
}

interface Tally {
  sessions: number;
  lines: number;
  replies: number;
  accepted: number;
  oversizedRefused: number;
  earlyDisconnects: number;
  rcptLimited: number;
  codes: Map<number, number>;
  problems: string[];
}

function count(tally: Tally, reply: SmtpReplyLines): void {
  tally.replies++;
  tally.codes.set(reply.code, (tally.codes.get(reply.code) ?? 0) + 1);
  if (!/^[2-5][0-5]\d$/.test(String(reply.code))) tally.problems.push(`bad code ${reply.code}`);
}

/** Opens a session for `work`; afterwards any badly formed reply line is a problem and the socket is closed. */
async function inSession(port: number, tally: Tally, work: (dialog: SmtpDialog, greeting: SmtpReplyLines | null) => Promise<void>): Promise<void> {
  const { dialog, greeting } = await SmtpDialog.open(port);
  try {
    await work(dialog, greeting);
  } finally {
    if (dialog.malformed.length > 0) tally.problems.push(`malformed reply lines: ${dialog.malformed.slice(0, 3).join(' | ')}`);
    dialog.destroy();
  }
}

/** Sends a random body and its final dot; the reply must be 250, or 552 over the size limit. */
async function sendBody(dialog: SmtpDialog, random: Random, tally: Tally): Promise<void> {
  const body = randomBody(random);
  dialog.write(body);
  dialog.write('\r\n.\r\n');
  const final = await dialog.read(30_000);
  if (!final) return void tally.problems.push('no reply after DATA');
  count(tally, final);
  if (final.code === 250) tally.accepted++;
  if (final.code === 552) tally.oversizedRefused++;
  // smtp-server counts the bytes after dot-unstuffing, so only sizes clearly off the limit are judged.
  if ((body.length > MAX_MESSAGE_BYTES + 100 && final.code !== 552) || (body.length < MAX_MESSAGE_BYTES - 100 && final.code !== 250)) {
    tally.problems.push(`${body.length} bytes answered ${final.lines.join(' ')}`);
  }
}

/** Sends the lines one by one; each must get a reply until the server ends the session (221 or 421). */
async function commandSession(port: number, random: Random, tally: Tally): Promise<void> {
  await inSession(port, tally, async (dialog, greeting) => {
    if (!greeting) return void tally.problems.push('no greeting');
    count(tally, greeting);
    if (greeting.code !== 220) return;
    for (let i = int(random, 1, 30); i > 0; i--) {
      const line = randomLine(random);
      tally.lines++;
      const reply = await dialog.command(line);
      if (!reply) return void tally.problems.push(`no reply to ${JSON.stringify(line.toString().slice(0, 60))}`);
      count(tally, reply);
      if (reply.code === 421 || reply.code === 221) {
        await Promise.race([dialog.closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (!dialog.hasClosed) tally.problems.push(`still open after ${reply.code}`);
        return;
      }
      if (reply.code === 354) await sendBody(dialog, random, tally);
    }
    tally.lines++;
    const quit = await dialog.command('QUIT');
    if (quit) count(tally, quit);
    else tally.problems.push('no reply to QUIT');
  });
}

/** A valid envelope, then a random body: oversized or thousands of headers, long lines, binary, over SIZE. */
async function messageSession(port: number, random: Random, tally: Tally): Promise<void> {
  await inSession(port, tally, async (dialog, greeting) => {
    assert.equal(greeting?.code, 220);
    for (const line of ['EHLO sender.test', 'MAIL FROM:<m@sender.test>', `RCPT TO:<m${int(random, 0, 99)}@example.test>`, 'DATA']) {
      tally.lines++;
      const reply = await dialog.command(line);
      assert.ok(reply, line);
      count(tally, reply);
    }
    await sendBody(dialog, random, tally);
    await dialog.quit();
  });
}

/** RFC 2920 pipelining: MAIL, k RCPT, DATA in one write; the replies come back in order. */
async function pipelinedSession(port: number, random: Random, tally: Tally): Promise<void> {
  await inSession(port, tally, async (dialog, greeting) => {
    assert.equal(greeting?.code, 220);
    assert.equal((await dialog.command('EHLO pipeliner.test'))?.code, 250);
    const recipients = Array.from({ length: int(random, 1, 40) }, (_, i) => (random() < 0.7 ? `p${i}@example.test` : `p${i}@other.test`));
    dialog.write(['MAIL FROM:<p@sender.test>', ...recipients.map((to) => `RCPT TO:<${to}>`), 'DATA', ''].join('\r\n'));
    tally.lines += recipients.length + 2;
    const replies = await dialog.readMany(recipients.length + 2);
    replies.forEach((reply) => count(tally, reply));
    const expected = [250, ...recipients.map((to) => (to.endsWith('@example.test') ? 250 : 550))];
    expected.push(expected.slice(1).includes(250) ? 354 : 503);
    const codes = replies.map((reply) => reply.code);
    if (codes.join() !== expected.join()) return void tally.problems.push(`pipelined: ${codes.join()} != ${expected.join()}`);
    if (codes.at(-1) === 354) {
      dialog.write(`${sampleMessage(`pipelined ${int(random, 0, 1e9)}`)}.\r\nRSET\r\nQUIT\r\n`);
      tally.lines += 2;
      const after = await dialog.readMany(3);
      after.forEach((reply) => count(tally, reply));
      if (after.map((reply) => reply.code).join() !== '250,250,221') tally.problems.push(`pipelined end: ${after.map((reply) => reply.code).join()}`);
      else tally.accepted++;
    } else {
      await dialog.quit();
    }
  });
}

/** Binary garbage (with line breaks) written in one go, then QUIT: every reply well formed, then closed. */
async function garbageSession(port: number, random: Random, tally: Tally): Promise<void> {
  await inSession(port, tally, async (dialog) => {
    const garbage = Buffer.alloc(int(random, 1, 64 * 1024));
    for (let i = 0; i < garbage.length; i++) garbage[i] = random() < 0.01 ? 0x0a : int(random, 0, 255);
    dialog.write(garbage);
    dialog.write('\r\nQUIT\r\n');
    tally.lines++;
    for (;;) {
      const reply = await dialog.read(20_000);
      if (!reply) break;
      count(tally, reply);
    }
  });
}

/** Leaves at a random point: mid-line, mid-transaction, mid-DATA; half of them with a TCP reset. */
async function earlyDisconnect(port: number, random: Random, tally: Tally): Promise<void> {
  tally.earlyDisconnects++;
  const { dialog } = await SmtpDialog.open(port);
  const stage = int(random, 0, 5);
  const steps: (string | Buffer)[] = ['EHLO leaver.test\r\n', 'MAIL FROM:<l@sender.test>\r\n', 'RCPT TO:<l@example.test>\r\n', 'DATA\r\n'];
  for (const step of steps.slice(0, stage)) {
    const reply = await dialog.command(step.toString().trimEnd());
    if (reply) count(tally, reply);
  }
  if (stage === 5) dialog.write(`Subject: cut\r\n\r\n${'z'.repeat(int(random, 1, 200_000))}`); // mid-DATA
  else dialog.write(printable(random, int(random, 1, 100))); // a partial line
  await new Promise((resolve) => setTimeout(resolve, int(random, 0, 20)));
  if (random() < 0.5) dialog.socket.resetAndDestroy();
  else dialog.destroy();
}

/** Resident set size of a process in MB: /proc on Linux, ps on macOS; 0 where neither exists (Windows). */
function rssMb(pid: number): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  }
  if (process.platform === 'win32') return 0;
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) / 1024;
}

async function fuzzService(t: Parameters<typeof startService>[0]): Promise<{ service: RunningService; dataDir: string }> {
  const dataDir = await tempDir(t);
  // Written before the start so the listener opens with these limits. The domain is held: accepted mail
  // stays in the spool instead of being tried against a closed port thousands of times.
  await writeFile(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({
      version: 1,
      listener: { maxMessageBytes: MAX_MESSAGE_BYTES, maxRecipients: MAX_RECIPIENTS, maxConnectionsPerIp: PER_IP, idleTimeoutSeconds: 60 },
      queue: { minFreeDiskMb: 0 },
      domains: [{ name: 'example.test', held: true, destinations: [{ host: '127.0.0.1', port: 1, tls: 'none' }] }],
    }),
  );
  return { service: await startService(t, dataDir), dataDir };
}

test(`${SESSIONS} seeded fuzz sessions: proper replies, the service stays up, memory stays bounded`, async (t) => {
  const { service, dataDir } = await fuzzService(t);
  const pid = service.child.pid!;
  const random = seeded(SEED);
  const tally: Tally = { sessions: 0, lines: 0, replies: 0, accepted: 0, oversizedRefused: 0, earlyDisconnects: 0, rcptLimited: 0, codes: new Map(), problems: [] };
  const kinds = [commandSession, commandSession, commandSession, commandSession, messageSession, pipelinedSession, pipelinedSession, garbageSession, earlyDisconnect, earlyDisconnect];
  // Each session gets its own generator (from the master one) so a failure can be replayed alone.
  const plan = Array.from({ length: SESSIONS }, () => ({ kind: pick(random, kinds), seed: int(random, 0, 2 ** 31) }));
  let next = 0;
  let rssBaseline = 0;
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 250);
  t.after(() => clearInterval(sampler));
  const worker = async () => {
    while (next < plan.length) {
      const index = next++;
      const { kind, seed } = plan[index]!;
      // The baseline is taken once the service has warmed up (JIT, buffers, first spool writes).
      if (index === 100) rssBaseline = rssMb(pid);
      try {
        await kind(service.smtpPort, seeded(seed), tally);
      } catch (error) {
        tally.problems.push(`${kind.name} seed ${seed}: ${(error as Error).message}`);
      }
      tally.sessions++;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  clearInterval(sampler);

  assert.deepEqual(tally.problems.slice(0, 10), [], `${tally.problems.length} problems (seed ${SEED})`);
  assert.equal(service.child.exitCode, null, 'the service is still running');
  // The spool holds no partial message from the sessions that left mid-DATA.
  await waitFor(async () => (await readdir(path.join(dataDir, 'spool', 'tmp')).catch(() => [])).length === 0, 10_000, 'spool/tmp empty');
  // A normal message still goes through.
  const info = await sendRaw(service.smtpPort, { from: 'after@sender.test', to: ['user@example.test'] }, sampleMessage('after the fuzz'));
  assert.match(info.response, /^250 2\.0\.0 Ok: queued as /);
  // Every per-IP slot was given back: a full set of sessions from this address is admitted again.
  await waitFor(
    async () => {
      const opened = await Promise.all(Array.from({ length: PER_IP }, () => SmtpDialog.open(service.smtpPort)));
      opened.forEach(({ dialog }) => dialog.destroy());
      return opened.every(({ greeting }) => greeting?.code === 220);
    },
    10_000,
    `${PER_IP} sessions admitted`,
  );

  await new Promise((resolve) => setTimeout(resolve, 500));
  const rssAfter = rssMb(pid);
  const growth = rssAfter - rssBaseline;
  assert.ok(rssBaseline > 0 || process.platform === 'win32', 'RSS measured');
  assert.ok(growth < RSS_GROWTH_LIMIT_MB, `RSS grew ${growth.toFixed(1)} MB (baseline ${rssBaseline.toFixed(1)} MB, after ${rssAfter.toFixed(1)} MB)`);
  const codes = [...tally.codes.entries()].sort(([a], [b]) => a - b).map(([code, n]) => `${code}x${n}`).join(' ');
  const figures =
    `fuzz seed ${SEED}: ${tally.sessions} sessions (${tally.earlyDisconnects} early disconnects), ${tally.lines} lines sent, ${tally.replies} replies, ` +
    `0 malformed, 0 crashes, ${tally.accepted} messages accepted, ${tally.oversizedRefused} oversized refused (552); ` +
    `RSS baseline ${rssBaseline.toFixed(1)} MB, peak ${rssPeak.toFixed(1)} MB, after ${rssAfter.toFixed(1)} MB, growth ${growth.toFixed(1)} MB; codes ${codes}`;
  t.diagnostic(figures);
  console.log(`FIGURES smtp-fuzz: ${figures}`);
});

test('thousands of pipelined RCPT: the first maxRecipients are taken, the rest get 452 4.5.3 (RFC 5321 4.5.3.1.8)', async (t) => {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.test', held: true, destinations: [{ host: '127.0.0.1', port: 1, tls: 'none' }] });
  const limit = h.engine.settings.listener.maxRecipients;
  const total = 5000;
  const { dialog } = await SmtpDialog.open(h.smtpPort);
  t.after(() => dialog.destroy());
  assert.equal((await dialog.command('EHLO many.test'))?.code, 250);
  dialog.write(['MAIL FROM:<many@sender.test>', ...Array.from({ length: total }, (_, i) => `RCPT TO:<r${i}@example.test>`), 'DATA', ''].join('\r\n'));
  const replies = await dialog.readMany(total + 2, 30_000);
  assert.equal(replies.length, total + 2);
  const rcpt = replies.slice(1, -1);
  assert.equal(rcpt.filter((reply) => reply.code === 250).length, limit);
  assert.ok(rcpt.slice(0, limit).every((reply) => reply.code === 250));
  assert.ok(rcpt.slice(limit).every((reply) => reply.lines[0] === '452 4.5.3 Too many recipients'));
  assert.equal(replies.at(-1)?.code, 354);
  dialog.write(`${sampleMessage('many recipients')}.\r\n`);
  assert.match((await dialog.read())?.lines[0] ?? '', /^250 2\.0\.0 Ok: queued as /);
  // The client sends the rest in a new transaction, as 4.5.3.1.8 expects; the session is still fine.
  assert.equal((await dialog.command('MAIL FROM:<many@sender.test>'))?.code, 250);
  assert.equal((await dialog.command(`RCPT TO:<r${limit}@example.test>`))?.code, 250);
  await dialog.quit();
  const entries = [...h.engine.spool.all()];
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.recipients.length, limit);
  assert.deepEqual(dialog.malformed, []);
  console.log(`FIGURES smtp-fuzz: ${total} pipelined RCPT: ${limit} accepted, ${total - limit} answered 452 4.5.3, 1 message queued with ${limit} recipients`);
});

test('idle connections from one address are held to the per-IP limit and closed by the idle timeout', async (t) => {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.test', held: true, destinations: [{ host: '127.0.0.1', port: 1, tls: 'none' }] });
  const perIp = 10;
  await h.call('settings.update', { listener: { maxConnectionsPerIp: perIp, idleTimeoutSeconds: 2 } });
  const port = h.engine.listenerStatus().port!;
  const attempts = 40;
  const opened = await Promise.all(Array.from({ length: attempts }, () => SmtpDialog.open(port)));
  t.after(() => opened.forEach(({ dialog }) => dialog.destroy()));
  const admitted = opened.filter(({ greeting }) => greeting?.code === 220);
  const refused = opened.filter(({ greeting }) => greeting?.code === 421);
  assert.equal(admitted.length, perIp);
  assert.equal(refused.length, attempts - perIp);
  assert.ok(refused.every(({ greeting }) => greeting?.lines[0] === '421 4.7.0 Too many connections from your address, try again later'));
  await Promise.all(refused.map(({ dialog }) => dialog.closed));
  // Idle in different states: right after the greeting, mid-line, in a transaction, in the middle of DATA.
  const [, second, third, fourth] = admitted;
  second!.dialog.write('EHLO half-a-li');
  assert.equal((await third!.dialog.command('EHLO idle.test'))?.code, 250);
  assert.equal((await third!.dialog.command('MAIL FROM:<idle@sender.test>'))?.code, 250);
  assert.equal((await fourth!.dialog.command('EHLO idle.test'))?.code, 250);
  assert.equal((await fourth!.dialog.command('MAIL FROM:<idle@sender.test>'))?.code, 250);
  assert.equal((await fourth!.dialog.command('RCPT TO:<idle@example.test>'))?.code, 250);
  assert.equal((await fourth!.dialog.command('DATA'))?.code, 354);
  fourth!.dialog.write('Subject: never finished\r\n\r\nhalf a mess');
  // The server, not the client, ends each of them: a 421 and the close, without a byte from the client.
  const timeouts = await Promise.all(admitted.map(({ dialog }) => dialog.read(15_000)));
  assert.ok(timeouts.every((reply) => reply?.lines[0] === '421 Timeout - closing connection'), timeouts.map((reply) => reply?.lines[0]).join(' | '));
  await Promise.all(admitted.map(({ dialog }) => dialog.closed));
  // Their slots are free again, and the half-sent message left nothing behind.
  const again = await Promise.all(Array.from({ length: perIp }, () => SmtpDialog.open(port)));
  again.forEach(({ dialog }) => dialog.destroy());
  assert.ok(again.every(({ greeting }) => greeting?.code === 220));
  assert.equal(h.engine.spool.count, 0);
  await waitFor(async () => (await readdir(path.join(h.dataDir, 'spool', 'tmp')).catch(() => [])).length === 0, 5000, 'spool/tmp empty');
  console.log(`FIGURES smtp-fuzz: ${attempts} idle connections from one address: ${perIp} admitted (limit ${perIp}), ${refused.length} refused with 421 4.7.0, ${perIp} closed by the 2 s idle timeout with 421`);
});
