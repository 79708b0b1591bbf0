import type { AttemptRecord, InboundRecord, ReportQuery } from '../../../electron/contract/report-schema.js';

export function attemptRecord(time: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    time,
    queueId: 'Q1',
    messageId: '<m1@example.org>',
    domain: 'example.com',
    from: 'sender@example.org',
    recipients: ['alice@example.com'],
    destination: 'mail.example.com:25',
    remoteAddress: '192.0.2.10',
    localAddress: '192.0.2.1',
    stage: 'done',
    code: 250,
    enhancedCode: '2.0.0',
    response: '250 2.0.0 Ok: queued as ABC',
    errorCode: null,
    durationMs: 120,
    outcome: 'delivered',
    ...overrides,
  };
}

export function inboundRecord(time: string, overrides: Partial<InboundRecord> = {}): InboundRecord {
  return {
    time,
    clientAddress: '198.51.100.7',
    helo: 'mail.example.org',
    from: 'sender@example.org',
    recipients: ['alice@example.com'],
    domain: 'example.com',
    outcome: 'accepted',
    code: 250,
    response: '250 2.0.0 Ok: queued as Q1',
    queueIds: ['Q1'],
    size: 2048,
    ...overrides,
  };
}

/** A parsed report query: the schema defaults filled in. */
export function reportQuery(overrides: Partial<ReportQuery> & Pick<ReportQuery, 'from' | 'to'>): ReportQuery {
  return { timeZone: 'UTC', offset: 0, limit: 100, ...overrides };
}
