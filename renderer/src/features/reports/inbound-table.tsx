import type { InboundRow } from '../../../../electron/contract/report-schema.js';
import { formatSize } from './report-wording.js';
import { ReplyCell } from './reply-cell.js';
import { ReportTimeCell } from './report-time-cell.js';

/** SMTP sessions received: who connected, what they sent, and what MX Spool answered. */
export function InboundTable(props: { caption: string; timeZone: string; rows: InboundRow[]; offset: number; busy: boolean }) {
  return (
    <table className="report-table" aria-busy={props.busy || undefined}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time ({props.timeZone})</th>
          <th scope="col">Client IP</th>
          <th scope="col">HELO</th>
          <th scope="col">From</th>
          <th scope="col">Recipients</th>
          <th scope="col">Outcome</th>
          <th scope="col">Reply</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, index) => (
          <tr key={`${props.offset + index}-${row.clientAddress}-${row.time}`}>
            <ReportTimeCell iso={row.time} />
            <td>{row.clientAddress}</td>
            <td className="report-address">{row.helo ?? '—'}</td>
            <td className="report-address">{row.from === null ? '—' : row.from || '<>'}</td>
            <td className="report-address">
              {row.recipients.map((recipient, position) => (
                <div key={position}>{recipient}</div>
              ))}
            </td>
            <td className={`reply-${row.outcome}`}>{row.outcome}</td>
            <ReplyCell outcome={row.outcome} code={row.code} enhancedCode={null} response={row.response} showOutcome={false} testId="reply" />
            <td title={row.size === null ? undefined : `${row.size} bytes`}>{formatSize(row.size)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
