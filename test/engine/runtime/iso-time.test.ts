import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTimeMs } from '../../../electron/engine/runtime/iso-time.js';

/** A seeded generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

test('gives what Date.parse gives for toISOString times across 1970-2200', () => {
  const next = random(20261128);
  for (let index = 0; index < 20_000; index += 1) {
    const text = new Date(Math.floor(next() * Date.UTC(2200, 0, 1))).toISOString();
    assert.equal(isoTimeMs(text), Date.parse(text), text);
  }
});

test('gives what Date.parse gives for every other form and for near misses, NaN included', () => {
  const cases = [
    '2026-11-28T15:04:20.702Z',
    '2026-02-28T23:59:59.999Z',
    '2026-02-29T00:00:00.000Z', // not a leap year
    '2024-02-29T00:00:00.000Z',
    '2026-04-31T00:00:00.000Z',
    '2026-01-31T12:00:00.000Z',
    '2026-00-10T00:00:00.000Z',
    '2026-13-10T00:00:00.000Z',
    '2026-11-00T00:00:00.000Z',
    '2026-11-28T24:00:00.000Z',
    '2026-11-28T24:00:00.001Z',
    '2026-02-32T00:00:00.000Z',
    '2026-11-28T23:60:00.000Z',
    '2026-11-28T23:59:60.000Z',
    '0001-01-01T00:00:00.000Z',
    '0099-12-31T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00.000Z',
    '9999-12-28T23:59:59.999Z',
    '2026-11-28T15:04:20.702z',
    '2026-11-28t15:04:20.702Z',
    '2026-11-28 15:04:20.702Z',
    '2026-11-28T15:04:20Z',
    '2026-11-28T15:04:20.70Z',
    '2026-11-28T15:04:20.7021Z',
    '2026-11-28T15:04:20.702+00:00',
    '2026-11-28T15:04:20.702',
    '2026-11-28',
    '2026-1a-28T15:04:20.702Z',
    '2026-11-28T15:04:2 .702Z',
    '2026-11-28T15:04:20,702Z',
    '2026/11/28T15:04:20.702Z',
    '+02026-11-28T15:04:2.702Z',
    '-2026-11-28T15:04:20.70Z',
    '２026-11-28T15:04:20.702Z',
    'Sat, 28 Nov 2026 15:04:20 GMT',
    '',
    'not a date at all, 24 ch',
  ];
  for (const text of cases) assert.ok(Object.is(isoTimeMs(text), Date.parse(text)), `${JSON.stringify(text)}: ${isoTimeMs(text)} against ${Date.parse(text)}`);
});

test('every single character changed in a toISOString time still gives what Date.parse gives', () => {
  const base = '2026-11-28T15:04:20.702Z';
  const alphabet = '0123456789-:.TZtz +/a\u0660';
  for (let position = 0; position < base.length; position += 1) {
    for (const character of alphabet) {
      const text = base.slice(0, position) + character + base.slice(position + 1);
      assert.ok(Object.is(isoTimeMs(text), Date.parse(text)), JSON.stringify(text));
    }
  }
});
