import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, daysInclusive, isCalendarDate, localDateOf } from '../../../renderer/src/ui/calendar-dates.js';
import { checkTimeZone, systemTimeZone, timeZoneNames } from '../../../renderer/src/ui/time-zones.js';

// The date and zone helpers the Reports screen and the Charts period share (renderer/src/ui/).

test('calendar helpers count days, not 24-hour periods', () => {
  assert.equal(addDays('2026-10-25', 1), '2026-10-26'); // 25 hours long in Europe/Berlin: still one day
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(daysInclusive('2026-11-01', '2026-11-01'), 1);
  assert.equal(daysInclusive('2026-10-01', '2026-10-31'), 31);
  assert.equal(daysInclusive('2026-11-02', '2026-11-01'), 0);
});

test('a calendar date is a real YYYY-MM-DD day', () => {
  assert.equal(isCalendarDate('2028-02-29'), true);
  assert.equal(isCalendarDate('2026-02-29'), false);
  assert.equal(isCalendarDate('2026-11-27T00:00'), false);
  assert.equal(isCalendarDate('0020-11-27'), false, 'a year half typed into a date input');
});

test('the local date of an instant is the one in the given zone, not the computer zone', () => {
  const instant = Date.parse('2026-11-27T23:30:00Z');
  assert.equal(localDateOf(instant, 'UTC'), '2026-11-27');
  assert.equal(localDateOf(instant, 'Europe/Berlin'), '2026-11-28');
  assert.equal(localDateOf(instant, 'America/New_York'), '2026-11-27');
});

test('the zone list offers UTC, the computer zone and the chosen one', () => {
  const names = timeZoneNames('Etc/GMT+5');
  for (const name of ['UTC', systemTimeZone(), 'Etc/GMT+5', 'Europe/Berlin']) assert.ok(names.includes(name), name);
  assert.deepEqual(names, [...names].sort());
  assert.deepEqual(checkTimeZone('europe/berlin'), { ok: true, timeZone: 'Europe/Berlin' });
});
