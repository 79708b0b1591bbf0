import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import { formatReportTime, reportWindow } from '../../../electron/engine/reports/report-window.js';

const HOUR_MS = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('reportWindow', () => {
  it('covers whole local days in the zone, both ends inclusive', () => {
    const window = reportWindow({ from: '2026-11-27', to: '2026-11-28', timeZone: 'Europe/Berlin' });
    assert.equal(iso(window.startMs), '2026-11-26T23:00:00.000Z');
    assert.equal(iso(window.endMs), '2026-11-28T23:00:00.000Z');
  });

  it('gives the Berlin autumn change day (2026-10-25) its 25 hours', () => {
    const window = reportWindow({ from: '2026-10-25', to: '2026-10-25', timeZone: 'Europe/Berlin' });
    assert.equal(iso(window.startMs), '2026-10-24T22:00:00.000Z');
    assert.equal(iso(window.endMs), '2026-10-25T23:00:00.000Z');
    assert.equal((window.endMs - window.startMs) / HOUR_MS, 25);
  });

  it('gives the Berlin spring change day (2026-03-29) its 23 hours', () => {
    const window = reportWindow({ from: '2026-03-29', to: '2026-03-29', timeZone: 'Europe/Berlin' });
    assert.equal((window.endMs - window.startMs) / HOUR_MS, 23);
  });

  it('handles New York across its DST end (2026-11-01) and Kolkata at +05:30', () => {
    const newYork = reportWindow({ from: '2026-10-31', to: '2026-11-01', timeZone: 'America/New_York' });
    assert.equal(iso(newYork.startMs), '2026-10-31T04:00:00.000Z');
    assert.equal(iso(newYork.endMs), '2026-11-02T05:00:00.000Z');
    assert.equal((newYork.endMs - newYork.startMs) / HOUR_MS, 49);
    const kolkata = reportWindow({ from: '2026-11-27', to: '2026-11-27', timeZone: 'Asia/Kolkata' });
    assert.equal(iso(kolkata.startMs), '2026-11-26T18:30:00.000Z');
    assert.equal(iso(kolkata.endMs), '2026-11-27T18:30:00.000Z');
  });

  it('refuses an unknown time zone with a message naming it', () => {
    assert.throws(
      () => reportWindow({ from: '2026-11-27', to: '2026-11-27', timeZone: 'Mars/Olympus' }),
      (error: unknown) =>
        error instanceof AppError && error.code === 'INVALID_INPUT' && error.message === 'Unknown time zone "Mars/Olympus": use an IANA name like Europe/Berlin',
    );
  });

  it('refuses from after to, and dates that do not exist', () => {
    assert.throws(() => reportWindow({ from: '2026-11-28', to: '2026-11-27', timeZone: 'UTC' }), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT');
    assert.throws(() => reportWindow({ from: '2026-02-30', to: '2026-03-01', timeZone: 'UTC' }), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT');
  });
});

describe('formatReportTime', () => {
  const at = (value: string): number => Date.parse(value);

  it('renders the instant with the zone offset of that moment', () => {
    assert.equal(formatReportTime(at('2026-11-27T09:15:00Z'), 'Europe/Berlin'), '2026-11-27T10:15:00.000+01:00');
    assert.equal(formatReportTime(at('2026-07-01T09:15:00Z'), 'Europe/Berlin'), '2026-07-01T11:15:00.000+02:00');
    assert.equal(formatReportTime(at('2026-11-27T09:15:00Z'), 'Asia/Kolkata'), '2026-11-27T14:45:00.000+05:30');
    assert.equal(formatReportTime(at('2026-11-27T09:15:00Z'), 'America/New_York'), '2026-11-27T04:15:00.000-05:00');
  });

  it('tells the two 02:30 of the Berlin change day apart by their offsets', () => {
    assert.equal(formatReportTime(at('2026-10-25T00:30:00Z'), 'Europe/Berlin'), '2026-10-25T02:30:00.000+02:00');
    assert.equal(formatReportTime(at('2026-10-25T01:30:00Z'), 'Europe/Berlin'), '2026-10-25T02:30:00.000+01:00');
  });
});
