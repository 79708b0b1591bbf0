import { useQuery } from '@tanstack/react-query';
import type { ApiInput } from '../../../../electron/contract/api-contract.js';
import { callApi } from '../../api/api-client.js';
import { attemptPeriodProblem, type AttemptPeriod } from './attempt-period.js';

type PeriodMethod = 'stats.outcomesByHour' | 'stats.topDeferrals';

/** The part of a stats.* input the period controls and the domain filter set. */
export function periodInput(period: AttemptPeriod, domain: string) {
  return { from: period.from, to: period.to, timeZone: period.timeZone, ...(domain ? { domain } : {}) };
}

/**
 * A statistic of delivery attempts over the chosen period, asked for only while the period is valid
 * (`valid` false: the controls already say why). Refetched once a minute rather than on each
 * attempt.made event: a draining backlog makes hundreds of attempts a minute, each would re-read the logs.
 */
export function usePeriodStats<M extends PeriodMethod>(method: M, input: ApiInput<M>, period: AttemptPeriod) {
  const valid = attemptPeriodProblem(period) === null;
  const query = useQuery({
    queryKey: [method, input],
    queryFn: () => callApi(method, input),
    enabled: valid,
    refetchInterval: 60_000,
  });
  return { valid, query };
}
