import type { RecipientState } from '../../../../electron/contract/queue-schema.js';

/** Each recipient's own outcome: one message may be delivered to some recipients and deferred for others. */
export function RecipientTable(props: { recipients: readonly RecipientState[] }) {
  return (
    <div className="drawer-table-wrap">
      <table className="recipient-table">
        <caption>Recipients</caption>
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Status</th>
            <th scope="col">Code</th>
            <th scope="col">Last reply</th>
          </tr>
        </thead>
        <tbody>
          {props.recipients.map((recipient) => (
            <tr key={recipient.address}>
              <td className="address">{recipient.address}</td>
              <td>
                <span className={`recipient-status status-${recipient.status}`}>{recipient.status}</span>
              </td>
              <td>{recipient.code ?? '—'}</td>
              <td className="reply">{recipient.response ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
