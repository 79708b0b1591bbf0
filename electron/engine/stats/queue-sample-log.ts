import { queueSampleSchema, type QueueSample } from '../../contract/stats-schema.js';
import { JsonLinesLog } from '../logs/json-lines-log.js';
import type { Logger } from '../runtime/logger.js';

/**
 * Queue size samples: `<dir>/queue-samples-YYYY-MM-DD.jsonl`, read by stats.queueSeries. A day file like
 * the attempt log, so the series survives restarts and a chart reads only the days it shows. Lines are
 * checked against the contract schema when read; a damaged line is skipped (LOG_LINES_SKIPPED).
 */
export function createQueueSampleLog(dir: string, logger: Logger): JsonLinesLog<QueueSample> {
  return new JsonLinesLog<QueueSample>({ dir, name: 'queue-samples', logger, parse: (value) => queueSampleSchema.safeParse(value).data });
}
