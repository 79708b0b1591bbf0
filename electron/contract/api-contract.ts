import { z } from 'zod';
import type { apiMethodNames } from './api-method-names.js';
import { alertsListResultSchema } from './alerts-schema.js';
import { appInfoSchema, diagnosticsExportSchema, listenerStatusSchema, openDataFolderResultSchema } from './app-schema.js';
import { domainSchema, settingsPatchSchema, settingsSchema } from './settings-schema.js';
import { queueItemSchema, queueStateSchema } from './queue-schema.js';
import { diagnosisSchema, domainDiagnosisQuerySchema, domainDiagnosisResultSchema, sourceAddressesResultSchema } from './diagnosis-schema.js';
import { checkDnsInputSchema, checkDnsResultSchema, testRouteInputSchema, testRouteResultSchema } from './route-check-schema.js';
import {
  attemptRecordSchema,
  inboundRowSchema,
  outboundRowSchema,
  reportQuerySchema,
} from './report-schema.js';
import {
  outcomesByHourQuerySchema,
  outcomesByHourResultSchema,
  queueAgesResultSchema,
  queueSeriesQuerySchema,
  queueSeriesResultSchema,
  topDeferralsQuerySchema,
  topDeferralsResultSchema,
} from './stats-schema.js';

/**
 * Every API method, with its input and output. Both hosts (IPC and HTTP) serve exactly this list, and
 * the method names are a public interface: admins' scripts call them. Add freely, rename nothing.
 * One input object per call, validated `.strict()` at the boundary.
 */
const selection = z.union([
  z.strictObject({ domain: z.string().min(1) }),
  z.strictObject({ ids: z.array(z.string().min(1)).min(1).max(100_000) }),
]);

const countResult = z.object({ count: z.number().int().describe('How many messages the action applied to.') });

export const summaryDomainSchema = z.object({
  domain: z.string(),
  enabled: z.boolean(),
  queued: z.number().int(),
  held: z.number().int(),
  due: z.number().int().describe('Queued messages whose next attempt is now or overdue, or being delivered: the backlog "Retry now" drains.'),
  oldestCreatedAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastAttempt: attemptRecordSchema.nullable(),
  suspendedUntil: z.string().nullable().describe('No server of the domain could be reached: new mail waits until then (ISO, UTC).'),
  reachable: z.boolean().nullable().describe('Whether the last attempt reached a server (a refusal counts as reached); null before any attempt.'),
  probe: z
    .object({
      active: z.boolean().describe('Probing now: mail waits, none is being delivered, the next regular retry is more than one probe interval away.'),
      lastProbeAt: z.string().nullable().describe('When the last probe started (ISO, UTC).'),
      nextProbeAt: z.string().nullable().describe('When the next probe is due (ISO, UTC); null while not probing.'),
      lastResult: z.enum(['answered', 'failed']).nullable().describe('answered: banner and EHLO got 2xx, so the queued mail was made due.'),
      lastResponse: z.string().nullable().describe('The failed probe\'s reply or network error.'),
      recoveredAt: z.string().nullable().describe('When a probe last found the server back (ISO, UTC).'),
    })
    .nullable()
    .optional()
    .describe('Fast recovery (retry.probeIntervalMinutes): light connections to a deferred domain\'s server; null when never probed; dropped on the first probe after the domain\'s queue is empty. Always filled by the engine.'),
  destinations: z
    .array(
      z.object({
        destination: z.string().describe('host:port as configured.'),
        connectionLimit: z.number().int().describe('Parallel connections allowed now; lowered after "too many connections" or rate replies.'),
        configuredLimit: z.number().int().describe('Parallel connections configured (the destination override or delivery.maxConnectionsPerDestination).'),
        ratePerMinute: z.number().nullable().describe('Messages per minute allowed now; null = no limit.'),
        reason: z.string().nullable().describe('The server reply that lowered the limits; null while the configured limits apply.'),
        since: z.string().nullable().describe('When the limits were last lowered (ISO, UTC); null while the configured limits apply.'),
      }),
    )
    .optional()
    .describe('Delivery limits per configured mail server, in the domain\'s order (adaptive throttling); always filled by the engine.'),
});

export const apiContract = {
  'settings.get': { input: z.strictObject({}), output: settingsSchema },
  'settings.update': { input: settingsPatchSchema, output: settingsSchema },
  'domains.list': { input: z.strictObject({}), output: z.object({ items: z.array(domainSchema) }) },
  'domains.save': {
    input: domainSchema,
    output: z.object({ domain: domainSchema, created: z.boolean(), retried: z.number().int().describe('Queued messages retried now at the new destination.') }),
  },
  'domains.remove': {
    input: z.strictObject({ name: z.string().min(1) }),
    output: z.object({ removed: z.boolean(), queued: z.number().int().describe('Messages still queued for it; they stay until deleted.') }),
  },
  // Route test and DNS check (engine/route-check/): a dry run to one destination that never sends DATA, and
  // the domain's MX records with this spool's place among them.
  'domains.testRoute': { input: testRouteInputSchema, output: testRouteResultSchema },
  'domains.checkDns': { input: checkDnsInputSchema, output: checkDnsResultSchema },
  'queue.list': {
    input: z.strictObject({
      domain: z.string().optional(),
      state: queueStateSchema.optional(),
      search: z.string().max(320).optional().describe('Substring of sender, recipient, subject or id.'),
      olderThanMinutes: z.number().min(0).optional(),
      sort: z.enum(['createdAt', 'nextAttemptAt', 'size', 'attempts', 'domain']).default('createdAt'),
      order: z.enum(['asc', 'desc']).default('asc'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ total: z.number().int(), items: z.array(queueItemSchema) }),
  },
  'queue.get': {
    input: z.strictObject({ id: z.string().min(1) }),
    output: z.object({
      item: queueItemSchema,
      headers: z.string().describe('The message header block as stored.'),
      attempts: z.array(attemptRecordSchema),
      diagnoses: z.array(diagnosisSchema).optional().describe('One per attempt, same order: each attempt classified (engine/diagnosis/). Always filled by the engine.'),
    }),
  },
  'queue.retry': { input: selection, output: countResult },
  'queue.hold': { input: selection, output: countResult },
  'queue.release': { input: selection, output: countResult },
  'queue.delete': { input: selection, output: countResult },
  'queue.bounce': { input: selection, output: countResult },
  'queue.retryAll': { input: z.strictObject({}), output: countResult.describe('Every queued (not held) message is made due now, as "Retry all" in the tray menu.') },
  'reports.outbound': {
    input: reportQuerySchema,
    output: z.object({ total: z.number().int(), rows: z.array(outboundRowSchema) }),
  },
  'reports.inbound': {
    input: reportQuerySchema,
    output: z.object({ total: z.number().int(), rows: z.array(inboundRowSchema) }),
  },
  'stats.summary': {
    input: z.strictObject({}),
    output: z.object({
      queued: z.number().int(),
      held: z.number().int(),
      delivering: z.number().int(),
      oldestCreatedAt: z.string().nullable(),
      domains: z.array(summaryDomainSchema),
      listener: listenerStatusSchema,
    }),
  },
  // Chart data. The queue series is sampled once a minute into logs/queue-samples-YYYY-MM-DD.jsonl.
  'stats.queueSeries': { input: queueSeriesQuerySchema, output: queueSeriesResultSchema },
  'stats.queueAges': { input: z.strictObject({}), output: queueAgesResultSchema },
  'stats.outcomesByHour': { input: outcomesByHourQuerySchema, output: outcomesByHourResultSchema },
  'stats.topDeferrals': { input: topDeferralsQuerySchema, output: topDeferralsResultSchema },
  // Diagnosis (engine/diagnosis/): "Why is mail stuck?" over a domain's newest attempts, and "Our addresses".
  'diagnosis.domain': { input: domainDiagnosisQuerySchema, output: domainDiagnosisResultSchema },
  'diagnosis.sourceAddresses': { input: z.strictObject({}), output: sourceAddressesResultSchema },
  // Alerts (engine/alerts/): stuck, recovered and expiring domains, kept across restarts in logs/alerts-*.jsonl.
  'alerts.list': { input: z.strictObject({}), output: alertsListResultSchema },
  // Receiving on/off (tray menu, dashboard): pausing closes the SMTP listener, queued mail keeps flowing out.
  'listener.pause': { input: z.strictObject({}), output: listenerStatusSchema },
  'listener.resume': { input: z.strictObject({}), output: listenerStatusSchema },
  // About screen and support: what runs where, the data folder, one file to send to whoever helps.
  'app.info': { input: z.strictObject({}), output: appInfoSchema },
  'app.openDataFolder': { input: z.strictObject({}), output: openDataFolderResultSchema },
  'diagnostics.export': { input: z.strictObject({}), output: diagnosticsExportSchema },
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.infer<ApiContract[M]['output']>;
export const apiMethods = Object.keys(apiContract) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiContract, name);
}

// Compile-time check: the dependency-free name list used by the preload is exactly the contract's keys.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodListMatches: SameKeys<(typeof apiMethodNames)[number], ApiMethod> = true;
void methodListMatches;
