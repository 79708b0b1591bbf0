import { z } from 'zod';
import { queueItemSchema } from '../../contract/queue-schema.js';

/** A queue entry's state file (`queue/<id>.json`) and a line of the spool snapshot. */
export const storedEntrySchema = queueItemSchema.extend({
  version: z.literal(1),
  clientAddress: z.string().nullable(),
  heloName: z.string().nullable(),
  warned: z.boolean(),
  // Absent in entries written before the checksum existed: those are checked by size only.
  bodySha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  // The message is in `<id>.mxmsg` with this entry's first state after it (packed-entry.ts), not in `<id>.eml`.
  // Absent in entries written before packed files existed and in entries sharing a body with another domain.
  packed: z.literal(true).optional(),
});

export type StoredEntry = z.infer<typeof storedEntrySchema>;
