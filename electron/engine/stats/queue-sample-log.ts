import { queueSampleSchema, type QueueSample } from '../../contract/stats-schema.js';
import { JsonLinesLog } from '../logs/json-lines-log.js';
import type { Logger } from '../runtime/logger.js';

/** File prefix of the queue sample log, also what log retention (logs/log-retention.ts) matches. */
export const QUEUE_SAMPLE_LOG_NAME = 'queue-samples';

/**
 * Queue size samples: `<dir>/queue-samples-YYYY-MM-DD.jsonl`, read by stats.queueSeries. A day file like
 * the attempt log, so the series survives restarts and a chart reads only the days it shows. Lines are
 * checked against the contract schema when read; a damaged line is skipped (LOG_LINES_SKIPPED).
 */
export function createQueueSampleLog(dir: string, logger: Logger): JsonLinesLog<QueueSample> {
  return new JsonLinesLog<QueueSample>({ dir, name: QUEUE_SAMPLE_LOG_NAME, logger, parse: (value) => queueSampleSchema.safeParse(value).data });
}
