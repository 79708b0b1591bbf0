import type { OutboundRow } from '../../../../electron/contract/report-schema.js';
import { DiagnosisNote } from './diagnosis-note.js';
import { RecipientsCell } from './recipients-cell.js';
import { RefusedRecipientsNote } from './refused-recipients-note.js';
import { ReplyCell } from './reply-cell.js';
import { ReportTable } from './report-table.js';
import { ReportTimeCell } from './report-time-cell.js';

const columns = ['Domain', 'From', 'Recipients', 'Destination', 'Stage', 'Status'] as const;

/** Delivery attempts: what was sent where, what the office server answered, and what that means. */
export function OutboundTable(props: { caption: string; timeZone: string; rows: OutboundRow[]; offset: number; busy: boolean }) {
  return (
    <ReportTable caption={props.caption} timeZone={props.timeZone} busy={props.busy} columns={columns}>
      {props.rows.map((row, index) => (
        <tr key={`${props.offset + index}-${row.queueId}-${row.time}`}>
          <ReportTimeCell iso={row.time} />
          <td>{row.domain}</td>
          <td className="report-address">{row.from || '<>'}</td>
          <RecipientsCell recipients={row.recipients} />
          <td>
            <div>{row.destination}</div>
            {row.remoteAddress ? <div className="report-secondary">{row.remoteAddress}</div> : null}
          </td>
          <td>{row.stage}</td>
          <ReplyCell outcome={row.outcome} code={row.code} enhancedCode={row.enhancedCode} response={row.response} errorCode={row.errorCode} testId="status">
            <RefusedRecipientsNote refused={row.refusedRecipients} />
            <DiagnosisNote diagnosis={row.diagnosis} />
          </ReplyCell>
        </tr>
      ))}
    </ReportTable>
  );
}
