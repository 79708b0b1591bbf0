import { z } from 'zod';
import { reportQuerySchema } from './report-schema.js';

/**
 * Schemas of the stats.* chart methods (queue over time, queue ages, outcomes per hour, top deferrals).
 * Ranges are at most 31 days: enough for "this month", and it bounds how many day files one call reads.
 */

/** Widest range of any stats.* method, in days (local days for the date-based ones). */
export const STATS_MAX_RANGE_DAYS = 31;

/**
 * Upper bounds of the queue age buckets, in minutes, as Postfix's qshape draws them: each bucket doubles,
 * so a few columns span "just arrived" to "stuck for a day". A tenth bucket holds everything older.
 */
export const QUEUE_AGE_BUCKET_MINUTES = [5, 10, 20, 40, 80, 160, 320, 640, 1280] as const;
const AGE_BUCKETS = QUEUE_AGE_BUCKET_MINUTES.length + 1;

const count = z.number().int().min(0);
const countsByDomain = z.record(z.string(), count);

/**
 * `2026-11-27T09:00:00Z` or with an offset. The JSON Schema keeps `format: date-time`; zod's 500-character
 * leap-year pattern is dropped from it because it tells a reader of docs/api.md nothing more.
 */
const isoDateTime = z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date and time with Z or an offset, e.g. 2026-11-27T09:00:00Z' }).meta({ pattern: undefined });

/**
 * One line of `logs/queue-samples-YYYY-MM-DD.jsonl`: the queue as it stood at `time`. Counts include held
 * messages, which `held` / `heldDomains` count again on their own. Domains with no message are left out.
 */
export const queueSampleSchema = z.object({
  time: z.string().describe('ISO 8601, UTC.'),
  total: count.describe('Messages in the queue, held ones included.'),
  held: count.describe('Of total, how many were held.'),
  domains: countsByDomain.describe('Messages per domain, held ones included.'),
  heldDomains: countsByDomain.describe('Held messages per domain.'),
});
export type QueueSample = z.infer<typeof queueSampleSchema>;

export const queueSeriesQuerySchema = z.strictObject({
  since: isoDateTime.describe('First instant, inclusive.'),
  until: isoDateTime.optional().describe('Last instant, inclusive; omitted = now. At most 31 days after since.'),
  domain: z.string().optional().describe('One domain; omitted = all domains.'),
  maxPoints: z.number().int().min(10).max(2000).default(500).describe('More samples than this are merged, keeping the maximum of each bucket.'),
});
export type QueueSeriesQuery = z.infer<typeof queueSeriesQuerySchema>;

export const queueSeriesPointSchema = z.object({
  time: z.string().describe('ISO 8601, UTC: the sample, or the first sample of a merged bucket.'),
  total: count.describe('Messages queued, held ones included (with domain: that domain\'s). The bucket maximum when merged.'),
  held: count.describe('Of total, how many were held. The bucket maximum when merged.'),
  domains: countsByDomain.describe('Messages per domain; a domain left out had none. Each is its own bucket maximum when merged.'),
});
export type QueueSeriesPoint = z.infer<typeof queueSeriesPointSchema>;

export const queueSeriesResultSchema = z.object({
  points: z.array(queueSeriesPointSchema).describe('Oldest first, one per minute while the engine ran; empty when nothing was sampled in the range.'),
  domains: z.array(z.string()).describe('Every domain with queued mail in any sample of the range, sorted.'),
});
export type QueueSeriesResult = z.infer<typeof queueSeriesResultSchema>;

const ageCounts = z.array(count).length(AGE_BUCKETS).describe('Messages per age bucket: one per bucketMinutes bound, then one for older.');

export const queueAgesDomainSchema = z.object({
  domain: z.string(),
  total: count.describe('Messages queued for the domain, held ones included.'),
  held: count,
  counts: ageCounts,
});

export const queueAgesResultSchema = z.object({
  bucketMinutes: z.array(z.number().int()).describe('Upper bounds in minutes, inclusive: bucket i holds ages above bound i-1 up to bound i; the last bucket is older than the last bound.'),
  domains: z.array(queueAgesDomainSchema).describe('Domains with queued mail, most messages first.'),
  totals: ageCounts,
});
export type QueueAgesResult = z.infer<typeof queueAgesResultSchema>;

/** The reports' window (local dates in an IANA zone) and domain filter, without paging or outcome. */
export const outcomesByHourQuerySchema = reportQuerySchema.pick({ domain: true, from: true, to: true, timeZone: true }).extend({
  to: reportQuerySchema.shape.to.describe(`Last local date, inclusive, in timeZone; from..to spans at most ${STATS_MAX_RANGE_DAYS} days.`),
});
export type OutcomesByHourQuery = z.infer<typeof outcomesByHourQuerySchema>;

export const outcomesByHourResultSchema = z.object({
  hours: z
    .array(
      z.object({
        hour: z.string().describe('Start of the local hour, ISO 8601 with the zone\'s offset.'),
        delivered: count,
        deferred: count,
        bounced: count,
      }),
    )
    .describe('Every local hour of the range in order, zero-filled: a DST change day has 23 or 25.'),
});
export type OutcomesByHourResult = z.infer<typeof outcomesByHourResultSchema>;

export const topDeferralsQuerySchema = outcomesByHourQuerySchema.extend({
  limit: z.number().int().min(1).max(50).default(10).describe('How many replies to return.'),
});
export type TopDeferralsQuery = z.infer<typeof topDeferralsQuerySchema>;

export const topDeferralsResultSchema = z.object({
  replies: z
    .array(
      z.object({
        reply: z.string().describe('The reply exactly as recorded, or the network error code when there was no reply.'),
        code: z.number().nullable().describe('SMTP reply code.'),
        enhancedCode: z.string().nullable().describe('RFC 3463 enhanced status code.'),
        count: count.describe('Deferred attempts with this reply.'),
        domains: z.array(z.string()).describe('Domains that got it, sorted.'),
        lastSeen: z.string().describe('Newest such attempt, ISO 8601 with the zone\'s offset.'),
      }),
    )
    .describe('Most frequent first; equal counts: most recent first.'),
});
export type TopDeferralsResult = z.infer<typeof topDeferralsResultSchema>;
