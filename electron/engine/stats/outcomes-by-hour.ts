import type { AttemptRecord } from '../../contract/report-schema.js';
import type { OutcomesByHourQuery, OutcomesByHourResult } from '../../contract/stats-schema.js';
import { assertNever } from '../runtime/assert-never.js';
import { isoTimeMs } from '../runtime/iso-time.js';
import { formatReportTime } from '../reports/report-window.js';
import { visitAttemptDays, type AttemptSource } from './attempt-days.js';
import { hourIndex, localHourStarts } from './local-hours.js';
import { domainFilter, statsWindow } from './stats-window.js';

type HourRow = OutcomesByHourResult['hours'][number];

/**
 * stats.outcomesByHour: delivery attempts per local hour and outcome over the local dates from..to. Every
 * hour is listed, zero-filled, so a chart's x axis is the same whatever happened. An attempt counts once
 * whatever its number of recipients, and under the hour it started (the time the attempt log records).
 */
export async function outcomesByHour(log: AttemptSource, query: OutcomesByHourQuery): Promise<OutcomesByHourResult> {
  const window = statsWindow(query);
  const domain = domainFilter(query.domain);
  const starts = localHourStarts(window);
  const hours: HourRow[] = starts.map((startMs) => ({ hour: formatReportTime(startMs, window.timeZone), delivered: 0, deferred: 0, bounced: 0 }));
  const add = (timeMs: number, outcome: AttemptRecord['outcome']): void => {
    const row = hours[hourIndex(starts, timeMs)];
    if (row !== undefined) count(row, outcome);
  };
  await visitAttemptDays(log, window.startMs, window.endMs, {
    indexed(index) {
      const domainIds = domain === undefined ? null : index.domainIdsMatching(domain);
      const { timeMs, domainId, outcomeId, outcomes } = index;
      const outcomeOf = outcomes as AttemptRecord['outcome'][];
      // A day's lines are in append order, nearly time order: the hour of the line before is nearly always
      // this line's too, which spares a binary search per record (a month is 1,000,000 of them).
      let hour = -1;
      let hourStart = Number.POSITIVE_INFINITY;
      let hourEnd = Number.NEGATIVE_INFINITY;
      for (let position = 0; position < index.count; position++) {
        const time = timeMs[position]!;
        if (time < window.startMs || time >= window.endMs) continue;
        if (domainIds !== null && !domainIds.has(domainId[position]!)) continue;
        if (time < hourStart || time >= hourEnd) {
          hour = hourIndex(starts, time);
          hourStart = starts[hour] ?? Number.POSITIVE_INFINITY;
          hourEnd = starts[hour + 1] ?? window.endMs;
        }
        const row = hours[hour];
        if (row !== undefined) count(row, outcomeOf[outcomeId[position]!]!);
      }
    },
    record(record) {
      if (domain === undefined || record.domain.toLowerCase() === domain) add(isoTimeMs(record.time), record.outcome);
    },
  });
  return { hours };
}

function count(row: HourRow, outcome: AttemptRecord['outcome']): void {
  switch (outcome) {
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
      assertNever(outcome);
  }
}
