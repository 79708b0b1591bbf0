/**
 * A strict total order on indices: `before(a, b)` is true when item `a` sorts before item `b`. It must
 * never call two different indices equal (break ties by index) and never say both `before(a, b)` and
 * `before(b, a)`.
 */
export type Before = (a: number, b: number) => boolean;

/** Up to this many leading (offset + limit) or trailing items a bounded heap beats partitioning the whole list. */
const HEAP_MAX = 2048;
/** Ranges at most this long are finished by insertion sort. */
const SMALL_RANGE = 16;

/**
 * The indices of items `start` to `end - 1` (0-based, end exclusive) of `count` items, in the order
 * `before` defines, without sorting the other items: the same answer as sorting all `count` indices and
 * slicing, in O(count) comparisons for a page near either end and expected O(count) for one in the middle.
 */
export function selectWindow(count: number, start: number, end: number, before: Before): number[] {
  const stop = Math.min(end, count);
  if (start >= stop) return [];
  // The heap is cheap while few items displace its root: items visited in about the order asked for, or at
  // random. So it visits them from the end when they look to be in about the reverse order (newest first of
  // a queue iterated oldest first), and gives up for partitioning (a few comparisons per item whatever the
  // order) when too many displace the root all the same.
  const maxReplacements = count >> 3;
  if (stop <= HEAP_MAX) {
    const first = smallestSorted(count, stop, before, maxReplacements, mostlyReversed(count, before));
    if (first) return Array.from(first.subarray(start, stop));
  } else if (count - start <= HEAP_MAX) {
    // A page near the end (the pager's "last page"): the first items of the reverse order, read backwards.
    const after: Before = (a, b) => before(b, a);
    const last = smallestSorted(count, count - start, after, maxReplacements, mostlyReversed(count, after));
    if (last) return Array.from({ length: stop - start }, (_, offset) => last[count - 1 - start - offset]!);
  }
  return Array.from(partitionWindow(count, start, stop, before).subarray(start, stop));
}

/** Whether most of 32 evenly spread neighbours are in the reverse of the order `before` defines. */
export function mostlyReversed(count: number, before: Before): boolean {
  const samples = Math.max(0, Math.min(32, count - 1));
  let reversed = 0;
  for (let sample = 0; sample < samples; sample += 1) {
    const item = Math.floor((sample * (count - 1)) / samples);
    if (before(item + 1, item)) reversed += 1;
  }
  return reversed * 3 > samples * 2;
}

/**
 * The `keep` first items in order, by one pass with a bounded max-heap whose root is the last item kept
 * so far: an item that does not sort before the root costs one comparison, one that does O(log keep).
 * Items are visited from the last when `backwards`. Null once more than `maxReplacements` items went into
 * the heap after it filled.
 */
export function smallestSorted(count: number, keep: number, before: Before, maxReplacements = Infinity, backwards = false): Int32Array | null {
  const heap = new Int32Array(Math.max(0, Math.min(keep, count)));
  const size = heap.length;
  if (size === 0) return heap;
  const last = count - 1;
  for (let visit = 0; visit < size; visit += 1) {
    const item = backwards ? last - visit : visit;
    // sift up: the parent must not sort before the child
    let child = visit;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const parentItem = heap[parent]!;
      if (!before(parentItem, item)) break;
      heap[child] = parentItem;
      child = parent;
    }
    heap[child] = item;
  }
  let replacements = 0;
  for (let visit = size; visit < count; visit += 1) {
    const item = backwards ? last - visit : visit;
    if (!before(item, heap[0]!)) continue;
    if (++replacements > maxReplacements) return null;
    siftDown(heap, size, item, before);
  }
  // Heap sort in place: move the root (the last of the kept items) to the end, repeatedly.
  for (let end = size - 1; end > 0; end -= 1) {
    const root = heap[0]!;
    siftDown(heap, end, heap[end]!, before);
    heap[end] = root;
  }
  return heap;
}

/** Puts `item` at the root of a max-heap of `size` items and lets it sink to its place. */
function siftDown(heap: Int32Array, size: number, item: number, before: Before): void {
  let parent = 0;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size && before(heap[child]!, heap[right]!)) child = right;
    const childItem = heap[child]!;
    if (!before(item, childItem)) break;
    heap[parent] = childItem;
    parent = child;
  }
  heap[parent] = item;
}

/**
 * All `count` indices, arranged so that positions `start` to `stop - 1` hold exactly the items of that
 * rank, sorted; other positions are only partitioned (everything before `start` sorts before the window,
 * everything after it sorts after).
 */
export function partitionWindow(count: number, start: number, stop: number, before: Before): Int32Array {
  const items = new Int32Array(count);
  for (let index = 0; index < count; index += 1) items[index] = index;
  if (start >= stop) return items;
  nthElement(items, 0, count - 1, start, before);
  if (stop - 1 > start) nthElement(items, start + 1, count - 1, stop - 1, before);
  sortRange(items, start, stop - 1, before);
  return items;
}

/**
 * Quickselect (Hoare partition, median-of-three pivot): afterwards `items[nth]` is the item of rank `nth`
 * within `left..right`, items left of it sort before it and items right of it after. Falls back to a full
 * sort of the remaining range after too many unlucky partitions, so the worst case stays O(n log n).
 */
export function nthElement(items: Int32Array, left: number, right: number, nth: number, before: Before): void {
  let budget = 2 * Math.ceil(Math.log2(right - left + 2)) + 4;
  while (right - left > SMALL_RANGE) {
    if (budget === 0) {
      sortRange(items, left, right, before);
      return;
    }
    budget -= 1;
    const pivot = medianOfThree(items[left]!, items[(left + right) >>> 1]!, items[right]!, before);
    let low = left;
    let high = right;
    while (low <= high) {
      while (before(items[low]!, pivot)) low += 1;
      while (before(pivot, items[high]!)) high -= 1;
      if (low <= high) {
        const swap = items[low]!;
        items[low] = items[high]!;
        items[high] = swap;
        low += 1;
        high -= 1;
      }
    }
    // Now left..high sort before or at the pivot, low..right at or after it, anything between is the pivot.
    if (nth <= high) right = high;
    else if (nth >= low) left = low;
    else return;
  }
  sortRange(items, left, right, before);
}

function medianOfThree(a: number, b: number, c: number, before: Before): number {
  if (before(a, b)) {
    if (before(b, c)) return b;
    return before(a, c) ? c : a;
  }
  if (before(a, c)) return a;
  return before(b, c) ? c : b;
}

/** Sorts `items[left..right]` (inclusive) in place. */
function sortRange(items: Int32Array, left: number, right: number, before: Before): void {
  if (right - left <= SMALL_RANGE) {
    for (let index = left + 1; index <= right; index += 1) {
      const item = items[index]!;
      let at = index - 1;
      while (at >= left && before(item, items[at]!)) {
        items[at + 1] = items[at]!;
        at -= 1;
      }
      items[at + 1] = item;
    }
    return;
  }
  items.subarray(left, right + 1).sort((a, b) => (a === b ? 0 : before(a, b) ? -1 : 1));
}
