import type { ApiOutput } from '../../contract/api-contract.js';
import type { AttemptRecord } from '../../contract/report-schema.js';
import { summarise } from '../api/stats-summary.js';
import type { Engine } from '../engine.js';
import { appInfo } from './app-info.js';

const REDACTED = '(set; not exported)';
const SECRET_KEYS = new Set(['pass', 'password', 'secret', 'token']);
const ALERTS_KEPT = 50;

/**
 * "Export diagnostics": one JSON file an admin can send to whoever helps them. Settings go out with every
 * password replaced (whatever section it sits in: the walk does not rely on knowing today's schema), so the
 * file can be mailed without a second thought; queue contents (addresses, subjects) stay out, counts go in.
 */
export function exportDiagnostics(engine: Engine, lastAttempts: Map<string, AttemptRecord>): ApiOutput<'diagnostics.export'> {
  const now = new Date(engine.now());
  const summary = summarise(engine, lastAttempts);
  const document = {
    format: 'mx-spool-diagnostics/1',
    generatedAt: now.toISOString(),
    app: appInfo(engine),
    listener: summary.listener,
    settings: redactSecrets(engine.settings),
    queue: {
      queued: summary.queued,
      held: summary.held,
      delivering: summary.delivering,
      oldestCreatedAt: summary.oldestCreatedAt,
      domains: summary.domains,
    },
    alerts: engine.alerts.list().slice(0, ALERTS_KEPT),
    log: engine.recentLog.lines(),
  };
  return {
    fileName: `mx-spool-diagnostics-${now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}.json`,
    contentType: 'application/json',
    content: JSON.stringify(document, null, 2) + '\n',
  };
}

/** A deep copy with the value of every secret-named key replaced (empty ones stay empty: "none set" is useful). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEYS.has(key.toLowerCase()) && inner !== '' && inner !== null ? REDACTED : redactSecrets(inner)]),
  );
}
