import type { AttemptRecord } from '../../contract/report-schema.js';
import type { OutcomesByHourQuery, OutcomesByHourResult } from '../../contract/stats-schema.js';
import type { JsonLinesLog } from '../logs/json-lines-log.js';
import { assertNever } from '../runtime/assert-never.js';
import { formatReportTime } from '../reports/report-window.js';
import { hourIndex, localHourStarts } from './local-hours.js';
import { domainFilter, statsWindow } from './stats-window.js';

/** What the stats need of the attempt log: its records in a time range, reading only the overlapping days. */
export type AttemptSource = Pick<JsonLinesLog<AttemptRecord>, 'readRange'>;

/**
 * stats.outcomesByHour: delivery attempts per local hour and outcome over the local dates from..to. Every
 * hour is listed, zero-filled, so a chart's x axis is the same whatever happened. An attempt counts once
 * whatever its number of recipients, and under the hour it started (the time the attempt log records).
 */
export async function outcomesByHour(log: AttemptSource, query: OutcomesByHourQuery): Promise<OutcomesByHourResult> {
  const window = statsWindow(query);
  const domain = domainFilter(query.domain);
  const starts = localHourStarts(window);
  const hours = starts.map((startMs) => ({ hour: formatReportTime(startMs, window.timeZone), delivered: 0, deferred: 0, bounced: 0 }));
  const matches = (record: AttemptRecord): boolean => domain === undefined || record.domain.toLowerCase() === domain;
  for await (const record of log.readRange(window.startMs, window.endMs, matches)) {
    const row = hours[hourIndex(starts, Date.parse(record.time))];
    if (row === undefined) continue;
    switch (record.outcome) {
      case 'delivered':
        row.delivered += 1;
        break;
      case 'deferred':
        row.deferred += 1;
        break;
      case 'bounced':
        row.bounced += 1;
        break;
      default:
        assertNever(record.outcome);
    }
  }
  return { hours };
}
