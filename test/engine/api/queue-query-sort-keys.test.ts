import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base36Chunk, NO_NEXT_ATTEMPT, stringRanks, timestampMs, timestampSortKey } from '../../../electron/engine/api/queue-sort-keys.js';
import { seeded } from '../../support/seeded-random.js';

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/** Timestamp-shaped text with every field drawn from a range wider than the calendar's. */
function randomTimestamp(random: () => number): string {
  const field = (below: number, width: number): string => pad(Math.floor(random() * below), width);
  const year = random() < 0.1 ? pick(random, ['0000', '0001', '1969', '1970', '9998', '9999']) : pad(1960 + Math.floor(random() * 100), 4);
  return `${year}-${field(14, 2)}-${field(33, 2)}T${field(26, 2)}:${field(62, 2)}:${field(62, 2)}.${field(1000, 3)}Z`;
}

describe('timestamp keys', () => {
  it('timestampMs equals Date.parse, calendar or not', () => {
    const random = seeded(1);
    const samples = [
      '1970-01-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '0000-02-29T12:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2026-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-11-27T24:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2026-11-27T10:00:00Z',
      '2026-11-27T10:00:00.000+02:00',
      'garbage',
      '',
      '9999',
    ];
    for (let index = 0; index < 50_000; index += 1) samples.push(randomTimestamp(random));
    for (let index = 0; index < 20_000; index += 1) samples.push(new Date(Math.floor((random() - 0.4) * 2.5e14)).toISOString());
    for (const sample of samples) assert.equal(timestampMs(sample), Date.parse(sample), sample);
  });

  it('timestampSortKey orders toISOString timestamps and 9999 as the strings compare', () => {
    const random = seeded(2);
    const samples = [NO_NEXT_ATTEMPT, '9999-01-01T00:00:00.000Z', '9998-12-31T23:59:59.999Z', '0000-01-01T00:00:00.000Z'];
    for (let index = 0; index < 20_000; index += 1) {
      samples.push(random() < 0.5 ? randomTimestamp(random) : new Date(Math.floor(random() * 2.5e14)).toISOString());
    }
    const keyed = samples.filter((sample) => !Number.isNaN(timestampSortKey(sample)));
    assert.ok(keyed.length > 10_000, 'most samples are in range');
    const byString = [...keyed].sort(compareStrings);
    const byKey = [...keyed].sort((a, b) => timestampSortKey(a) - timestampSortKey(b) || compareStrings(a, b));
    assert.deepEqual(byKey, byString);
    for (let index = 1; index < byString.length; index += 1) {
      const previous = byString[index - 1]!;
      const current = byString[index]!;
      assert.equal(timestampSortKey(previous) < timestampSortKey(current), previous < current, `${previous} / ${current}`);
    }
  });

  it('timestampSortKey is NaN for text only a string comparison can order', () => {
    const others = [
      '',
      '9998',
      '2026-11-27T10:00:00Z',
      '2026-11-27T10:00:00.000+02:00',
      '2026-13-01T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-32T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T00:60:00.000Z',
      '2026-01-01T00:00:60.000Z',
      '+010000-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.00aZ',
      '2026-01-01 00:00:00.000Z',
    ];
    for (const text of others) assert.ok(Number.isNaN(timestampSortKey(text)), text);
  });
});

describe('id and string keys', () => {
  it('base36Chunk orders equal-length strings of 0-9a-z as the strings compare, and rejects anything else', () => {
    const random = seeded(3);
    const alphabet = [...'0123456789abcdefghijklmnopqrstuvwxyz'];
    const samples = Array.from({ length: 5000 }, () => Array.from({ length: 10 }, () => pick(random, alphabet)).join(''));
    samples.push('0000000000', 'zzzzzzzzzz');
    const byString = [...samples].sort(compareStrings);
    assert.deepEqual([...samples].sort((a, b) => base36Chunk(a, 0, 10) - base36Chunk(b, 0, 10) || compareStrings(a, b)), byString);
    assert.equal(base36Chunk('zzzzzzzzzz', 0, 10), 36 ** 10 - 1);
    assert.ok(Number.isSafeInteger(base36Chunk('zzzzzzzzzz', 0, 10)));
    assert.equal(base36Chunk('xx10', 2, 2), 36);
    for (const text of ['A', '-', 'ü', ' ', '{', '/', ':', '`']) assert.ok(Number.isNaN(base36Chunk(text, 0, 1)), text);
  });

  it('stringRanks gives equal strings equal ranks in string order', () => {
    // code units: '' < 'B' < 'a' < 'b' < 'ä'
    assert.deepEqual(Array.from(stringRanks(['b', 'a', 'B', 'b', '', 'ä', 'a'])), [3, 2, 1, 3, 0, 4, 2]);
    assert.deepEqual(Array.from(stringRanks([])), []);
  });
});
