import { z } from 'zod';
import { failureCategorySchema } from './diagnosis-schema.js';

/** Where a queued message stands. Delivered and bounced messages leave the queue; their history stays in the attempt log. */
export const queueStateSchema = z.enum(['queued', 'held', 'delivering']);
export type QueueState = z.infer<typeof queueStateSchema>;

export const recipientStatusSchema = z.enum(['pending', 'deferred', 'delivered', 'bounced']);
export type RecipientStatus = z.infer<typeof recipientStatusSchema>;

export const recipientStateSchema = z.object({
  address: z.string(),
  status: recipientStatusSchema,
  code: z.number().nullable().describe('Last SMTP reply code for this recipient.'),
  response: z.string().nullable().describe('Last reply for this recipient, exactly as the server sent it.'),
});
export type RecipientState = z.infer<typeof recipientStateSchema>;

export const queueItemSchema = z.object({
  id: z.string(),
  domain: z.string(),
  from: z.string().describe('Envelope sender (MAIL FROM); empty for the null sender <>.'),
  to: z.array(z.string()).describe('Recipients still to deliver.'),
  recipients: z.array(recipientStateSchema).describe('Every recipient of this queue entry with its own outcome.'),
  size: z.number().int().describe('Bytes on disk, Received: header included.'),
  state: queueStateSchema,
  createdAt: z.string().describe('ISO 8601, UTC.'),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable().describe('ISO 8601, UTC; null while held.'),
  lastAttemptAt: z.string().nullable(),
  lastResponse: z.string().nullable().describe('The last reply or error, exactly as received.'),
  expiresAt: z.string().describe('When the message is returned to its sender if still undelivered.'),
  messageId: z.string().nullable().describe('The Message-ID header, if any.'),
  subject: z.string().nullable(),
  kind: z.enum(['inbound', 'bounce', 'warning']).describe('inbound: mail received for an office domain; bounce / warning: a DSN this spool generated.'),
  lastCategory: failureCategorySchema
    .nullable()
    .optional()
    .describe('Category of the last reply (a waiting recipient\'s reply, else lastResponse), from the text and code only; null before any attempt. Always filled by the engine, never stored.'),
});
export type QueueItem = z.infer<typeof queueItemSchema>;
