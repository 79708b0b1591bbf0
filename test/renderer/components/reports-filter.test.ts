import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastSevenDays } from '../../../renderer/src/features/reports/last-seven-days.js';
import { replyCodes } from '../../../renderer/src/features/reports/reply-text.js';
import { checkDraft, initialDraft } from '../../../renderer/src/features/reports/report-filter.js';
import { splitReportTime } from '../../../renderer/src/features/reports/report-time.js';
import { checkTimeZone } from '../../../renderer/src/ui/time-zones.js';

const draft = { type: 'outbound' as const, domain: '', outcome: '', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin' };

test('a row time is split as text, its offset kept, never re-read in the computer zone', () => {
  assert.deepEqual(splitReportTime('2026-10-25T02:30:00.000+01:00'), { local: '2026-10-25 02:30:00', offset: 'UTC+01:00' });
  assert.deepEqual(splitReportTime('2026-10-25T02:30:00.000+02:00'), { local: '2026-10-25 02:30:00', offset: 'UTC+02:00' });
  assert.deepEqual(splitReportTime('2026-11-27T05:15:00-05:00'), { local: '2026-11-27 05:15:00', offset: 'UTC-05:00' });
  assert.deepEqual(splitReportTime('2026-11-27T10:15:00.000Z'), { local: '2026-11-27 10:15:00', offset: 'UTC+00:00' }); // luxon writes UTC as Z
  assert.deepEqual(splitReportTime('not a time'), { local: 'not a time', offset: '' });
});

test('the filter is checked as the engine checks it: real dates, from not after to, an IANA zone', () => {
  assert.deepEqual(checkDraft(draft), { ok: true, filter: { type: 'outbound', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin' } });
  assert.deepEqual(checkDraft({ ...draft, domain: 'example.com', outcome: 'bounced' }), {
    ok: true,
    filter: { type: 'outbound', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin', domain: 'example.com', outcome: 'bounced' },
  });
  const swapped = checkDraft({ ...draft, from: '2026-11-28' });
  assert.ok(!swapped.ok && swapped.errors.from?.includes('is after'));
  const impossible = checkDraft({ ...draft, to: '2026-02-30' });
  assert.ok(!impossible.ok && impossible.errors.to === 'Enter a date like 2026-11-27');
  assert.ok(!checkDraft({ ...draft, timeZone: '' }).ok);
  assert.deepEqual(checkTimeZone('europe/berlin'), { ok: true, timeZone: 'Europe/Berlin' });
  assert.deepEqual(checkTimeZone(' UTC '), { ok: true, timeZone: 'UTC' });
  assert.equal(checkTimeZone('+01:00').ok, false, 'a bare offset is not an IANA name');
  assert.equal(checkTimeZone('Mars/Olympus_Mons').ok, false);
});

test('URL params are first values; bad ones fall back to the defaults', () => {
  const now = Date.parse('2026-11-27T23:30:00Z'); // already the 28th in Berlin
  assert.deepEqual(initialDraft({ type: 'inbound', domain: 'example.com', timeZone: 'Europe/Berlin' }, now), {
    type: 'inbound',
    domain: 'example.com',
    outcome: '',
    from: '2026-11-22',
    to: '2026-11-28',
    timeZone: 'Europe/Berlin',
  });
  const odd = initialDraft({ type: 'sideways', outcome: 'accepted', from: 'yesterday', timeZone: 'Nowhere/Else' }, now);
  assert.equal(odd.type, 'outbound');
  assert.equal(odd.outcome, '', 'accepted is an inbound outcome');
  assert.match(odd.from, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(odd.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
});

test('the default range is the last 7 local days of the chosen zone', () => {
  assert.deepEqual(lastSevenDays('Pacific/Kiritimati', Date.parse('2026-11-27T12:00:00Z')), { from: '2026-11-22', to: '2026-11-28' }); // UTC+14
});

test('the reply code is added in front only when the reply text does not start with it', () => {
  assert.equal(replyCodes(550, '5.1.1', '550 5.1.1 User unknown'), null);
  assert.equal(replyCodes(550, '5.1.1', 'User unknown'), '550 5.1.1');
  assert.equal(replyCodes(421, null, null), '421');
  assert.equal(replyCodes(null, null, 'connect ECONNREFUSED'), null);
});
