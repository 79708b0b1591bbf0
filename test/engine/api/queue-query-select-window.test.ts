import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mostlyReversed, nthElement, partitionWindow, selectWindow, smallestSorted, type Before } from '../../../electron/engine/api/select-window.js';
import { seeded } from '../../support/seeded-random.js';

/** Order by key, ties by index: the kind of strict total order listQueue hands to selectWindow. */
function byKey(keys: readonly number[]): Before {
  return (a, b) => (keys[a]! !== keys[b]! ? keys[a]! < keys[b]! : a < b);
}

function sortedSlice(keys: readonly number[], start: number, end: number): number[] {
  const before = byKey(keys);
  return keys
    .map((_, index) => index)
    .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
    .slice(start, end);
}

const shapes: Record<string, (count: number, random: () => number) => number[]> = {
  random: (count, random) => Array.from({ length: count }, () => Math.floor(random() * count * 4)),
  'few distinct': (count, random) => Array.from({ length: count }, () => Math.floor(random() * 3)),
  'all equal': (count) => Array.from({ length: count }, () => 7),
  ascending: (count) => Array.from({ length: count }, (_, index) => index),
  descending: (count) => Array.from({ length: count }, (_, index) => count - index),
  'organ pipe': (count) => Array.from({ length: count }, (_, index) => Math.min(index, count - index)),
  sawtooth: (count) => Array.from({ length: count }, (_, index) => index % 17),
};

describe('selectWindow', () => {
  it('equals sorting everything and slicing, for every shape, size and window', () => {
    const random = seeded(1);
    for (const [shape, make] of Object.entries(shapes)) {
      for (const count of [0, 1, 2, 3, 16, 17, 100, 2047, 2049, 6000]) {
        const keys = make(count, random);
        const windows = [
          [0, 1],
          [0, 100],
          [0, count],
          [1, 2],
          [count >> 1, (count >> 1) + 100],
          [2000, 2100], // heap below 2048, partitioning above
          [2048, 3048],
          [count - 1, count + 5],
          [count - 100, count], // the last page: a heap of the reverse order
          [count - 2100, count - 2000],
          [count, count + 10],
          [count + 3, count + 10],
        ];
        for (const [from, to] of windows) {
          const [start, end] = [Math.max(0, from!), Math.max(0, to!)]; // offsets are never negative
          assert.deepEqual(selectWindow(count, start, end, byKey(keys)), sortedSlice(keys, start, end), `${shape}, ${count} items, [${start}, ${end})`);
        }
      }
    }
  });

  it('a first page of 100 out of 100,000 costs about one comparison per item, and a few in reverse order', () => {
    const random = seeded(2);
    const keys = shapes.random!(100_000, random);
    let comparisons = 0;
    const before = byKey(keys);
    const counted: Before = (a, b) => {
      comparisons += 1;
      return before(a, b);
    };
    assert.deepEqual(selectWindow(keys.length, 0, 100, counted), sortedSlice(keys, 0, 100));
    assert.ok(comparisons < 1.2 * keys.length, `${comparisons} comparisons`);
    comparisons = 0;
    assert.deepEqual(selectWindow(keys.length, 50_000, 50_100, counted), sortedSlice(keys, 50_000, 50_100));
    assert.ok(comparisons < 8 * keys.length, `${comparisons} comparisons for a page in the middle`);
    const reversed = shapes.descending!(100_000, random);
    const beforeReversed = byKey(reversed);
    comparisons = 0;
    assert.deepEqual(
      selectWindow(reversed.length, 0, 100, (a, b) => {
        comparisons += 1;
        return beforeReversed(a, b);
      }),
      sortedSlice(reversed, 0, 100),
    );
    assert.ok(comparisons < 1.2 * reversed.length, `${comparisons} comparisons for input in reverse order`);
  });
});

describe('selection helpers', () => {
  it('smallestSorted gives up once too many items displaced the root', () => {
    const descending = shapes.descending!(1000, seeded(6));
    assert.equal(smallestSorted(1000, 10, byKey(descending), 100), null);
    const ascending = shapes.ascending!(1000, seeded(6));
    assert.deepEqual(Array.from(smallestSorted(1000, 10, byKey(ascending), 0)!), sortedSlice(ascending, 0, 10));
  });

  it('smallestSorted keeps the first items in order, visiting them from either end', () => {
    const random = seeded(3);
    for (const make of Object.values(shapes)) {
      const keys = make(500, random);
      for (const keep of [0, 1, 2, 10, 499, 500, 800]) {
        for (const backwards of [false, true]) {
          assert.deepEqual(Array.from(smallestSorted(keys.length, keep, byKey(keys), Infinity, backwards)!), sortedSlice(keys, 0, keep));
        }
      }
    }
  });

  it('mostlyReversed tells items in about the reverse order', () => {
    const random = seeded(7);
    assert.equal(mostlyReversed(1000, byKey(shapes.descending!(1000, random))), true);
    assert.equal(mostlyReversed(1000, byKey(shapes.ascending!(1000, random))), false);
    assert.equal(mostlyReversed(1000, byKey(shapes['all equal']!(1000, random))), false); // ties by index: ascending
    assert.equal(mostlyReversed(1, byKey([1])), false);
    assert.equal(mostlyReversed(0, byKey([])), false);
  });

  it('partitionWindow sorts the window and partitions the rest around it', () => {
    const random = seeded(4);
    for (const make of Object.values(shapes)) {
      const keys = make(3000, random);
      const before = byKey(keys);
      for (const [start, stop] of [[0, 3000], [0, 1], [2999, 3000], [1000, 1001], [1000, 2000], [40, 47]] as const) {
        const items = partitionWindow(keys.length, start, stop, before);
        assert.deepEqual([...items].sort((a, b) => a - b), keys.map((_, index) => index), 'a permutation');
        assert.deepEqual(Array.from(items.subarray(start, stop)), sortedSlice(keys, start, stop));
        const first = items[start]!;
        const last = items[stop - 1]!;
        for (let index = 0; index < start; index += 1) assert.ok(before(items[index]!, first));
        for (let index = stop; index < items.length; index += 1) assert.ok(before(last, items[index]!));
      }
    }
  });

  it('nthElement stays right and O(n log n) against an adversary that makes every pivot the worst', () => {
    // McIlroy, "A Killer Adversary for Quicksort" (1999): values are decided lazily, always against the pivot.
    const count = 4096;
    const gas = Number.MAX_SAFE_INTEGER;
    const value = new Array<number>(count).fill(gas);
    let solid = 0;
    let candidate = -1;
    let comparisons = 0;
    const adversary: Before = (a, b) => {
      comparisons += 1;
      if (value[a] === gas && value[b] === gas) value[a === candidate ? a : b] = solid++;
      if (value[a] === gas) candidate = a;
      else if (value[b] === gas) candidate = b;
      return value[a]! < value[b]!;
    };
    const items = Int32Array.from({ length: count }, (_, index) => index);
    const nth = count >> 1;
    nthElement(items, 0, count - 1, nth, adversary);
    assert.ok(comparisons < 40 * count * Math.log2(count), `${comparisons} comparisons`);
    // Items never compared with each other may take any order consistent with the answers: use their positions.
    items.forEach((item, position) => {
      if (value[item] === gas) value[item] = count + position;
    });
    for (let index = 0; index < count; index += 1) {
      if (index < nth) assert.ok(value[items[index]!]! < value[items[nth]!]!, `position ${index}`);
      if (index > nth) assert.ok(value[items[index]!]! > value[items[nth]!]!, `position ${index}`);
    }
  });
});
