import { z } from 'zod';

/**
 * stuck: a domain's oldest waiting message is older than alerts.stuckMinutes and its last attempt failed;
 * recovered: a stuck domain delivered again or its queue emptied; expiring: messages will reach their
 * lifetime (and be returned to their senders) within alerts.lifetimeWarningHours.
 */
export const alertKindSchema = z.enum(['stuck', 'recovered', 'expiring']);
export type AlertKind = z.infer<typeof alertKindSchema>;

/** One alert, as kept in memory, written to logs/alerts-YYYY-MM-DD.jsonl and pushed as `alert.raised`. */
export const alertSchema = z.object({
  id: z.string(),
  time: z.string().describe('ISO 8601, UTC, when the alert was raised.'),
  kind: alertKindSchema,
  domain: z.string(),
  message: z.string().describe('What happened and what to do, in plain words.'),
  count: z.number().int().optional().describe('Messages concerned (waiting for stuck, about to expire for expiring).'),
  oldestCreatedAt: z.string().optional().describe('When the oldest message concerned arrived (ISO, UTC).'),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertsListResultSchema = z.object({ items: z.array(alertSchema).describe('The most recent alerts (at most 200), newest first.') });
