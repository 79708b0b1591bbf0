import { useQuery } from '@tanstack/react-query';
import type { SourceAddress, SourceAddressesResult } from '../../../../electron/contract/diagnosis-schema.js';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { formatTime } from '../../ui/format-time.js';
import { CopyButton } from './copy-button.js';

type Destination = SourceAddressesResult['destinations'][number];

/**
 * "Our addresses" (`diagnosis.sourceAddresses`): the source IPs this machine really used to reach each
 * office mail server over the last 7 days, with copy-ready steps to allowlist them, so the admin exempts
 * the right address from rate limits and spam checks instead of guessing. Read-only: nothing to save.
 * Not refreshed on every attempt.made: the engine reads 7 days of the attempt log for it, so the admin
 * refreshes it by hand after testing a change.
 */
export function OurAddressesSection() {
  const addresses = useQuery({ queryKey: ['diagnosis.sourceAddresses', {}], queryFn: () => callApi('diagnosis.sourceAddresses', {}) });

  let body;
  if (addresses.isPending) body = <p role="status">Loading the addresses…</p>;
  else if (addresses.isError) body = <ErrorNotice error={addresses.error} action="Loading our addresses" />;
  else if (addresses.data.destinations.length === 0)
    body = (
      <p className="addresses-empty" data-testid="addresses-empty">
        No delivery attempts in the last 7 days: the addresses appear after the first attempt.
      </p>
    );
  else body = addresses.data.destinations.map((destination) => <DestinationAddresses key={destination.destination} destination={destination} />);

  return (
    <section className="settings-section our-addresses" aria-labelledby="settings-addresses-title">
      <h2 id="settings-addresses-title">Our addresses</h2>
      <p className="hint">
        The addresses this computer sends from, as each mail server saw them over the last 7 days. If a server limits, greylists or refuses MX Spool, allow the address there.
      </p>
      {body}
      <div className="form-actions">
        <button type="button" onClick={() => void addresses.refetch()} aria-disabled={addresses.isFetching}>
          Refresh addresses
        </button>
      </div>
    </section>
  );
}

function DestinationAddresses(props: { destination: Destination }) {
  const { destination } = props;
  const headingId = `addresses-${destination.destination.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <section className="address-destination" aria-labelledby={headingId} data-destination={destination.destination}>
      <h3 id={headingId}>
        {destination.destination}
        {destination.domains.length > 0 ? <span className="address-domains"> ({destination.domains.join(', ')})</span> : null}
      </h3>
      {destination.addresses.length === 0 ? (
        <p className="hint">No connection was made to this server (refused, timed out or name not found), so there is no address to show yet.</p>
      ) : (
        <>
          <table className="address-table">
            <caption>Source addresses used for {destination.destination}</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {destination.addresses.map((address) => (
                <tr key={address.address} data-address={address.address}>
                  <td className="address-ip">{address.address}</td>
                  <td className="number">{address.count}</td>
                  <td title={address.lastSeen}>{formatTime(address.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {destination.addresses.map((address) => (
            <AllowlistInstructions key={address.address} destination={destination.destination} address={address} />
          ))}
        </>
      )}
    </section>
  );
}

function AllowlistInstructions(props: { destination: string; address: SourceAddress }) {
  const { address } = props;
  if (address.instructions.length === 0) return null;
  return (
    <div className="allowlist" data-testid="allowlist" data-address={address.address}>
      <h4>
        Allow {address.address} on {props.destination}
      </h4>
      {address.instructions.map((instruction) => (
        <div className="allowlist-step" key={instruction.server} data-server={instruction.server}>
          <div className="allowlist-step-header">
            <h5>{instruction.title}</h5>
            <CopyButton text={instruction.text} label={`Copy the ${instruction.title} steps for ${address.address}`} />
          </div>
          {/* Focusable so the keyboard can scroll a long command. */}
          <pre className="allowlist-text" tabIndex={0}>
            {instruction.text}
          </pre>
        </div>
      ))}
    </div>
  );
}
