import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiContract, type ApiInput, type ApiOutput, type ApiParsedInput } from '../../../electron/contract/api-contract.js';
import { QueueListIndex } from '../../../electron/engine/api/queue-list-index.js';
import { listQueue } from '../../../electron/engine/api/queue-query.js';
import type { QueueEntry } from '../../../electron/engine/spool/queue-entry.js';
import { referenceListQueue } from '../../support/reference-list-queue.js';
import { seeded } from '../../support/seeded-random.js';

type ListInput = ApiParsedInput<'queue.list'>;

const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const MINUTE_MS = 60_000;
const SORTS = ['createdAt', 'nextAttemptAt', 'size', 'attempts', 'domain'] as const;
const ORDERS = ['asc', 'desc'] as const;

type Random = () => number;
const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
const integer = (random: Random, below: number): number => Math.floor(random() * below);

function hex(random: Random, digits: number): string {
  let text = '';
  for (let index = 0; index < digits; index += 1) text += integer(random, 16).toString(16);
  return text;
}

/** A queue id as newQueueId makes them, from the seeded generator. */
function queueId(random: Random, ms: number): string {
  return ms.toString(36).padStart(9, '0') + hex(random, 10);
}

const DOMAINS = ['example.com', 'example.org', 'b.example', 'office.test', 'Mixed.Example'];
const SUBJECTS = ['Invoice 2026-11', 'RE: Meeting notes', 'Überweisung bestätigt', 'ΣΟΦΙΑ ΚΑΙ ΣΟΦΟΣ', 'Weekly report', '', 'İstanbul office'];
const RESPONSES = [null, '421 4.7.0 Try again later', 'connect ECONNREFUSED 127.0.0.1:25'];

/**
 * `count` entries built to collide: timestamps on few distinct milliseconds (many ties), sizes and attempts
 * from small sets, several domains, mixed-case senders, recipients and subjects, held entries without a
 * next attempt. Shuffled, as a spool's index is in no particular order of any sort key.
 */
function randomEntries(random: Random, count: number): QueueEntry[] {
  const base = NOW - 3 * 24 * 60 * MINUTE_MS;
  const entries: QueueEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    // createdAt on whole seconds within 3 days, a third of them on one of 40 busy seconds
    const createdMs = random() < 0.3 ? base + integer(random, 40) * 1000 : base + integer(random, 3 * 24 * 3600) * 1000 + (random() < 0.5 ? integer(random, 1000) : 0);
    const state = pick(random, ['queued', 'queued', 'queued', 'held', 'delivering'] as const);
    const domain = pick(random, DOMAINS);
    const recipients = Array.from({ length: 1 + integer(random, 3) }, (_, n) => `${pick(random, ['Alice', 'bob', 'CAROL', 'dave'])}${n}@${domain}`);
    const nextMs = createdMs + integer(random, 6) * 15 * MINUTE_MS;
    entries.push({
      version: 1,
      id: queueId(random, random() < 0.2 ? base : createdMs), // a fifth share one timestamp prefix
      domain,
      from: pick(random, ['', 'Sender@Example.NET', 'newsletter@lists.example', 'Grüße@example.de', 'x@ΣΟΦΙΑ.example']),
      to: recipients,
      recipients: recipients.map((address) => ({ address, status: 'pending', code: null, response: null })),
      size: pick(random, [100, 4096, 4096, 65_536, 1 + integer(random, 10_000_000)]),
      state,
      createdAt: new Date(createdMs).toISOString(),
      attempts: integer(random, 5),
      nextAttemptAt: state === 'held' ? null : new Date(nextMs).toISOString(),
      lastAttemptAt: null,
      lastResponse: pick(random, RESPONSES),
      expiresAt: new Date(createdMs + 5 * 24 * 60 * MINUTE_MS).toISOString(),
      messageId: `<${index}@example.net>`,
      subject: random() < 0.2 ? null : pick(random, SUBJECTS),
      kind: pick(random, ['inbound', 'inbound', 'bounce', 'warning'] as const),
      clientAddress: '192.0.2.1',
      heloName: null,
      warned: false,
    });
  }
  return entries;
}

/** The input as the API parses it, defaults applied. */
function parse(input: ApiInput<'queue.list'>): ListInput {
  return apiContract['queue.list'].input.parse(input);
}

/** Kept across every assertSame of this file, so it also goes from one unrelated data set to the next. */
const sharedIndex = new QueueListIndex();

/** listQueue, without an index and with a kept one, answers exactly as the reference. */
function assertSame(entries: readonly QueueEntry[], input: ApiInput<'queue.list'>, nowMs = NOW, index = sharedIndex): ApiOutput<'queue.list'> {
  const parsed = parse(input);
  const expected = referenceListQueue(entries, parsed, nowMs);
  const answers = { 'without an index': listQueue(entries, parsed, nowMs), 'with a kept index': listQueue(entries, parsed, nowMs, index) };
  for (const [how, actual] of Object.entries(answers)) {
    const what = `${how} for ${JSON.stringify(input)}`;
    assert.equal(actual.total, expected.total, `total ${what}`);
    assert.deepEqual(
      actual.items.map((item) => item.id),
      expected.items.map((item) => item.id),
      `ids ${what}`,
    );
    assert.deepEqual(actual, expected, `items ${what}`);
  }
  return answers['with a kept index'];
}

describe('listQueue answers as the full sort did', () => {
  const entries = randomEntries(seeded(7), 5000);

  it('every sort field, both orders, pages from the first to past the last', () => {
    const pages = [
      { offset: 0, limit: 1 },
      { offset: 0, limit: 100 },
      { offset: 100, limit: 100 },
      { offset: 0, limit: 1000 },
      { offset: 1999, limit: 100 }, // crosses from the bounded heap to partitioning
      { offset: 2500, limit: 1000 },
      { offset: 4950, limit: 100 }, // past the end: a short last page
      { offset: 4999, limit: 1 },
      { offset: 5000, limit: 10 }, // nothing left
      { offset: 123_456, limit: 1000 },
    ];
    for (const sort of SORTS) {
      for (const order of ORDERS) {
        for (const page of pages) assertSame(entries, { sort, order, ...page });
      }
      assertSame(entries, { sort }); // defaults: asc, offset 0, limit 100
    }
    assertSame(entries, {});
  });

  it('every page of one sort, read front to back, lists every match once in order', () => {
    const full = referenceListQueue(entries, parse({ sort: 'attempts', order: 'desc', limit: 1000 }), NOW).total;
    const seen: string[] = [];
    for (let offset = 0; offset < full; offset += 700) {
      seen.push(...assertSame(entries, { sort: 'attempts', order: 'desc', offset, limit: 700 }).items.map((item) => item.id));
    }
    assert.equal(seen.length, entries.length);
    assert.equal(new Set(seen).size, entries.length);
  });

  it('filters by domain (case-insensitive input, exact entry domain), state, age and search, alone and combined', () => {
    const filters: ApiInput<'queue.list'>[] = [
      { domain: 'example.com' },
      { domain: 'EXAMPLE.ORG' },
      { domain: 'mixed.example' }, // entries keep 'Mixed.Example': the lower-cased filter never matches it
      { domain: 'Mixed.Example' },
      { domain: 'nowhere.example' },
      { domain: '' }, // empty: no filter
      { state: 'queued' },
      { state: 'held' },
      { state: 'delivering' },
      { olderThanMinutes: 0 },
      { olderThanMinutes: 60 },
      { olderThanMinutes: 24 * 60 },
      { olderThanMinutes: 3 * 24 * 60 - 0.5 }, // the busy seconds at the start of the range
      { olderThanMinutes: 2 * 24 * 60 + 1 / 60_000 / 3 }, // a threshold between two milliseconds
      { olderThanMinutes: 1e9 },
      { search: 'invoice' },
      { search: 'INVOICE' },
      { search: 'alice1@' },
      { search: 'sender@example.net' },
      { search: 'σοφια' }, // lower case of the Greek subject and sender
      { search: 'ς' }, // final sigma: only where toLowerCase of a whole field makes one
      { search: 'i̇stanbul' }, // 'İ'.toLowerCase() is two code units
      { search: 'grüße' },
      { search: entries[17]!.id.slice(3, 12) },
      { search: entries[17]!.id },
      { search: '@' },
      { search: 'nothing matches this' },
      { search: '' }, // empty: no filter
      { search: 're: meeting\u0000' },
      { domain: 'example.com', state: 'queued', olderThanMinutes: 30, search: 'bob' },
      { state: 'held', search: 'report' },
    ];
    for (const filter of filters) {
      for (const sort of SORTS) {
        assertSame(entries, { ...filter, sort, order: 'asc', limit: 50 });
        assertSame(entries, { ...filter, sort, order: 'desc', offset: 30, limit: 1000 });
      }
    }
  });

  it('the age filter compares with Date.parse exactly at the threshold millisecond', () => {
    const at = (createdAt: string, n: number): QueueEntry => ({ ...randomEntries(seeded(n), 1)[0]!, id: `${'0'.repeat(18)}${n}`, createdAt });
    const threshold = NOW - 90 * MINUTE_MS;
    const edge = [
      at(new Date(threshold - 1).toISOString(), 1),
      at(new Date(threshold).toISOString(), 2),
      at(new Date(threshold + 1).toISOString(), 3),
    ];
    const older = assertSame(edge, { olderThanMinutes: 90 });
    assert.deepEqual(
      older.items.map((item) => item.createdAt),
      [new Date(threshold - 1).toISOString(), new Date(threshold).toISOString()],
    );
    assertSame(edge, { olderThanMinutes: 90 + 0.5 / MINUTE_MS }); // threshold half a millisecond earlier
    assertSame(edge, { olderThanMinutes: 90 - 0.5 / MINUTE_MS });
  });

  it('ties on every key are broken by id, reversed with the order', () => {
    const random = seeded(11);
    const tied = randomEntries(random, 3000).map((entry, index) => ({
      ...entry,
      createdAt: '2026-11-27T10:00:00.000Z',
      nextAttemptAt: index % 3 === 0 ? null : '2026-11-27T11:00:00.000Z',
      size: 4096,
      attempts: index % 2,
      domain: 'example.com',
    }));
    for (const sort of SORTS) {
      for (const order of ORDERS) {
        for (const offset of [0, 1500, 2950]) assertSame(tied, { sort, order, offset, limit: 100 });
      }
    }
  });

  it('entries equal in key and id keep their iteration order, as the stable sort kept them', () => {
    const random = seeded(12);
    const unique = randomEntries(random, 300);
    // the same id several times (the function takes any iterable); the messageId tells the copies apart
    const doubled = [...unique, ...unique.map((entry) => ({ ...entry, messageId: `copy of ${entry.messageId}` })), ...unique.slice(0, 50)];
    for (const sort of SORTS) {
      for (const order of ORDERS) {
        assertSame(doubled, { sort, order, limit: 1000 });
        assertSame(doubled, { sort, order, offset: 200, limit: 50 });
      }
    }
  });

  it('timestamps and ids in other forms than the spool writes still sort as strings', () => {
    const random = seeded(13);
    const odd = [
      '2026-11-27T10:00:00Z', // no milliseconds
      '2026-11-27T10:00:00.000+02:00',
      '2026-02-30T10:00:00.000Z', // Date.parse rolls over to March 2
      '2026-11-27T24:00:00.000Z', // Date.parse: midnight of the next day
      '2026-13-01T00:00:00.000Z', // Date.parse: NaN
      '2026-11-27T10:00:60.000Z',
      '+010000-01-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '9999',
      '9999-12-31T23:59:59.999Z',
      '9998-12-31T23:59:59.999Z',
      '',
      'not a date',
      '2026-11-27',
      '２０２６-11-27T10:00:00.000Z', // full-width digits
    ];
    const entries = randomEntries(random, 2000).map((entry, index) => {
      const changed = { ...entry };
      if (index % 7 === 0) changed.createdAt = pick(random, odd);
      if (index % 5 === 0) changed.nextAttemptAt = pick(random, odd);
      if (index % 11 === 0) changed.id = pick(random, ['A', 'Zz', 'abc', '0', 'ü', '', 'x'.repeat(25)]) + integer(random, 1000);
      return changed;
    });
    for (const sort of SORTS) {
      for (const order of ORDERS) {
        assertSame(entries, { sort, order, limit: 200 });
        assertSame(entries, { sort, order, offset: 1200, limit: 200 });
        assertSame(entries, { sort, order, olderThanMinutes: 600, limit: 100 });
      }
    }
    // only the timestamps odd, every id a queue id; and only the ids odd
    const oddTimes = entries.map((entry, index) => ({ ...entry, id: queueId(random, index) }));
    const oddIds = randomEntries(seeded(14), 2000).map((entry, index) => ({ ...entry, id: index % 13 === 0 ? `Q${index}` : entry.id }));
    for (const order of ORDERS) {
      assertSame(oddTimes, { sort: 'createdAt', order, offset: 500 });
      assertSame(oddTimes, { sort: 'nextAttemptAt', order, offset: 500 });
      assertSame(oddIds, { sort: 'attempts', order, offset: 500 });
    }
  });

  it('ids of one length other than 19, and of lengths up to 20 and beyond, still order as strings', () => {
    for (const length of [1, 5, 10, 11, 20, 21]) {
      const random = seeded(length);
      const entries = randomEntries(random, 800).map((entry) => ({
        ...entry,
        attempts: integer(random, 2),
        id: Array.from({ length }, () => pick(random, [...'0189az'])).join(''),
      }));
      for (const order of ORDERS) assertSame(entries, { sort: 'attempts', order, offset: 100, limit: 300 });
    }
  });

  it('an empty queue and a queue of one', () => {
    assert.deepEqual(listQueue([], parse({}), NOW), { total: 0, items: [] });
    const one = randomEntries(seeded(3), 1);
    for (const sort of SORTS) assertSame(one, { sort, order: 'desc' });
  });

  it('reads any iterable once, such as the spool index values()', () => {
    const map = new Map(randomEntries(seeded(5), 500).map((entry) => [entry.id, entry]));
    const parsed = parse({ sort: 'nextAttemptAt', order: 'desc', offset: 20, limit: 40 });
    assert.deepEqual(listQueue(map.values(), parsed, NOW), referenceListQueue(map.values(), parsed, NOW));
  });

  it('returns the public item shape, without internal bookkeeping', () => {
    const [item] = listQueue(randomEntries(seeded(4), 3), parse({ limit: 1 }), NOW).items;
    assert.ok(item);
    for (const internal of ['version', 'clientAddress', 'heloName', 'warned']) assert.ok(!(internal in item), internal);
  });
});

describe('search reflects the entry as it is now', () => {
  it('an entry replaced by a changed copy (as the spool replaces entries) is matched on its new text', () => {
    const [entry] = randomEntries(seeded(21), 1);
    assert.ok(entry);
    const before = { ...entry, subject: 'Quarterly figures', to: ['ann@example.com'] };
    const parsed = (search: string): ListInput => parse({ search });
    assert.equal(listQueue([before], parsed('quarterly'), NOW).total, 1);
    const after = { ...before, subject: 'Annual figures', to: ['zed@example.com'] };
    assert.equal(listQueue([after], parsed('quarterly'), NOW).total, 0);
    assert.equal(listQueue([after], parsed('annual'), NOW).total, 1);
    assert.equal(listQueue([after], parsed('ann@'), NOW).total, 0);
    assert.equal(listQueue([before], parsed('ann@'), NOW).total, 1);
  });
});

describe('an index kept across requests', () => {
  it('answers as the full sort while the queue changes as a spool changes it, and when it is iterated otherwise', () => {
    const random = seeded(31);
    const queue = new Map(randomEntries(random, 3000).map((entry) => [entry.id, entry]));
    const index = new QueueListIndex();
    const spare = randomEntries(seeded(32), 2000);
    const searches = ['invoice', 'bob', 'σοφια', 'zed', 're: meeting'];
    for (let round = 0; round < 60; round += 1) {
      const ids = [...queue.keys()];
      const some = (): string => pick(random, ids);
      // what a spool does: replace with changed copies, remove, append new ids
      for (let change = integer(random, 80); change > 0; change -= 1) {
        const id = some();
        const entry = queue.get(id);
        if (!entry) continue;
        queue.set(id, {
          ...entry,
          attempts: entry.attempts + 1,
          nextAttemptAt: random() < 0.2 ? null : new Date(NOW + integer(random, 3_600_000)).toISOString(),
          state: pick(random, ['queued', 'held', 'delivering'] as const),
          size: random() < 0.5 ? entry.size : integer(random, 10_000),
          subject: random() < 0.3 ? `Zed ${pick(random, SUBJECTS)}` : entry.subject,
          to: random() < 0.3 ? entry.to.slice(1) : entry.to,
          domain: random() < 0.05 ? pick(random, ['new.example', 'example.com']) : entry.domain,
        });
      }
      for (let change = integer(random, 60); change > 0; change -= 1) queue.delete(some());
      for (let change = integer(random, 60); change > 0 && spare.length > 0; change -= 1) {
        const entry = spare.pop()!;
        queue.set(entry.id, random() < 0.05 ? { ...entry, createdAt: '2026-11-27T10:00:00Z' } : entry);
      }
      if (round % 10 === 7) {
        const id = some(); // removed and queued again: its row moves to the end
        const entry = queue.get(id)!;
        queue.delete(id);
        queue.set(id, entry);
      }
      if (round === 40) queue.set('Odd-Id', { ...queue.values().next().value!, id: 'Odd-Id' });
      // mostly the Map itself; sometimes another order or a subset, which the index must survive too
      const view = round % 13 === 5 ? [...queue.values()].reverse() : round % 17 === 3 ? [...queue.values()].filter((_, n) => n % 3 !== 0) : [...queue.values()];
      for (let request = 0; request < 3; request += 1) {
        const filter: ApiInput<'queue.list'> =
          request === 0 ? {} : pick(random, [{ search: pick(random, searches) }, { state: 'held' as const }, { domain: 'example.com' }, { olderThanMinutes: 24 * 60 }, { domain: 'new.example', search: 'z' }]);
        const offset = pick(random, [0, 0, 100, 1500, 2900]);
        assertSame(view, { ...filter, sort: pick(random, SORTS), order: pick(random, ORDERS), offset, limit: pick(random, [1, 50, 100, 1000]) }, NOW, index);
      }
    }
  });

  it('reads only entries that changed: unchanged ones are not touched again', () => {
    const reads = { count: 0 };
    /** An entry whose fields count their reads. */
    const watched = (entry: QueueEntry): QueueEntry => {
      const copy = {} as QueueEntry;
      for (const [name, value] of Object.entries(entry)) {
        Object.defineProperty(copy, name, {
          enumerable: true,
          get: () => {
            reads.count += 1;
            return value as unknown;
          },
        });
      }
      return copy;
    };
    const entries = randomEntries(seeded(33), 2000).map(watched);
    const index = new QueueListIndex();
    const inputs = SORTS.map((sort) => parse({ sort, order: 'desc', limit: 1, search: 'e', olderThanMinutes: 10 }));
    for (const input of inputs) listQueue(entries, input, NOW, index);
    assert.ok(reads.count > entries.length, 'the first requests read every entry');

    const pageReads = Object.keys(entries[0]!).length; // toQueueItem of the one item on the page, and a little slack
    reads.count = 0;
    for (const input of inputs) listQueue(entries, input, NOW, index);
    assert.ok(reads.count <= inputs.length * pageReads, `${reads.count} reads for ${inputs.length} requests on an unchanged queue`);

    const changed = [...entries];
    changed[500] = watched({ ...randomEntries(seeded(34), 1)[0]!, id: entries[500]!.id });
    changed.splice(1000, 1);
    reads.count = 0;
    for (const input of inputs) listQueue(changed, input, NOW, index);
    assert.ok(reads.count <= inputs.length * pageReads + 40, `${reads.count} reads after one entry changed and one was removed`);
  });
});
