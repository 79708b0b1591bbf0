import type { OutboundRow } from '../../../../electron/contract/report-schema.js';
import { ReplyCell } from './reply-cell.js';
import { ReportTimeCell } from './report-time-cell.js';

/** Delivery attempts: what was sent where, and what the office server answered. */
export function OutboundTable(props: { caption: string; timeZone: string; rows: OutboundRow[]; offset: number; busy: boolean }) {
  return (
    <table className="report-table" aria-busy={props.busy || undefined}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time ({props.timeZone})</th>
          <th scope="col">Domain</th>
          <th scope="col">From</th>
          <th scope="col">Recipients</th>
          <th scope="col">Destination</th>
          <th scope="col">Stage</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, index) => (
          <tr key={`${props.offset + index}-${row.queueId}-${row.time}`}>
            <ReportTimeCell iso={row.time} />
            <td>{row.domain}</td>
            <td className="report-address">{row.from || '<>'}</td>
            <td className="report-address">
              {row.recipients.map((recipient, position) => (
                <div key={position}>{recipient}</div>
              ))}
            </td>
            <td>
              <div>{row.destination}</div>
              {row.remoteAddress ? <div className="report-secondary">{row.remoteAddress}</div> : null}
            </td>
            <td>{row.stage}</td>
            <ReplyCell outcome={row.outcome} code={row.code} enhancedCode={row.enhancedCode} response={row.response} errorCode={row.errorCode} testId="status" />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
