import { useMutation } from '@tanstack/react-query';
import type { CheckDnsResult, DnsWarningCode } from '../../../../electron/contract/route-check-schema.js';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';

/** A short lead for each warning; the engine's message beside it says what to change. */
const warningTitle: Record<DnsWarningCode, string> = {
  NXDOMAIN: 'The domain does not exist in DNS',
  DNS_FAILURE: 'The DNS lookup failed',
  DNS_UNREACHABLE: 'No DNS server answered',
  NO_MX: 'No MX record',
  NULL_MX: 'The domain says it receives no mail',
  SPOOL_NOT_IN_MX: 'This spool is not a backup MX of the domain',
  SPOOL_ONLY_MX: 'This spool is the only MX',
  SPOOL_OUTRANKS_PRIMARY: 'This spool comes before the office server',
  SPOOL_TIES_PRIMARY: 'This spool has the same preference as the office server',
  MX_HOST_NO_ADDRESS: 'An MX host has no address',
};

/**
 * "Check DNS": the domain's MX records and this spool's place among them (domains.checkDns). `onChecked`
 * hears of each answer (the first-run setup turns its "Skip this step" into "Next").
 */
export function DnsCheck(props: { id: string; name: string; onChecked?: (result: CheckDnsResult) => void }) {
  const check = useMutation({ mutationFn: (name: string) => callApi('domains.checkDns', { name }), onSuccess: (result) => props.onChecked?.(result) });
  const name = props.name.trim();
  return (
    <div className="dns-check">
      <button type="button" aria-describedby={`${props.id}-hint`} aria-disabled={check.isPending || name === ''} onClick={() => name !== '' && !check.isPending && check.mutate(name)}>
        Check DNS
      </button>{' '}
      <small id={`${props.id}-hint`} className="hint">
        {name === '' ? 'Enter the domain name to check its MX records.' : `Reads the MX records of ${name} and this spool's place among them.`}
      </small>
      <div role="status">{check.isPending ? <p>Looking up the MX records of {check.variables}…</p> : null}</div>
      {check.isError ? <ErrorNotice error={check.error} action="Checking DNS" /> : null}
      {check.isSuccess ? <DnsCheckResult result={check.data} /> : null}
    </div>
  );
}

function DnsCheckResult({ result }: { result: CheckDnsResult }) {
  return (
    <div className="dns-result" data-testid="dns-result">
      {result.ok ? (
        <p className="notice-ok">DNS is set up right: senders try the office server first and this spool as its backup.</p>
      ) : (
        <ul className="dns-warnings error-notice" aria-label={`DNS problems for ${result.domain}`}>
          {result.warnings.map((warning, index) => (
            <li key={index} data-code={warning.code}>
              <strong>{warningTitle[warning.code]}.</strong> {warning.message}
            </li>
          ))}
        </ul>
      )}
      {result.mx.length > 0 ? (
        <table className="dns-mx">
          <caption>MX records of {result.domain}, tried in this order</caption>
          <thead>
            <tr>
              <th scope="col">Preference</th>
              <th scope="col">Mail server</th>
              <th scope="col">Addresses</th>
              <th scope="col">This spool</th>
            </tr>
          </thead>
          <tbody>
            {result.mx.map((host) => (
              <tr key={`${host.preference} ${host.exchange}`} data-exchange={host.exchange}>
                <td>{host.preference}</td>
                <td>{host.exchange}</td>
                <td>{host.addresses.length > 0 ? host.addresses.join(', ') : `none (${host.addressError ?? 'no A or AAAA record'})`}</td>
                <td>{host.isThisSpool ? `This spool (matched by ${host.matchedBy === 'address' ? 'address' : 'name'})` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : result.fallbackAddresses.length > 0 ? (
        <p>No MX record: senders deliver to the domain&apos;s own address{result.fallbackAddresses.length === 1 ? '' : 'es'}, {result.fallbackAddresses.join(', ')}.</p>
      ) : null}
      <p className="hint">
        This spool: {result.spool.hostname}
        {result.spool.addresses.length > 0 ? ` (${result.spool.addresses.join(', ')})` : ''}
        {result.spool.preference !== null ? `, preference ${result.spool.preference}` : ', not listed'}
        {result.spool.primaryPreference !== null ? `; the office server's: ${result.spool.primaryPreference}` : ''}.
      </p>
    </div>
  );
}
