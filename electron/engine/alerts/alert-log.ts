import { alertSchema, type Alert } from '../../contract/alerts-schema.js';
import { JsonLinesLog } from '../logs/json-lines-log.js';
import type { Logger } from '../runtime/logger.js';

/** File prefix of the alert log, also what log retention (logs/log-retention.ts) matches. */
export const ALERT_LOG_NAME = 'alerts';

/** Alerts raised: `<dir>/alerts-YYYY-MM-DD.jsonl`, read back at start so alerts.list survives a restart. */
export function createAlertLog(dir: string, logger: Logger): JsonLinesLog<Alert> {
  return new JsonLinesLog<Alert>({ dir, name: ALERT_LOG_NAME, logger, parse: (value) => alertSchema.safeParse(value).data });
}
