import type { ApiOutput } from '../../../../electron/contract/api-contract.js';
import { ageBucketHint } from './age-bucket-labels.js';

type QueueAges = ApiOutput<'stats.queueAges'>;

/** The age chart's numbers, readable without the chart: a row per domain, a column per age bucket, like qshape. */
export function QueueAgesTable(props: { bucketMinutes: readonly number[]; labels: readonly string[]; domains: QueueAges['domains']; totals: readonly number[] | null }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby="queue-ages-caption" tabIndex={0}>
      <table className="numbers-table" data-testid="queue-ages-table">
        <caption id="queue-ages-caption">Messages queued per domain and age (time since the spool accepted them)</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Total</th>
            <th scope="col">Held</th>
            {props.labels.map((label, index) => (
              <th scope="col" key={label} data-bucket={index}>
                {label}
                {ageBucketHint(props.bucketMinutes, index) ? <small className="bucket-hint">{ageBucketHint(props.bucketMinutes, index)}</small> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.domains.map((row) => (
            <tr key={row.domain} data-domain={row.domain}>
              <th scope="row">{row.domain}</th>
              <td>{row.total}</td>
              <td>{row.held}</td>
              {row.counts.map((count, index) => (
                <td key={index} data-bucket={index} className={count === 0 ? 'zero' : undefined}>
                  {count}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {props.totals ? (
          <tfoot>
            <tr data-domain="">
              <th scope="row">All domains</th>
              <td>{sum(props.domains.map((row) => row.total))}</td>
              <td>{sum(props.domains.map((row) => row.held))}</td>
              {props.totals.map((count, index) => (
                <td key={index} data-bucket={index}>
                  {count}
                </td>
              ))}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
