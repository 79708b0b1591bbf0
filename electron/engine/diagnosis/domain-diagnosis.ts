import type { DiagnosisCause, DomainDiagnosisQuery, DomainDiagnosisResult, FailureCategory } from '../../contract/diagnosis-schema.js';
import type { AttemptRecord } from '../../contract/report-schema.js';
import type { DayFileSource } from '../logs/json-lines-log.js';
import { describe, fill, matchFailureClass } from './classify-attempt.js';
import type { FailureClass } from './failure-classes.js';
import { readNewestAttempts } from './read-newest-attempts.js';

/** How far back "recent" reaches: the longest queue lifetime a domain can have (60 days, settings-schema.ts). */
export const DIAGNOSIS_LOOKBACK_MS = 60 * 86_400_000;

/** Not failures the admin can act on: delivered, and "suspended" (it repeats the failure before it). */
const NOT_A_CAUSE: ReadonlySet<FailureCategory> = new Set(['delivered', 'suspended']);

interface Group {
  category: FailureCategory;
  count: number;
  sources: Set<string>;
  destinations: Set<string>;
  /** The newest attempt of the group and the table row it matched: its texts describe the group. */
  newest: AttemptRecord;
  row: FailureClass;
}

/**
 * diagnosis.domain, "Why is mail stuck?": the domain's newest attempts counted per category, with the
 * advice of each, the addresses involved and the newest reply, and one sentence naming the main cause.
 */
export async function diagnoseDomain(log: DayFileSource<AttemptRecord>, query: DomainDiagnosisQuery, nowMs: number): Promise<DomainDiagnosisResult> {
  const domain = query.domain.trim().toLowerCase().replace(/\.$/, '');
  const attempts = await readNewestAttempts(log, {
    sinceMs: nowMs - DIAGNOSIS_LOOKBACK_MS,
    limit: query.attempts,
    filter: (record) => record.domain.toLowerCase() === domain,
  });
  const groups = new Map<FailureCategory, Group>();
  for (const record of attempts) {
    // Newest first: the first record of a category is its newest.
    const row = matchFailureClass(record);
    const group = groups.get(row.category) ?? { category: row.category, count: 0, sources: new Set<string>(), destinations: new Set<string>(), newest: record, row };
    group.count += 1;
    if (record.localAddress) group.sources.add(record.localAddress);
    if (record.destination) group.destinations.add(record.destination);
    groups.set(row.category, group);
  }
  const total = attempts.length;
  // Most frequent first; equal counts: the more recent first (Map order is first-seen, i.e. newest first).
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count);
  const causes = sorted.map((group) => toCause(group, total));
  const top = sorted.find((group) => !NOT_A_CAUSE.has(group.category)) ?? null;
  return {
    domain,
    attempts: total,
    oldest: attempts[attempts.length - 1]?.time ?? null,
    newest: attempts[0]?.time ?? null,
    causes,
    topCategory: top?.category ?? null,
    summary: summarise(domain, total, groups, top),
  };
}

function toCause(group: Group, total: number): DiagnosisCause {
  const places = { sources: [...group.sources], destination: [...group.destinations].join(', ') || null };
  const { newest } = group;
  return {
    ...describe(group.row, places),
    count: group.count,
    share: share(group.count, total),
    sourceAddresses: [...group.sources],
    destinations: [...group.destinations],
    lastSeen: newest.time,
    example: {
      time: newest.time,
      destination: newest.destination,
      localAddress: newest.localAddress,
      remoteAddress: newest.remoteAddress,
      stage: newest.stage,
      code: newest.code,
      enhancedCode: newest.enhancedCode,
      response: newest.response,
      errorCode: newest.errorCode,
    },
  };
}

function summarise(domain: string, total: number, groups: Map<FailureCategory, Group>, top: Group | null): string {
  if (total === 0) return `No delivery attempts to ${domain} in the last 60 days.`;
  if (top === null) {
    const delivered = groups.get('delivered')?.count ?? 0;
    if (delivered === total) return `All ${total} recent attempt${total === 1 ? '' : 's'} to ${domain} were delivered: nothing is stuck.`;
    return `No failure to act on in the last ${total} attempts to ${domain}: ${delivered} delivered, the others waited after a brief outage.`;
  }
  const places = { sources: [...top.sources], destination: [...top.destinations].join(', ') || null };
  const fix = fill(top.row.fix, places).replace(/\.$/, '');
  return `${fill(top.row.cause, places)} on ${share(top.count, total)}: ${lowerFirst(fix)}.`;
}

function share(count: number, total: number): string {
  return `${count} of ${total} attempt${total === 1 ? '' : 's'}`;
}

/** "Exempt …" → "exempt …" after a colon; a word in capitals ("DNS", "MX") is left alone. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
