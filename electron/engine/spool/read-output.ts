import { createHash } from 'node:crypto';
import { escapedForData } from '../delivery/smtp-data-escape.js';

/**
 * What a read job gives back from the bytes it read, on whichever thread did the read (a file thread, or
 * the calling thread after a failure): the checksum of the bytes as stored when asked, then the bytes,
 * escaped for DATA when asked. Both cost a pass over the message, which is why they are done here.
 */
export function readOutput(data: Buffer, asked: { forData?: boolean; checksum?: boolean }): { data: Buffer; sha256?: string } {
  const sha256 = asked.checksum ? createHash('sha256').update(data).digest('hex') : undefined;
  const bytes = asked.forData ? escapedForData(data) : data;
  return sha256 === undefined ? { data: bytes } : { data: bytes, sha256 };
}
