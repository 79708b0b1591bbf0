import { attemptRecordSchema, inboundRecordSchema, type AttemptRecord, type InboundRecord } from '../../contract/report-schema.js';
import type { Logger } from '../runtime/logger.js';
import { deferralReplyKey } from './deferral-reply-key.js';
import { JsonLinesLog } from './json-lines-log.js';

/**
 * The two history logs. Lines are checked against the contract schemas when read, so a line from an
 * incompatible version is skipped (and counted in LOG_LINES_SKIPPED) instead of reaching a report.
 */

/** File prefixes of the two logs, also what log retention (log-retention.ts) matches. */
export const ATTEMPT_LOG_NAME = 'attempts';
export const INBOUND_LOG_NAME = 'inbound';

/** Delivery attempts: `<dir>/attempts-YYYY-MM-DD.jsonl`, read by reports.outbound, the charts' stats and queue.get. */
export function createAttemptLog(dir: string, logger: Logger): JsonLinesLog<AttemptRecord> {
  return new JsonLinesLog<AttemptRecord>({
    dir,
    name: ATTEMPT_LOG_NAME,
    logger,
    parse: (value) => attemptRecordSchema.safeParse(value).data,
    indexKeys: { domainOf: (record) => record.domain, outcomeOf: (record) => record.outcome, groupOf: deferralReplyKey },
  });
}

/** SMTP sessions received: `<dir>/inbound-YYYY-MM-DD.jsonl`, read by reports.inbound. */
export function createInboundLog(dir: string, logger: Logger): JsonLinesLog<InboundRecord> {
  return new JsonLinesLog<InboundRecord>({
    dir,
    name: INBOUND_LOG_NAME,
    logger,
    parse: (value) => inboundRecordSchema.safeParse(value).data,
    indexKeys: { domainOf: (record) => record.domain, outcomeOf: (record) => record.outcome },
  });
}
