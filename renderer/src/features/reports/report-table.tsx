import type { ReactNode } from 'react';

/**
 * The frame both reports share: the caption names the filter, the first column is the time in the
 * report's zone, and the rows dim (aria-busy) while the next page loads over them.
 */
export function ReportTable(props: { caption: string; timeZone: string; busy: boolean; columns: readonly string[]; children: ReactNode }) {
  return (
    <table className="report-table" aria-busy={props.busy || undefined}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time ({props.timeZone})</th>
          {props.columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}
