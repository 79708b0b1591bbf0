import type { AttemptRecord } from '../../contract/report-schema.js';
import type { TopDeferralsQuery, TopDeferralsResult } from '../../contract/stats-schema.js';
import { formatReportTime } from '../reports/report-window.js';
import type { AttemptSource } from './outcomes-by-hour.js';
import { domainFilter, statsWindow } from './stats-window.js';

interface Group {
  reply: string;
  code: number | null;
  enhancedCode: string | null;
  count: number;
  domains: Set<string>;
  lastSeenMs: number;
}

/**
 * stats.topDeferrals: the most frequent replies to deferred attempts over the local dates from..to.
 * Replies are grouped by code, enhanced code and the exact text, never normalised: the admin must see
 * what the server said (a greylisting notice and a full mailbox can share `450 4.2.0`). Without a reply
 * (network error, suspended domain) the nodemailer error code stands for it. Memory grows with the number
 * of distinct replies in the range, not with the number of attempts.
 */
export async function topDeferrals(log: AttemptSource, query: TopDeferralsQuery): Promise<TopDeferralsResult> {
  const window = statsWindow(query);
  const domain = domainFilter(query.domain);
  const groups = new Map<string, Group>();
  const matches = (record: AttemptRecord): boolean => record.outcome === 'deferred' && (domain === undefined || record.domain.toLowerCase() === domain);
  for await (const record of log.readRange(window.startMs, window.endMs, matches)) {
    const reply = record.response ?? record.errorCode ?? '';
    // response-or-error in the key keeps a server's literal text "ETIMEDOUT" apart from the error code.
    const key = JSON.stringify([record.code, record.enhancedCode, record.response === null, reply]);
    const timeMs = Date.parse(record.time);
    const group = groups.get(key);
    if (group) {
      group.count += 1;
      group.domains.add(record.domain);
      group.lastSeenMs = Math.max(group.lastSeenMs, timeMs);
    } else {
      groups.set(key, { reply, code: record.code, enhancedCode: record.enhancedCode, count: 1, domains: new Set([record.domain]), lastSeenMs: timeMs });
    }
  }
  const top = [...groups.values()].sort((a, b) => b.count - a.count || b.lastSeenMs - a.lastSeenMs).slice(0, query.limit);
  return {
    replies: top.map((group) => ({
      reply: group.reply,
      code: group.code,
      enhancedCode: group.enhancedCode,
      count: group.count,
      domains: [...group.domains].sort(),
      lastSeen: formatReportTime(group.lastSeenMs, window.timeZone),
    })),
  };
}
