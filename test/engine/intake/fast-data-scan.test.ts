import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { test } from 'node:test';
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { feedDataStream, type SmtpStreamInternals } from '../../../electron/engine/intake/fast-data-scan.js';
import { IntakeSmtpServer } from '../../../electron/engine/intake/intake-smtp-server.js';
import { seeded } from '../../support/seeded-random.js';

interface Outcome {
  data: string;
  ended: boolean;
  after: string[];
}

/** Feeds `chunks` to a parser in DATA mode and reports the message it let through, whether it ended, and the commands after it. */
async function parse(chunks: Buffer[], fast: boolean): Promise<Outcome> {
  const parser = new SMTPStream();
  if (fast) (parser as unknown as SmtpStreamInternals)._feedDataStream = feedDataStream;
  const after: string[] = [];
  parser.oncommand = (command: Buffer, callback?: () => void) => {
    after.push(command.toString('latin1'));
    callback?.(); // none for the last line flushed at the end of input
  };
  const data: Buffer[] = [];
  let ended = false;
  const stream = parser.startDataMode(Infinity);
  stream.on('data', (chunk: Buffer) => data.push(chunk));
  stream.on('end', () => {
    ended = true;
    parser.continue();
  });
  for (const chunk of chunks) await new Promise<void>((resolve, reject) => parser.write(chunk, (error) => (error ? reject(error) : resolve())));
  await new Promise<void>((resolve) => parser.end(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  return { data: Buffer.concat(data).toString('latin1'), ended, after };
}

// Pieces chosen to hit every branch: line-starting dots, escapes, the terminator, bare CR and LF.
const PIECES = ['a', 'text ', '.', '..', '\r\n', '\n', '\r', '\r\n.', '\r\n..', '.\r\n', '\r\n.\r\n', '\n.\n', '\r.\r', 'x'.repeat(300)];

function randomCase(random: () => number): Buffer[] {
  let text = '';
  const pieces = Math.floor(random() * 40);
  for (let index = 0; index < pieces; index++) text += PIECES[Math.floor(random() * PIECES.length)];
  if (random() < 0.8) text += '\r\n.\r\nQUIT\r\n';
  const bytes = Buffer.from(text, 'latin1');
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = random() < 0.5 ? 1 + Math.floor(random() * 4) : 1 + Math.floor(random() * 200);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

test('the indexOf scan lets through the same bytes, ends at the same place and leaves the same commands as smtp-server\'s own, whatever the chunking', async () => {
  const random = seeded(6);
  let ends = 0;
  for (let round = 0; round < 3000; round++) {
    const chunks = randomCase(random);
    const original = await parse(chunks, false);
    const fast = await parse(chunks, true);
    assert.deepEqual(fast, original, `case ${round}: ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`);
    if (original.ended) ends++;
  }
  assert.ok(ends > 1000, `${ends} of the cases reached the end of data`); // the comparison covered ends, not only unfinished data
});

test('a large message with dot lines in 64 KiB chunks comes through whole and unescaped', async () => {
  const lines = Array.from({ length: 20_000 }, (_, index) => (index % 50 === 0 ? `..line ${index}` : `line ${index} of the body`));
  const wire = Buffer.from(lines.join('\r\n') + '\r\n.\r\n', 'latin1');
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < wire.length; offset += 65536) chunks.push(wire.subarray(offset, offset + 65536));
  const fast = await parse(chunks, true);
  assert.equal(fast.ended, true);
  assert.equal(fast.data, lines.map((line) => line.replace(/^\.\./, '.')).join('\r\n') + '\r\n');
});

test('smtp-server\'s data step is still the one fast-data-scan.ts was copied from (a new version must be compared again)', () => {
  const source = (SMTPStream.prototype as unknown as { _feedDataStream: () => void })._feedDataStream.toString();
  assert.equal(createHash('sha256').update(source).digest('hex'), FEED_DATA_STREAM_3_21);
});

test('every connection of the intake server parses DATA with the indexOf scan', async (t) => {
  const server = new IntakeSmtpServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false }, () => ({ greetPauseMs: 0, maxSessionSeconds: 0 }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const socket = net.connect((server.server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => socket.once('data', resolve));
  const [connection] = server.connections as Set<unknown>;
  assert.equal((connection as { _parser: SmtpStreamInternals })._parser._feedDataStream, feedDataStream);
  socket.destroy();
});

/** sha256 of SMTPStream.prototype._feedDataStream.toString() in smtp-server 3.21.x, the body fast-data-scan.ts copies. */
const FEED_DATA_STREAM_3_21 = '9d8b903f9a3a63542d72e19a9e2f67009a3b1107a28d57e8e7369355454ff230';
