import assert from 'node:assert/strict';
import type net from 'node:net';
import { test } from 'node:test';
import { startEngine } from '../support/engine-harness.js';
import { startDestination } from '../support/mail-peers.js';
import { SmtpDialog } from '../support/smtp-dialog.js';
import { waitFor } from '../support/temp-dir.js';

/**
 * SMTP smuggling (SEC Consult, CVE-2023-51764/51765/51766): a message body holds a fake end of data made
 * of bare LF or bare CR around a dot, then the commands of a second message. If one hop ends DATA at the
 * fake dot and another does not, the second message is "smuggled" past the first hop's checks.
 *
 * What this spool does (see intake-smtp-server.ts): DATA ends only at <CRLF>.<CRLF> (smtp-server), the
 * bytes are spooled as received, and delivery (nodemailer's DataStream) turns every bare CR and bare LF
 * into CRLF and dot-stuffs (RFC 5321 4.5.2), so the office server can never see a lone "." line either.
 * Each variant below must therefore reach the office server as one message, with the smuggled text
 * still inside it, and the wire to the office server must hold no bare CR or LF at all.
 */

const variants: Record<string, string> = {
  'LF . LF': '\n.\n',
  'CR . CR': '\r.\r',
  'CRLF . LF': '\r\n.\n',
  'LF . CRLF': '\n.\r\n',
  'CR . CRLF': '\r.\r\n',
  'CRLF . CR': '\r\n.\r',
  'LF . CR': '\n.\r',
  'CR . LF': '\r.\n',
  'CRLF NUL . CRLF': '\r\n\x00.\r\n',
  'CRLF . space CRLF': '\r\n. \r\n',
  'CRLF . CR CRLF': '\r\n.\r\r\n',
};

/** The smuggling payload for a variant: a first message, the fake end, a complete second transaction. */
function payload(tag: string, end: string): string {
  return (
    `Subject: first ${tag}\r\nMessage-ID: <${tag.replace(/\W/g, '')}@sender.test>\r\n\r\nfirst body` +
    `${end}MAIL FROM:<evil@evil.test>${end.slice(end.indexOf('.') + 1)}RCPT TO:<victim@example.test>\r\nDATA\r\n` +
    `Subject: smuggled ${tag}\r\n\r\nsmuggled body${end}QUIT\r\n`
  );
}

/** What the office server must store for a payload: the same text with every line ending a CRLF. */
function normalised(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

test('bare LF / bare CR end-of-data variants never produce a second message downstream (SMTP smuggling)', async (t) => {
  const destination = await startDestination();
  t.after(() => destination.close());
  const wire: Buffer[] = [];
  destination.server.server.on('connection', (socket: net.Socket) => socket.on('data', (data: Buffer) => wire.push(data)));
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.test', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });

  const sent: { tag: string; body: string }[] = [];
  for (const [name, end] of Object.entries(variants)) {
    // Whole in one write, and byte by byte around the fake end: where TCP splits the stream must not matter.
    for (const segmented of [false, true]) {
      const tag = `${name} ${segmented ? 'segmented' : 'whole'}`;
      const body = payload(tag, end);
      const { dialog } = await SmtpDialog.open(h.smtpPort);
      dialog.socket.setNoDelay(true);
      assert.equal((await dialog.command('EHLO client.test'))?.code, 250);
      assert.equal((await dialog.command('MAIL FROM:<sender@sender.test>'))?.code, 250);
      assert.equal((await dialog.command('RCPT TO:<user@example.test>'))?.code, 250);
      assert.equal((await dialog.command('DATA'))?.code, 354);
      if (segmented) {
        const at = body.indexOf(end) - 2;
        dialog.write(body.slice(0, at));
        for (const char of body.slice(at, at + end.length + 14)) {
          dialog.write(Buffer.from(char, 'latin1'));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        dialog.write(body.slice(at + end.length + 14));
      } else {
        dialog.write(body);
      }
      dialog.write('\r\n.\r\n');
      const final = await dialog.read();
      assert.match(final?.lines[0] ?? '', /^250 2\.0\.0 Ok: queued as /, tag);
      // Had the spool ended DATA at the fake dot, the smuggled MAIL/RCPT/DATA/QUIT would have replies
      // queued before this NOOP's, or the session would be gone.
      const noop = await dialog.command('NOOP');
      assert.deepEqual(noop?.lines, ['250 OK'], `${tag}: the next reply is the NOOP's`);
      assert.deepEqual(dialog.malformed, []);
      await dialog.quit();
      sent.push({ tag, body });
    }
  }

  await waitFor(() => destination.messages.length >= sent.length && h.engine.spool.count === 0, 20_000, 'every message delivered');
  await new Promise((resolve) => setTimeout(resolve, 300)); // room for an extra message to show up
  assert.equal(destination.messages.length, sent.length, 'exactly one message downstream per message sent');
  for (const { tag, body } of sent) {
    const matching = destination.messages.filter((message) => message.raw.toString('latin1').includes(`Subject: first ${tag}\r\n`));
    assert.equal(matching.length, 1, tag);
    const message = matching[0]!;
    assert.deepEqual(message.to, ['user@example.test'], tag);
    assert.equal(message.from, 'sender@sender.test', tag);
    const raw = message.raw.toString('latin1');
    // The payload ends "QUIT\r\n" and the real end of data adds one more CRLF before its dot.
    assert.ok(raw.endsWith(`${normalised(body)}\r\n`), `${tag}: the smuggled text is still inside the one message, line endings made CRLF\n${JSON.stringify(raw.slice(-300))}`);
  }
  assert.ok(!destination.messages.some((message) => message.from === 'evil@evil.test' || message.to.includes('victim@example.test')), 'no smuggled envelope');

  // The bytes on the wire to the office server: CRLF only, and "<CRLF>.<CRLF>" once per message.
  const transcript = Buffer.concat(wire).toString('latin1');
  assert.equal(/\r(?!\n)|(?<!\r)\n/.exec(transcript), null, 'no bare CR or LF on the wire');
  assert.equal(transcript.split('\r\n.\r\n').length - 1, sent.length, 'one end-of-data per message');
  assert.equal(transcript.split(/\r\nMAIL FROM:<sender@sender\.test>/i).length - 1, sent.length, 'one MAIL FROM per message');
  const figures = `smuggling variants: ${Object.keys(variants).length} x 2 segmentations = ${sent.length} sessions, messages downstream: ${destination.messages.length}, smuggled: 0`;
  t.diagnostic(figures);
  console.log(`FIGURES smtp-smuggling: ${figures}`);
});
