import type { InboundRow } from '../../../../electron/contract/report-schema.js';
import { formatCount } from '../../ui/format-number.js';
import { RecipientsCell } from './recipients-cell.js';
import { ReplyCell } from './reply-cell.js';
import { ReportTable } from './report-table.js';
import { ReportTimeCell } from './report-time-cell.js';
import { formatSize } from './report-wording.js';

const columns = ['Client IP', 'HELO', 'From', 'Recipients', 'Outcome', 'Reply', 'Size'] as const;

/** SMTP sessions received: who connected, what they sent, and what MX Spool answered. */
export function InboundTable(props: { caption: string; timeZone: string; rows: InboundRow[]; offset: number; busy: boolean }) {
  return (
    <ReportTable caption={props.caption} timeZone={props.timeZone} busy={props.busy} columns={columns}>
      {props.rows.map((row, index) => (
        <tr key={`${props.offset + index}-${row.clientAddress}-${row.time}`}>
          <ReportTimeCell iso={row.time} />
          <td>{row.clientAddress}</td>
          <td className="report-address">{row.helo ?? '—'}</td>
          <td className="report-address">{row.from === null ? '—' : row.from || '<>'}</td>
          <RecipientsCell recipients={row.recipients} />
          <td className={`reply-${row.outcome}`}>{row.outcome}</td>
          <ReplyCell outcome={row.outcome} code={row.code} enhancedCode={null} response={row.response} showOutcome={false} testId="reply" />
          <td title={row.size === null ? undefined : `${formatCount(row.size)} bytes`}>{formatSize(row.size)}</td>
        </tr>
      ))}
    </ReportTable>
  );
}
