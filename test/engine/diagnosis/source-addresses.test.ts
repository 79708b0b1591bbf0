import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptRecord } from '../../../electron/contract/report-schema.js';
import { allowlistInstructions } from '../../../electron/engine/diagnosis/allowlist-instructions.js';
import { sourceAddresses } from '../../../electron/engine/diagnosis/source-addresses.js';

const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const DAY = 86_400_000;

function attempt(overrides: Partial<AttemptRecord>): AttemptRecord {
  return {
    time: new Date(NOW - 60_000).toISOString(),
    queueId: 'q1',
    messageId: null,
    domain: 'example.com',
    from: 's@example.net',
    recipients: ['a@example.com'],
    destination: 'mail.example.com:25',
    remoteAddress: '192.0.2.10',
    localAddress: '192.0.2.7',
    stage: 'done',
    code: 250,
    enhancedCode: '2.0.0',
    response: '250 2.0.0 Ok',
    errorCode: null,
    durationMs: 10,
    outcome: 'delivered',
    ...overrides,
  };
}

/** The slice of JsonLinesLog that sourceAddresses reads, over an array, honouring the range. */
function logOf(records: AttemptRecord[]) {
  return {
    async *readRange(startMs: number, endMs: number, filter?: (record: AttemptRecord) => boolean) {
      for (const record of records) {
        const timeMs = Date.parse(record.time);
        if (timeMs >= startMs && timeMs < endMs && (filter === undefined || filter(record))) yield record;
      }
    },
  };
}

test('counts per destination and address over the last 7 days, newest address first; no connection, no address', async () => {
  const records = [
    attempt({ localAddress: '192.0.2.7', time: new Date(NOW - 3 * DAY).toISOString() }),
    attempt({ localAddress: '192.0.2.7', time: new Date(NOW - 2 * DAY).toISOString() }),
    attempt({ localAddress: '2001:db8::7', time: new Date(NOW - DAY).toISOString(), domain: 'example.org' }),
    attempt({ localAddress: '198.51.100.1', time: new Date(NOW - 8 * DAY).toISOString() }), // too old
    attempt({ localAddress: null, stage: 'connect', code: null, response: 'connect ECONNREFUSED 192.0.2.10:25', errorCode: 'ECONNECTION', outcome: 'deferred' }),
    attempt({ localAddress: null, destination: '', errorCode: 'ESUSPENDED', response: 'Delivery temporarily suspended: x', outcome: 'deferred' }),
  ];
  const result = await sourceAddresses(logOf(records), [], NOW);
  assert.equal(result.since, new Date(NOW - 7 * DAY).toISOString());
  assert.equal(result.destinations.length, 1);
  const [destination] = result.destinations;
  assert.equal(destination?.destination, 'mail.example.com:25');
  assert.deepEqual(destination.domains, ['example.com', 'example.org']);
  assert.deepEqual(
    destination.addresses.map((entry) => [entry.address, entry.count, entry.lastSeen]),
    [
      ['2001:db8::7', 1, new Date(NOW - DAY).toISOString()],
      ['192.0.2.7', 2, new Date(NOW - 2 * DAY).toISOString()],
    ],
  );
});

test('allowlisting steps name the address in each server\'s own notation', () => {
  const v4 = allowlistInstructions('192.0.2.7', 2525);
  assert.match(v4.find((entry) => entry.server === 'exchange')!.text, /-RemoteIPRanges 192\.0\.2\.7 .*-Bindings 0\.0\.0\.0:2525|-Bindings 0\.0\.0\.0:2525 -RemoteIPRanges 192\.0\.2\.7/);
  assert.match(v4.find((entry) => entry.server === 'postfix')!.text, /"192\.0\.2\.7\/32 permit"/);
  const v6 = allowlistInstructions('2001:db8::7', 25);
  const postfix = v6.find((entry) => entry.server === 'postfix')!.text;
  assert.match(postfix, /mynetworks = 127\.0\.0\.0\/8 \[::1\]\/128 \[2001:db8::7\]\/128/);
  assert.match(postfix, /"2001:db8::7\/128 permit"/);
  for (const entry of [...v4, ...v6]) assert.doesNotMatch(entry.text, /\{\w+\}/, entry.server);
});
