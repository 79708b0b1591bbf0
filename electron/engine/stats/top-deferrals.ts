import type { TopDeferralsQuery, TopDeferralsResult } from '../../contract/stats-schema.js';
import { deferralReplyKey, deferralReplyOf } from '../logs/deferral-reply-key.js';
import { isoTimeMs } from '../runtime/iso-time.js';
import { formatReportTime } from '../reports/report-window.js';
import { visitAttemptDays, type AttemptSource } from './attempt-days.js';
import { domainFilter, statsWindow } from './stats-window.js';

interface Group {
  key: string;
  count: number;
  domains: Set<string>;
  lastSeenMs: number;
}

/**
 * stats.topDeferrals: the most frequent replies to deferred attempts over the local dates from..to.
 * Replies are grouped by code, enhanced code and the exact text, never normalised (deferral-reply-key.ts):
 * the admin must see what the server said (a greylisting notice and a full mailbox can share `450 4.2.0`).
 * Without a reply (network error, suspended domain) the nodemailer error code stands for it. Memory grows
 * with the number of distinct replies in the range, not with the number of attempts.
 */
export async function topDeferrals(log: AttemptSource, query: TopDeferralsQuery): Promise<TopDeferralsResult> {
  const window = statsWindow(query);
  const domain = domainFilter(query.domain);
  const groups = new Map<string, Group>();
  const add = (key: string, recordDomain: string, timeMs: number, times = 1): void => {
    const group = groups.get(key);
    if (group) {
      group.count += times;
      group.domains.add(recordDomain);
      group.lastSeenMs = Math.max(group.lastSeenMs, timeMs);
    } else {
      groups.set(key, { key, count: times, domains: new Set([recordDomain]), lastSeenMs: timeMs });
    }
  };
  await visitAttemptDays(log, window.startMs, window.endMs, {
    usable: (index) => !index.groupsOverflow,
    indexed(index) {
      const deferred = index.outcomeIdOf('deferred');
      if (deferred === undefined) return;
      const domainIds = domain === undefined ? null : index.domainIdsMatching(domain);
      const { timeMs, domainId, outcomeId, groupId } = index;
      // Per (group, domain) of this day first: a Map lookup by number per record instead of by reply text.
      const day = new Map<number, { group: number; domain: number; count: number; lastSeenMs: number }>();
      for (let position = 0; position < index.count; position++) {
        if (outcomeId[position] !== deferred) continue;
        const time = timeMs[position]!;
        if (time < window.startMs || time >= window.endMs) continue;
        const recordDomain = domainId[position]!;
        if (domainIds !== null && !domainIds.has(recordDomain)) continue;
        const group = groupId[position]!;
        const slot = group * 0x10000 + recordDomain;
        const seen = day.get(slot);
        if (seen) {
          seen.count += 1;
          if (time > seen.lastSeenMs) seen.lastSeenMs = time;
        } else {
          day.set(slot, { group, domain: recordDomain, count: 1, lastSeenMs: time });
        }
      }
      for (const seen of day.values()) {
        const key = index.groups[seen.group];
        const recordDomain = index.domains[seen.domain];
        // Every deferred record has a key and a domain (the record check requires both); never skipped in practice.
        if (key === null || key === undefined || recordDomain === null || recordDomain === undefined) continue;
        add(key, recordDomain, seen.lastSeenMs, seen.count);
      }
    },
    record(record) {
      if (domain !== undefined && record.domain.toLowerCase() !== domain) return;
      const key = deferralReplyKey(record);
      if (key !== null) add(key, record.domain, isoTimeMs(record.time));
    },
  });
  const top = [...groups.values()].sort((a, b) => b.count - a.count || b.lastSeenMs - a.lastSeenMs).slice(0, query.limit);
  return {
    replies: top.map((group) => ({
      ...deferralReplyOf(group.key),
      count: group.count,
      domains: [...group.domains].sort(),
      lastSeen: formatReportTime(group.lastSeenMs, window.timeZone),
    })),
  };
}
