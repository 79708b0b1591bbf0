import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvDocument, csvField } from '../../../renderer/src/features/reports/report-csv.js';
import { exportFileName, outboundCsv } from '../../../renderer/src/features/reports/report-csv-rows.js';

test('csvField quotes only fields with a comma, quote, CR or LF, doubling quotes (RFC 4180 2.6, 2.7)', () => {
  assert.equal(csvField('plain text'), 'plain text');
  assert.equal(csvField('  spaces kept  '), '  spaces kept  ');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('"'), '""""');
  assert.equal(csvField('line 1\nline 2'), '"line 1\nline 2"');
  assert.equal(csvField('line 1\r\nline 2'), '"line 1\r\nline 2"');
  assert.equal(csvField('cr\ronly'), '"cr\ronly"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(550), '550');
  assert.equal(csvField('Müller'), 'Müller');
});

test('csvDocument starts with a UTF-8 byte order mark and ends every record with CRLF', () => {
  const text = csvDocument(['Time', 'Reply'], [['2026-11-27 10:15:00', '550-5.1.1 first\n550 5.1.1 "second", last']]);
  assert.equal(text, '\uFEFFTime,Reply\r\n2026-11-27 10:15:00,"550-5.1.1 first\n550 5.1.1 ""second"", last"\r\n');
  assert.equal(csvDocument(['A'], []), '\uFEFFA\r\n');
  assert.deepEqual([...new TextEncoder().encode(text).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
});

test('outbound CSV rows keep the reply exactly and the time as in the table, with its offset', () => {
  const table = outboundCsv(
    [
      {
        time: '2026-10-25T02:30:00.000+01:00',
        messageId: '<m@x>',
        queueId: 'q1',
        domain: 'example.com',
        from: 'a@example.net',
        recipients: ['u@example.com', 'v@example.com'],
        destination: 'mail.example.com:25',
        remoteAddress: '192.0.2.1',
        localAddress: null,
        stage: 'rcpt',
        outcome: 'bounced',
        code: 550,
        enhancedCode: '5.1.1',
        response: '550-5.1.1 first\n550 5.1.1  second',
        errorCode: null,
        durationMs: 12,
        diagnosis: { category: 'unknown-recipient', title: 'Unknown recipient', explanation: 'No such mailbox.', fix: 'Check the address with the sender.' },
      },
    ],
    'Europe/Berlin',
  );
  assert.equal(table.header[0], 'Time (Europe/Berlin)');
  assert.equal(table.header.length, table.rows[0]?.length);
  assert.deepEqual(table.rows[0]?.slice(0, 6), ['2026-10-25 02:30:00', 'UTC+01:00', 'example.com', 'a@example.net', 'u@example.com; v@example.com', 'mail.example.com:25']);
  assert.ok(table.rows[0]?.includes('550-5.1.1 first\n550 5.1.1  second'));
});

test('outbound CSV rows carry the diagnosis: category, title and fix after the reply; empty without one', () => {
  const row = {
    time: '2026-11-27T10:15:00.000+01:00',
    messageId: null,
    queueId: 'q2',
    domain: 'example.com',
    from: '',
    recipients: ['u@example.com'],
    destination: 'mail.example.com:25',
    remoteAddress: '192.0.2.1',
    localAddress: '198.51.100.2',
    stage: 'mail' as const,
    outcome: 'deferred' as const,
    code: 421,
    enhancedCode: '4.7.0',
    response: '421 4.7.0 Too many connections',
    errorCode: null,
    durationMs: 5,
  };
  const diagnosed = { ...row, diagnosis: { category: 'rate-limited' as const, title: 'Too many connections or messages', explanation: 'Limited.', fix: 'Exempt 198.51.100.2 from connection rate limiting.' } };
  const table = outboundCsv([diagnosed, row], 'UTC');
  const column = (name: string) => table.header.indexOf(name);
  assert.deepEqual(table.header.slice(column('Reply'), column('Duration (ms)')), ['Reply', 'Error code', 'Cause category', 'Cause', 'Fix']);
  assert.deepEqual(table.rows[0]?.slice(column('Cause category'), column('Fix') + 1), ['rate-limited', 'Too many connections or messages', 'Exempt 198.51.100.2 from connection rate limiting.']);
  assert.deepEqual(table.rows[1]?.slice(column('Cause category'), column('Fix') + 1), [null, null, null]);
  assert.equal(table.header.length, table.rows[1]?.length);
});

test('export file names name the report, domain, dates and zone, with nothing a file system refuses', () => {
  const base = { from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin' };
  assert.equal(exportFileName({ ...base, type: 'outbound', domain: 'example.com' }), 'mx-spool-outbound-example.com-2026-11-01_2026-11-27-Europe-Berlin.csv');
  assert.equal(exportFileName({ ...base, type: 'inbound' }), 'mx-spool-inbound-all-domains-2026-11-01_2026-11-27-Europe-Berlin.csv');
  assert.equal(exportFileName({ ...base, type: 'outbound', outcome: 'deferred', timeZone: 'America/Argentina/Buenos_Aires' }), 'mx-spool-outbound-all-domains-deferred-2026-11-01_2026-11-27-America-Argentina-Buenos_Aires.csv');
  assert.equal(exportFileName({ ...base, type: 'outbound', timeZone: 'Etc/GMT+5' }), 'mx-spool-outbound-all-domains-2026-11-01_2026-11-27-Etc-GMT+5.csv');
});
