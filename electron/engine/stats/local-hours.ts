import { DateTime } from 'luxon';
import type { ReportWindow } from '../reports/report-window.js';

const HOUR_MS = 3_600_000;
/** Every UTC offset in use today is a whole number of quarter hours (India +05:30, Nepal +05:45). */
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * The first instant of every local clock hour of a report window (which starts at a local midnight),
 * ascending. An hour is a (local hour, UTC offset) pair, so the hour repeated when DST ends counts twice
 * (2026-10-25 in Europe/Berlin has 25) and the skipped one not at all (23 on 2026-03-29).
 *
 * Day by day: a day whose midnights have the same offset has 24 plain hours (zones change offset a few
 * times a year, never twice in one day). Only a change day is walked in quarter hours, which also finds
 * the hours of a 30-minute shift (Australia/Lord_Howe). Converting every quarter hour of 31 days with
 * luxon took over 100 ms; this takes about 31 conversions.
 */
export function localHourStarts(window: ReportWindow): number[] {
  const starts: number[] = [];
  let day = DateTime.fromMillis(window.startMs, { zone: window.timeZone });
  while (day.toMillis() < window.endMs) {
    const next = day.plus({ days: 1 }).startOf('day');
    const dayEndMs = Math.min(next.toMillis(), window.endMs);
    if (next.offset === day.offset) {
      for (let timeMs = day.toMillis(); timeMs < dayEndMs; timeMs += HOUR_MS) starts.push(timeMs);
    } else {
      starts.push(...walkQuarterHours(day.toMillis(), dayEndMs, window.timeZone));
    }
    day = next;
  }
  return starts;
}

/** Hour starts in [startMs, endMs), startMs itself an hour start, found where (hour, offset) changes. */
function walkQuarterHours(startMs: number, endMs: number, timeZone: string): number[] {
  const starts: number[] = [];
  let previousHour = -1;
  let previousOffset = Number.NaN;
  for (let timeMs = startMs; timeMs < endMs; timeMs += QUARTER_HOUR_MS) {
    const local = DateTime.fromMillis(timeMs, { zone: timeZone });
    if (local.hour !== previousHour || local.offset !== previousOffset) {
      starts.push(timeMs);
      previousHour = local.hour;
      previousOffset = local.offset;
    }
  }
  return starts;
}

/** Index of the hour holding `timeMs` (the last start not after it), or -1 before the first. */
export function hourIndex(starts: readonly number[], timeMs: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] ?? Number.POSITIVE_INFINITY) <= timeMs) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
