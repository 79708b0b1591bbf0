/** Every recipient of a row, one per line: a report is read to find one address, so none is cut. */
export function RecipientsCell(props: { recipients: readonly string[] }) {
  return (
    <td className="report-address">
      {props.recipients.map((recipient, position) => (
        <div key={position}>{recipient}</div>
      ))}
    </td>
  );
}
