import { randomFillSync } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time: one crypto call per ~800 ids instead of one per id (a
// measurable cost at thousands of messages a second).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/**
 * Queue ids sort by arrival time (base-36 ms timestamp first), so a directory listing or a plain string
 * sort is oldest first, and carry 40 random bits so two processes never collide.
 */
export function newQueueId(nowMs: number): string {
  return nowMs.toString(36).padStart(9, '0') + randomHex(5);
}

const queueIdPattern = /^[0-9a-z]{9}[0-9a-f]{10}$/;

export function isQueueId(value: string): boolean {
  return queueIdPattern.test(value);
}
