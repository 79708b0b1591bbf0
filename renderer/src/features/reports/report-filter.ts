import type { ReportQuery } from '../../../../electron/contract/report-schema.js';
import { isCalendarDate } from '../../ui/calendar-dates.js';
import { checkTimeZone, systemTimeZone } from '../../ui/time-zones.js';
import { lastSevenDays } from './last-seven-days.js';

export type ReportType = 'outbound' | 'inbound';

export const reportMethods = { outbound: 'reports.outbound', inbound: 'reports.inbound' } as const;

/** The outcomes each report can be filtered by, as the engine names them (report-schema.ts). */
export const reportOutcomes = { outbound: ['delivered', 'deferred', 'bounced'], inbound: ['accepted', 'refused'] } as const;

/** What the form holds: text as typed, '' meaning "all" for domain and outcome. */
export interface ReportDraft {
  type: ReportType;
  domain: string;
  outcome: string;
  from: string;
  to: string;
  timeZone: string;
}

/** A checked filter: the API input minus paging. */
export type ReportFilter = Omit<ReportQuery, 'offset' | 'limit'> & { type: ReportType };

export type DraftCheck = { ok: true; filter: ReportFilter } | { ok: false; errors: Partial<Record<'from' | 'to' | 'timeZone', string>> };

/**
 * The form's first values. `type` and `domain` come from the URL (links from the dashboard and the
 * queue); `from`, `to`, `timeZone` and `outcome` are read too so a report can be linked exactly.
 * Dates default to the last 7 days ending today in the chosen zone, not the computer's.
 */
export function initialDraft(params: Record<string, string>, nowMs: number): ReportDraft {
  const type: ReportType = params.type === 'inbound' ? 'inbound' : 'outbound';
  const zone = checkTimeZone(params.timeZone ?? '');
  const timeZone = zone.ok ? zone.timeZone : systemTimeZone();
  const range = lastSevenDays(timeZone, nowMs);
  const outcome = params.outcome ?? '';
  return {
    type,
    domain: params.domain?.trim() ?? '',
    outcome: (reportOutcomes[type] as readonly string[]).includes(outcome) ? outcome : '',
    from: params.from !== undefined && isCalendarDate(params.from) ? params.from : range.from,
    to: params.to !== undefined && isCalendarDate(params.to) ? params.to : range.to,
    timeZone,
  };
}

/** The same checks the engine makes (report-window.ts), so a mistake is shown at its field before any request. */
export function checkDraft(draft: ReportDraft): DraftCheck {
  const errors: Partial<Record<'from' | 'to' | 'timeZone', string>> = {};
  if (!isCalendarDate(draft.from)) errors.from = 'Enter a date like 2026-11-27';
  if (!isCalendarDate(draft.to)) errors.to = 'Enter a date like 2026-11-27';
  // ISO dates compare correctly as text.
  if (!errors.from && !errors.to && draft.from > draft.to) errors.from = `"From" (${draft.from}) is after "To" (${draft.to}): pick an earlier date or swap them`;
  const zone = checkTimeZone(draft.timeZone);
  if (!zone.ok) errors.timeZone = zone.reason;
  if (!zone.ok || errors.from || errors.to) return { ok: false, errors };
  return {
    ok: true,
    filter: {
      type: draft.type,
      from: draft.from,
      to: draft.to,
      timeZone: zone.timeZone,
      // Omitted, not '', for "all": the API's own meaning of a missing field.
      ...(draft.domain ? { domain: draft.domain } : {}),
      ...(draft.outcome ? { outcome: draft.outcome } : {}),
    },
  };
}
