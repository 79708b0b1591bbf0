import { splitReportTime } from './report-time.js';

/** The row's own wall-clock time and offset, in the zone the report was asked for (see report-time.ts). */
export function ReportTimeCell(props: { iso: string }) {
  const time = splitReportTime(props.iso);
  return (
    <td className="report-time" data-testid="time">
      <time dateTime={props.iso}>{time.local}</time> <span className="report-offset">{time.offset}</span>
    </td>
  );
}
