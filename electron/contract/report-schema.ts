import { z } from 'zod';
import { diagnosisSchema } from './diagnosis-schema.js';

export const attemptStageSchema = z.enum(['connect', 'tls', 'ehlo', 'auth', 'mail', 'rcpt', 'data', 'done']);
export type AttemptStage = z.infer<typeof attemptStageSchema>;

export const attemptOutcomeSchema = z.enum(['delivered', 'deferred', 'bounced']);
export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;

/**
 * A recipient the destination refused at RCPT TO while it took the message for the others (RFC 5321
 * 3.3: each RCPT gets its own reply). Its reply is kept exactly, because the attempt's own reply (the 250
 * to DATA) says nothing about it.
 */
export const refusedRecipientSchema = z.object({
  address: z.string(),
  code: z.number().nullable().describe('SMTP reply code to RCPT TO, e.g. 550.'),
  enhancedCode: z.string().nullable().describe('RFC 3463 enhanced status code, e.g. 5.1.1.'),
  response: z.string().describe('The reply to RCPT TO exactly as the server sent it.'),
  outcome: z.enum(['deferred', 'bounced']).describe('4xx: deferred, retried later; 5xx: bounced, the sender gets a DSN.'),
});
export type RefusedRecipient = z.infer<typeof refusedRecipientSchema>;

const refusedRecipients = z
  .array(refusedRecipientSchema)
  .optional()
  .describe('Recipients refused at RCPT TO, each with its own reply: in a transaction that went on for the others, or one that ended because every recipient was refused; absent when none was (and in records written before this field existed).');

/** One delivery attempt as written to the append-only attempt log (one JSON line). */
export const attemptRecordSchema = z.object({
  time: z.string().describe('ISO 8601, UTC, when the attempt started.'),
  queueId: z.string(),
  messageId: z.string().nullable(),
  domain: z.string(),
  from: z.string(),
  recipients: z.array(z.string()),
  destination: z.string().describe('host:port as configured.'),
  remoteAddress: z.string().nullable().describe('IP actually connected to.'),
  localAddress: z.string().nullable().describe('Our source IP for that connection.'),
  stage: attemptStageSchema.describe('Furthest stage reached.'),
  code: z.number().nullable().describe('SMTP reply code.'),
  enhancedCode: z.string().nullable().describe('RFC 3463 enhanced status code, e.g. 4.7.0.'),
  response: z.string().nullable().describe('The full reply text exactly as the server sent it, or the network error.'),
  errorCode: z.string().nullable().describe('nodemailer error code, e.g. ECONNECTION, ETIMEDOUT.'),
  durationMs: z.number(),
  outcome: attemptOutcomeSchema,
  refusedRecipients,
});
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;

/** One SMTP session or transaction received, accepted or refused, for the Inbound report. */
export const inboundRecordSchema = z.object({
  time: z.string(),
  clientAddress: z.string(),
  helo: z.string().nullable(),
  from: z.string().nullable(),
  recipients: z.array(z.string()),
  domain: z.string().nullable(),
  outcome: z.enum(['accepted', 'refused']),
  code: z.number(),
  response: z.string(),
  queueIds: z.array(z.string()),
  size: z.number().nullable(),
});
export type InboundRecord = z.infer<typeof inboundRecordSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-11-27');

export const reportQuerySchema = z.strictObject({
  domain: z.string().optional().describe('One domain; omitted = all domains.'),
  from: isoDate.describe('First local date, inclusive, in timeZone.'),
  to: isoDate.describe('Last local date, inclusive, in timeZone.'),
  timeZone: z.string().default('UTC').describe('IANA time zone, e.g. Europe/Berlin.'),
  outcome: z.string().optional().describe('Only rows with this outcome.'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(10_000).default(100),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const outboundRowSchema = z.object({
  time: z.string().describe('ISO 8601 with the zone\'s offset.'),
  messageId: z.string().nullable(),
  queueId: z.string(),
  domain: z.string(),
  from: z.string(),
  recipients: z.array(z.string()),
  destination: z.string(),
  remoteAddress: z.string().nullable(),
  localAddress: z.string().nullable(),
  stage: attemptStageSchema,
  outcome: attemptOutcomeSchema,
  code: z.number().nullable(),
  enhancedCode: z.string().nullable(),
  response: z.string().nullable(),
  errorCode: z.string().nullable(),
  durationMs: z.number(),
  refusedRecipients,
  diagnosis: diagnosisSchema.optional().describe('The attempt classified (engine/diagnosis/failure-classes.ts) at read time; always filled by the engine.'),
});
export type OutboundRow = z.infer<typeof outboundRowSchema>;

export const inboundRowSchema = inboundRecordSchema.extend({ time: z.string().describe('ISO 8601 with the zone\'s offset.') });
export type InboundRow = z.infer<typeof inboundRowSchema>;
