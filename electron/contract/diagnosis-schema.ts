import { z } from 'zod';

/**
 * What went wrong on a delivery attempt, in the admin's terms. The table that maps replies and network
 * errors to these lives in electron/engine/diagnosis/failure-classes.ts; add a category here first.
 */
export const failureCategorySchema = z
  .enum([
    'delivered',
    'connection-refused',
    'connection-timeout',
    'dns-failure',
    'tls-failure',
    'rate-limited',
    'greylisted',
    'blocked-spam',
    'relay-denied',
    'auth-required',
    'sender-rejected',
    'mailbox-full',
    'unknown-recipient',
    'message-too-large',
    'server-error',
    'server-shutting-down',
    'suspended',
    'other',
  ])
  .describe('Failure category of an attempt or reply (see docs/architecture.md, "Diagnosis").');
export type FailureCategory = z.infer<typeof failureCategorySchema>;

/** One attempt explained: the category with plain-language advice, filled in with the addresses involved. */
export const diagnosisSchema = z.object({
  category: failureCategorySchema,
  title: z.string().describe('A short label, e.g. "Too many connections or messages".'),
  explanation: z.string().describe('What happened, in plain words, naming our source IP and the destination when known.'),
  fix: z.string().describe('What the admin can do about it.'),
});
export type Diagnosis = z.infer<typeof diagnosisSchema>;

export const domainDiagnosisQuerySchema = z.strictObject({
  domain: z.string().min(1).max(253),
  attempts: z.number().int().min(1).max(1000).default(100).describe('How many of the domain\'s newest attempts to look at.'),
});
export type DomainDiagnosisQuery = z.infer<typeof domainDiagnosisQuerySchema>;

export const diagnosisCauseSchema = diagnosisSchema.extend({
  count: z.number().int().describe('Attempts in this category.'),
  share: z.string().describe('"38 of 40 attempts".'),
  sourceAddresses: z.array(z.string()).describe('Our source IPs on these attempts; empty when no connection was made (refused, timed out, DNS).'),
  destinations: z.array(z.string()).describe('host:port of the servers tried.'),
  lastSeen: z.string().describe('ISO 8601, UTC: the newest attempt in this category.'),
  example: z
    .object({
      time: z.string(),
      destination: z.string(),
      localAddress: z.string().nullable(),
      remoteAddress: z.string().nullable(),
      stage: z.string().describe('Furthest stage reached, as in the attempt log (report-schema.ts imports this file, so the enum is not repeated here).'),
      code: z.number().nullable(),
      enhancedCode: z.string().nullable(),
      response: z.string().nullable().describe('Exactly as received.'),
      errorCode: z.string().nullable(),
    })
    .describe('The newest attempt in this category.'),
});
export type DiagnosisCause = z.infer<typeof diagnosisCauseSchema>;

export const domainDiagnosisResultSchema = z.object({
  domain: z.string(),
  attempts: z.number().int().describe('Attempts looked at (at most the number asked for; only the last 60 days are read).'),
  oldest: z.string().nullable().describe('ISO 8601, UTC: the oldest attempt looked at; null without attempts.'),
  newest: z.string().nullable(),
  causes: z.array(diagnosisCauseSchema).describe('One per category, most frequent first.'),
  topCategory: failureCategorySchema.nullable().describe('The failure the summary names; null when nothing failed.'),
  summary: z.string().describe('One sentence naming the main cause and its fix, e.g. "Your server limited connections from 192.0.2.7 on 38 of 40 attempts: …".'),
});
export type DomainDiagnosisResult = z.infer<typeof domainDiagnosisResultSchema>;

export const allowlistServerSchema = z.enum(['firewall', 'exchange', 'microsoft-365', 'postfix', 'hmailserver']);
export type AllowlistServer = z.infer<typeof allowlistServerSchema>;

export const sourceAddressSchema = z.object({
  address: z.string().describe('Our source IP, as the destination saw it.'),
  count: z.number().int().describe('Attempts from this address to this destination.'),
  lastSeen: z.string().describe('ISO 8601, UTC.'),
  instructions: z
    .array(z.object({ server: allowlistServerSchema, title: z.string(), text: z.string().describe('Copy-ready steps naming this address.') }))
    .describe('How to allowlist this address on common servers.'),
});
export type SourceAddress = z.infer<typeof sourceAddressSchema>;

export const sourceAddressesResultSchema = z.object({
  since: z.string().describe('ISO 8601, UTC: the attempts of the last 7 days are read.'),
  destinations: z.array(
    z.object({
      destination: z.string().describe('host:port as configured.'),
      domains: z.array(z.string()).describe('Office domains whose mail went there.'),
      addresses: z.array(sourceAddressSchema).describe('Most recently used first.'),
    }),
  ),
});
export type SourceAddressesResult = z.infer<typeof sourceAddressesResultSchema>;
