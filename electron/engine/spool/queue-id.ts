import { randomBytes } from 'node:crypto';

/**
 * Queue ids sort by arrival time (base-36 ms timestamp first), so a directory listing or a plain string
 * sort is oldest first, and carry 40 random bits so two processes never collide.
 */
export function newQueueId(nowMs: number): string {
  return nowMs.toString(36).padStart(9, '0') + randomBytes(5).toString('hex');
}

const queueIdPattern = /^[0-9a-z]{9}[0-9a-f]{10}$/;

export function isQueueId(value: string): boolean {
  return queueIdPattern.test(value);
}
