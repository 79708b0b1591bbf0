import type { AllowlistServer } from '../../contract/diagnosis-schema.js';

/**
 * Copy-ready steps to trust one of our source addresses on the office server, per common server. Kept as
 * text templates so they are reviewed like text: `{ip}` the address, `{cidr}` it as a one-host network
 * (/32 or /128), `{postfixNet}` it as Postfix writes networks in mynetworks ([::1]/128 for IPv6), `{port}`.
 * Checked against the vendors' references (Microsoft Learn: New-ReceiveConnector, Set-HostedConnectionFilterPolicy;
 * Postfix postscreen(8), cidr_table(5); hMailServer: IP ranges, Grey listing), 2026-11.
 */
export const allowlistTemplates: readonly { server: AllowlistServer; title: string; text: string }[] = [
  {
    server: 'firewall',
    title: 'Firewall',
    text: 'Allow incoming TCP connections from {ip} to port {port} of the mail server, and exclude {ip} from connection-rate, flood and SMTP inspection rules.',
  },
  {
    server: 'exchange',
    title: 'Exchange receive connector',
    text:
      'Create a receive connector just for this spool, without rate limits (Exchange Management Shell):\n' +
      'New-ReceiveConnector -Name "MX Spool {ip}" -TransportRole FrontendTransport -Usage Custom -Bindings 0.0.0.0:{port} -RemoteIPRanges {ip} -PermissionGroups AnonymousUsers -MessageRateLimit Unlimited -MaxInboundConnectionPerSource Unlimited\n' +
      'Get-ReceiveConnector "MX Spool {ip}" | Add-ADPermission -User "NT AUTHORITY\\ANONYMOUS LOGON" -ExtendedRights ms-Exch-SMTP-Accept-Any-Sender',
  },
  {
    server: 'microsoft-365',
    title: 'Microsoft 365 (Exchange Online)',
    text:
      'In the Microsoft Defender portal (Email & collaboration › Policies & rules › Threat policies › Anti-spam policies › Connection filter policy (Default)), add {ip} to "Always allow messages from the following IP addresses" (IPv4 only), or in Exchange Online PowerShell:\n' +
      'Set-HostedConnectionFilterPolicy -Identity Default -IPAllowList @{Add="{ip}"}\n' +
      'Because this spool is a backup MX, also add an inbound connector (Exchange admin center › Mail flow › Connectors: from "Partner organization" to "Office 365", identified by the sender IP {ip}) and turn on Enhanced Filtering for Connectors for it, so the original senders are checked rather than {ip}.',
  },
  {
    server: 'postfix',
    title: 'Postfix',
    text:
      'In /etc/postfix/main.cf add {postfixNet} to mynetworks (trusted: exempt from smtpd_client_*_rate_limit and sender checks), e.g.\n' +
      'mynetworks = 127.0.0.0/8 [::1]/128 {postfixNet}\n' +
      'With postscreen, add the line "{cidr} permit" to /etc/postfix/postscreen_access.cidr and set postscreen_access_list = permit_mynetworks, cidr:/etc/postfix/postscreen_access.cidr\n' +
      'Then run: postfix reload',
  },
  {
    server: 'hmailserver',
    title: 'hMailServer',
    text: 'In hMailServer Administrator › Settings › Advanced › IP Ranges, add a range named "MX Spool" from {ip} to {ip} with a priority above "Internet" (e.g. 20), allow SMTP, and clear "Anti-spam" and "Require SMTP authentication" for it; also add {ip} under Settings › Anti-spam › Greylisting › White listing.',
  },
];

/** The templates filled in for one address and the destination's port. */
export function allowlistInstructions(ip: string, port: number): { server: AllowlistServer; title: string; text: string }[] {
  const v6 = ip.includes(':');
  const cidr = `${ip}/${v6 ? 128 : 32}`;
  const postfixNet = v6 ? `[${ip}]/128` : cidr;
  return allowlistTemplates.map((template) => ({
    server: template.server,
    title: template.title,
    text: template.text.replaceAll('{ip}', ip).replaceAll('{cidr}', cidr).replaceAll('{postfixNet}', postfixNet).replaceAll('{port}', String(port)),
  }));
}
