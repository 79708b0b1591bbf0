import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { callApi } from '../../api/api-client.js';
import { AttemptPeriodControls } from './attempt-period-controls.js';
import { defaultAttemptPeriod, type AttemptPeriod } from './attempt-period.js';
import './charts.css';
import { DomainFilter } from './domain-filter.js';
import { OutcomesByHourChart } from './outcomes-by-hour-chart.js';
import { QueueAgesChart } from './queue-ages-chart.js';
import { QueueSeriesChart } from './queue-series-chart.js';
import { seriesRange } from './queue-series-range.js';
import { TopDeferralsTable } from './top-deferrals-table.js';

/**
 * Charts of stuck messages: how the queue grew, how old its messages are, what happened to delivery
 * attempts hour by hour and which replies made them wait. Route params (`#/charts?domain=…&range=7d&
 * from=…&to=…&tz=…`) set the first view, so another screen can link to a domain's charts.
 */
export function ChartsScreen(props: { params: Record<string, string> }) {
  const { params } = props;
  const [domain, setDomain] = useState(params.domain ?? '');
  const [rangeId, setRangeId] = useState<string | undefined>(params.range);
  const [period, setPeriod] = useState<AttemptPeriod>(() => defaultAttemptPeriod(params));
  // A link followed while this screen is open changes the params without remounting it.
  useEffect(() => setDomain(params.domain ?? ''), [params.domain]);
  useEffect(() => setRangeId(params.range), [params.range]);

  // Configured domains for the filter and for stable colours; the charts still work if this fails.
  const configured = useQuery({ queryKey: ['domains.list', {}], queryFn: () => callApi('domains.list', {}) });
  const knownDomains = (configured.data?.items.map((item) => item.name) ?? []).sort();

  return (
    <section className="charts-screen" aria-labelledby="charts-title">
      <h1 id="charts-title">Charts of stuck messages</h1>
      <div className="chart-controls">
        <DomainFilter value={domain} domains={knownDomains} onChange={setDomain} />
      </div>
      <QueueSeriesChart range={seriesRange(rangeId)} onRangeChange={setRangeId} domain={domain} knownDomains={knownDomains} />
      <QueueAgesChart domain={domain} knownDomains={knownDomains} />
      <AttemptPeriodControls period={period} onChange={setPeriod} />
      <OutcomesByHourChart period={period} domain={domain} />
      <TopDeferralsTable period={period} domain={domain} />
    </section>
  );
}
