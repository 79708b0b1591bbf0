import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ApiOutput } from '../../../../electron/contract/api-contract.js';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { ageBucketLabels } from './age-bucket-labels.js';
import { ChartError } from './chart-error.js';
import { ChartFrame } from './chart-frame.js';
import { chartMargin, gridLines, legendInSeriesOrder, tooltipInSeriesOrder, xAxisTitle, yAxisTitle } from './chart-layout.js';
import { domainColour } from './domain-colours.js';
import { QueueAgesTable } from './queue-ages-table.js';

type QueueAges = ApiOutput<'stats.queueAges'>;

const input = {} as const;

/**
 * How long the queued messages have waited, per domain, in qshape's doubling buckets. Refreshed when the
 * queue changes (engine event) and once a minute, because messages grow older without any event.
 */
export function QueueAgesChart(props: { domain: string; knownDomains: readonly string[] }) {
  const ages = useQuery({
    queryKey: ['stats.queueAges', input],
    queryFn: () => callApi('stats.queueAges', input),
    refetchInterval: 60_000,
  });
  useLiveRefresh(['queue.changed'], ['stats.queueAges']);

  return (
    <section className="chart-section" aria-labelledby="queue-ages-title">
      <h2 id="queue-ages-title">Age of queued messages</h2>
      {ages.isPending ? (
        <p role="status">Loading the ages of queued messages…</p>
      ) : ages.isError ? (
        <ChartError error={ages.error} action="Loading the ages of queued messages" onRetry={() => void ages.refetch()} />
      ) : (
        <AgesFigure data={ages.data} domain={props.domain} knownDomains={props.knownDomains} />
      )}
    </section>
  );
}

function AgesFigure(props: { data: QueueAges; domain: string; knownDomains: readonly string[] }) {
  const { data, domain } = props;
  const domains = domain ? data.domains.filter((row) => row.domain === domain) : data.domains;
  const queued = domains.some((row) => row.total > 0);
  if (!queued) return <p className="chart-empty">{domain ? `No messages queued for ${domain}: nothing is stuck.` : 'No messages queued: nothing is stuck.'}</p>;
  const labels = ageBucketLabels(data.bucketMinutes);
  // One row per bucket, one key per domain by position: recharts would read "example.com" as a path.
  const rows = labels.map((label, bucket) => Object.fromEntries<string | number>([['bucket', label], ...domains.map((row, index) => [`d${index}`, row.counts[bucket] ?? 0] as const)]));
  return (
    <figure className="chart-figure">
      <ChartFrame testId="queue-ages-chart">
        <BarChart data={rows} margin={chartMargin}>
          <CartesianGrid {...gridLines} vertical={false} />
          <XAxis dataKey="bucket" interval={0} tick={{ fontSize: 12 }} label={xAxisTitle('Time in the queue (minutes)')} />
          <YAxis allowDecimals={false} label={yAxisTitle('Messages')} />
          <Tooltip {...tooltipInSeriesOrder} />
          <Legend {...legendInSeriesOrder} />
          {/* No animation: the bars follow the queue up to 4 times a second and would flicker. */}
          {domains.map((row, index) => (
            <Bar key={row.domain} dataKey={`d${index}`} name={row.domain} stackId="age" fill={domainColour(row.domain, props.knownDomains)} isAnimationActive={false} />
          ))}
        </BarChart>
      </ChartFrame>
      <figcaption className="hint">
        Each bar stacks the domains&apos; messages whose age falls in that bucket, like Postfix&apos;s qshape; held messages are counted too.
      </figcaption>
      <QueueAgesTable bucketMinutes={data.bucketMinutes} labels={labels} domains={domains} totals={domain ? null : data.totals} />
    </figure>
  );
}
