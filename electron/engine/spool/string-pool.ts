import type { QueueEntry } from './queue-entry.js';

/** Distinct values kept; past this the pool starts over (a bound, not a cache policy: values repeat a lot). */
const MAX_VALUES = 20_000;

/**
 * One shared copy of the values that repeat across queue entries. At 100,000 queued messages most entries
 * of an outage carry the same domain, last reply ("421 4.7.0 Too many connections…"), client address, HELO
 * name, recipients and recipient status, but JSON.parse and structuredClone give each entry its own copy: about 20 MB of
 * duplicates. Entries are never changed in place (the spool replaces them), so sharing a string is safe.
 */
export class StringPool {
  private readonly values = new Map<string, string>();

  intern<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.values.get(value);
    if (known !== undefined) return known as T;
    if (this.values.size >= MAX_VALUES) this.values.clear();
    this.values.set(value, value);
    return value;
  }

  /** The entry with its repeating fields pointing at the pool's copies (same object, changed in place before it is shared). */
  internEntry<E extends QueueEntry>(entry: E): E {
    entry.domain = this.intern(entry.domain);
    entry.from = this.intern(entry.from);
    entry.lastResponse = this.intern(entry.lastResponse);
    entry.clientAddress = this.intern(entry.clientAddress);
    entry.heloName = this.intern(entry.heloName);
    // An office's mail goes to the same few dozen people, and each address is in both `to` and `recipients`.
    for (let index = 0; index < entry.to.length; index++) entry.to[index] = this.intern(entry.to[index]!);
    for (const recipient of entry.recipients) {
      recipient.address = this.intern(recipient.address);
      recipient.status = this.intern(recipient.status);
      recipient.response = this.intern(recipient.response);
    }
    return entry;
  }
}
