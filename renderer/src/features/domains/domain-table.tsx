import type { Domain } from '../../../../electron/contract/settings-schema.js';
import { routeHref } from '../../ui/route.js';
import { RemoveConfirmation } from './remove-confirmation.js';

const tlsShort = { opportunistic: 'TLS if offered', required: 'TLS required', none: 'no TLS' } as const;

/** The domains with what they forward to, their queue, and the actions on each. */
export function DomainTable(props: {
  domains: Domain[];
  queuedOf: (name: string) => number | undefined;
  confirming: string | null;
  busy: string | null;
  onEdit: (name: string) => void;
  onToggle: (domain: Domain) => void;
  onAskRemove: (name: string) => void;
  onRemove: (name: string) => void;
  onCancelRemove: () => void;
}) {
  return (
    <table className="domain-table">
      <thead>
        <tr>
          <th scope="col">Domain</th>
          <th scope="col">Status</th>
          <th scope="col">Mail servers, in order</th>
          <th scope="col">Queued</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.domains.map((domain) => {
          const queued = props.queuedOf(domain.name);
          return (
            <tr key={domain.name} data-domain={domain.name}>
              <th scope="row">{domain.name}</th>
              <td>
                <span className={domain.enabled ? 'badge badge-on' : 'badge badge-off'}>{domain.enabled ? 'Enabled' : 'Disabled'}</span>
                {domain.held ? <span className="badge badge-held">Mail held</span> : null}
                <div className="hint">{domain.acceptAllRecipients ? 'All recipients' : `${domain.recipients.length} listed recipients`}</div>
              </td>
              <td>
                <ol className="server-list">
                  {domain.destinations.map((destination, index) => (
                    <li key={index}>
                      {destination.host}:{destination.port} <span className="hint">({tlsShort[destination.tls]})</span>
                    </li>
                  ))}
                </ol>
              </td>
              <td data-testid="queued">{queued ? <a href={routeHref('queue', { domain: domain.name })} aria-label={`${queued} queued for ${domain.name}: show in the queue`}>{queued}</a> : (queued ?? '—')}</td>
              <td>
                {props.confirming === domain.name ? (
                  <RemoveConfirmation name={domain.name} queued={queued} pending={props.busy === domain.name} onConfirm={() => props.onRemove(domain.name)} onCancel={props.onCancelRemove} />
                ) : (
                  <div className="row-actions">
                    <button type="button" data-edit={domain.name} aria-label={`Edit ${domain.name}`} onClick={() => props.onEdit(domain.name)}>
                      Edit
                    </button>
                    <button type="button" aria-label={`${domain.enabled ? 'Disable' : 'Enable'} ${domain.name}`} aria-disabled={props.busy === domain.name} onClick={() => props.busy !== domain.name && props.onToggle(domain)}>
                      {domain.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button type="button" data-remove={domain.name} aria-label={`Remove ${domain.name}`} onClick={() => props.onAskRemove(domain.name)}>
                      Remove
                    </button>
                  </div>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
