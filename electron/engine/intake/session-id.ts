import { randomFillSync } from 'node:crypto';

const IDS_PER_FILL = 256;
const BYTES_PER_ID = 10;
const pool = Buffer.alloc(IDS_PER_FILL * BYTES_PER_ID);
let nextId = IDS_PER_FILL;

/**
 * A session id as smtp-server makes one: 80 random bits written as 16 base-32 digits (what its
 * `BigInt(...).toString(32).padStart(16, '0')` gives). smtp-server asks the system for 10 random bytes per
 * connection, 1.6 % of the main thread when every message comes on its own connection; this fills a pool
 * once per 256 ids. The id names a session in logs and Received headers, it is not a secret.
 */
export function newSessionId(): string {
  if (nextId === IDS_PER_FILL) {
    randomFillSync(pool);
    nextId = 0;
  }
  const offset = nextId * BYTES_PER_ID;
  nextId += 1;
  // 40 bits each, exact in a double; 40 is a multiple of 5, so the halves are 8 base-32 digits each.
  return base32Digits(pool.readUIntBE(offset, 5)) + base32Digits(pool.readUIntBE(offset + 5, 5));
}

function base32Digits(fortyBits: number): string {
  return fortyBits.toString(32).padStart(8, '0');
}
