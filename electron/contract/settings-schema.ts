import { z } from 'zod';

/**
 * The settings schema is the single source of truth for every option: its type, its default and its
 * description live here and nowhere else (docs/settings.md is generated from these `.describe()` texts).
 */

const MINUTE = 60_000; // ms

export const tlsModeSchema = z
  .enum(['opportunistic', 'required', 'none'])
  .describe('opportunistic: use STARTTLS when offered; required: refuse to deliver without it; none: never');

/** A host name (LDH labels, IDN allowed) or an IPv4/IPv6 literal. */
export const hostSchema = z
  .string()
  .trim()
  .min(1, 'Enter a host name or IP address')
  .max(253, 'A host name has at most 253 characters')
  .refine((value) => isHostName(value) || z.ipv4().safeParse(value).success || z.ipv6().safeParse(value).success, {
    message: 'Not a valid host name or IP address',
  });

/**
 * A name the spool writes into SMTP lines (its banner and EHLO): spaces and control characters would split
 * or forge a protocol line (RFC 5321 2.3.8: lines end only with CRLF), so they are refused.
 */
export const smtpNameSchema = z
  .string()
  .trim()
  .max(253, 'A host name has at most 253 characters')
  .regex(/^[^\s\p{Cc}]*$/u, 'No spaces or control characters: use a host name like mx2.example.com');

export const portSchema = z.number().int().min(1, 'Port is 1 to 65535').max(65535, 'Port is 1 to 65535');

export const smtpAuthSchema = z
  .strictObject({
    user: z.string().min(1, 'Enter the user name'),
    pass: z
      .string()
      .describe(
        'Write-only: the API answers "" wherever a password is stored, and "" sent back keeps the stored one (same server and user). Stored in the settings file (mode 0600), encrypted with the OS keychain in the desktop app (Electron safeStorage); plain text in the headless service.',
      ),
  })
  .describe('Optional SMTP AUTH credentials for the destination.');

export const destinationSchema = z
  .strictObject({
    host: hostSchema.describe('Host name or IP address of the office mail server.'),
    port: portSchema.default(25).describe('SMTP port of the office mail server.'),
    tls: tlsModeSchema.default('opportunistic'),
    verifyCertificate: z
      .boolean()
      .default(false)
      .describe('Check the server certificate. Off by default: small-office servers often use self-signed ones.'),
    auth: smtpAuthSchema.optional(),
    maxConnections: z.number().int().min(1).max(100).optional().describe('Parallel connections to this server; absent = delivery.maxConnectionsPerDestination.'),
    maxMessagesPerConnection: z.number().int().min(1).max(10_000).optional().describe('Messages per connection to this server; absent = delivery.maxMessagesPerConnection.'),
    maxMessagesPerMinute: z.number().int().min(0).max(100_000).optional().describe('Messages per minute to this server, evenly spaced; absent or 0 = no limit.'),
  })
  .describe('One "Mail Server Settings" entry: where mail for a domain is forwarded.');

/** Retry schedule. Defaults: +5 min, then every 60-120 min; about 24 attempts in the first day. */
export const retryPolicySchema = z.strictObject({
  firstRetryMinutes: z.number().min(0.1).max(1440).default(5).describe('Delay before the first retry, in minutes.'),
  minIntervalMinutes: z.number().min(0.1).max(1440).default(60).describe('Shortest delay between later retries, in minutes.'),
  maxIntervalMinutes: z.number().min(0.1).max(1440).default(120).describe('Longest delay between later retries, in minutes.'),
  probeIntervalMinutes: z
    .number()
    .min(0)
    .max(60)
    .refine((value) => value === 0 || value >= 0.5, { message: '0 (off) or 0.5 to 60 minutes' })
    .default(2)
    .describe('While a domain\'s server cannot be reached, check it this often with one light connection (connect, EHLO, QUIT) and deliver as soon as it answers, in minutes (0.5 to 60); 0 = off (wait for the regular retry).'),
});

export const retryOverrideSchema = z.strictObject({
  firstRetryMinutes: z.number().min(0.1).max(1440).optional(),
  minIntervalMinutes: z.number().min(0.1).max(1440).optional(),
  maxIntervalMinutes: z.number().min(0.1).max(1440).optional(),
});

export const lifetimeDaysSchema = z.number().min(1, 'At least 1 day').max(60, 'At most 60 days');

export const stuckMinutesSchema = z.number().min(1, 'At least 1 minute').max(7 * 24 * 60, 'At most 7 days (10080 minutes)');

export const domainNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a domain name')
  .max(253)
  .refine((value) => isHostName(value) && value.includes('.'), { message: 'Not a valid domain name (e.g. example.com)' });

export const domainSchema = z
  .strictObject({
    name: domainNameSchema.describe('The office domain this spool is a backup MX for.'),
    enabled: z.boolean().default(true).describe('Disabled domains are refused like any other domain.'),
    held: z
      .boolean()
      .optional()
      .describe('Keep all mail for this domain, new mail included, until released (queue.hold / queue.release with {domain}). Omitted in domains.save = unchanged.'),
    destinations: z
      .array(destinationSchema)
      .min(1, 'Add at least one mail server')
      .max(10)
      .describe('Ordered: the next one is tried when one cannot be reached.'),
    acceptAllRecipients: z
      .boolean()
      .default(true)
      .describe('Accept any recipient of the domain (wildcard). When false only `recipients` are accepted.'),
    recipients: z
      .array(z.string().trim().min(1).max(320))
      .default([])
      .describe('Valid recipients: local parts ("alice") or full addresses. Used when acceptAllRecipients is false.'),
    retry: retryOverrideSchema.optional().describe('Per-domain override of the retry policy.'),
    lifetimeDays: lifetimeDaysSchema.optional().describe('Per-domain override of the queue lifetime.'),
    alertStuckMinutes: stuckMinutesSchema.optional().describe('Per-domain override of alerts.stuckMinutes: alert when this domain\'s mail has waited this long, in minutes.'),
  })
  .superRefine((domain, ctx) => {
    if (!domain.acceptAllRecipients && domain.recipients.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['recipients'], message: 'List at least one recipient or accept all recipients' });
    }
  });

export const listenerSchema = z.strictObject({
  host: z.string().default('0.0.0.0').describe('Address the SMTP listener binds to.'),
  port: portSchema.default(25).describe('SMTP port. Port 25 needs administrator rights on most systems.'),
  hostname: smtpNameSchema.default('').describe('Name in the banner and Received: header; empty = this computer\'s name.'),
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 ** 3)
    .default(35 * 1024 * 1024)
    .describe('SIZE limit advertised and enforced, in bytes (35 MiB).'),
  maxRecipients: z.number().int().min(1).max(10_000).default(100).describe('Recipients per message; more get 452 4.5.3.'),
  maxConnections: z.number().int().min(1).max(10_000).default(200).describe('Simultaneous SMTP sessions in all.'),
  maxConnectionsPerIp: z.number().int().min(1).max(1000).default(20).describe('Simultaneous SMTP sessions per client IP.'),
  maxRefusalsPerSession: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(20)
    .describe('Close a session (421 4.7.0) after this many refused recipients (relay attempts, unknown users), as Postfix\'s smtpd_hard_error_limit (20) does: each refusal is logged, so an endless stream of them would fill the disk.'),
  idleTimeoutSeconds: z
    .number()
    .min(1)
    .max(3600)
    .default(300)
    .describe('Close a session silent this long, in seconds (RFC 5321 4.5.3.2 suggests 5 minutes).'),
  maxSessionSeconds: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(1800)
    .describe('End any SMTP session after this long (421 4.4.2), in seconds: slow clients cannot hold a slot forever.'),
  greetPauseMs: z
    .number()
    .int()
    .min(0)
    .max(30_000)
    .default(0)
    .describe('Wait this long before the 220 greeting and refuse clients that talk first (421), in ms; 0 = greet at once.'),
  tlsCertFile: z.string().default('').describe('PEM certificate for STARTTLS; empty = a self-signed one made at first start.'),
  tlsKeyFile: z.string().default('').describe('PEM private key for tlsCertFile.'),
});

export const deliverySchema = z.strictObject({
  maxConnectionsPerDestination: z.number().int().min(1).max(100).default(10).describe('Parallel connections to one mail server.'),
  maxMessagesPerConnection: z.number().int().min(1).max(10_000).default(100).describe('Messages sent over one connection before it is closed.'),
  connectTimeoutSeconds: z.number().min(1).max(300).default(30).describe('Give up connecting after this many seconds.'),
  socketTimeoutSeconds: z.number().min(1).max(1800).default(300).describe('Give up on a silent server after this many seconds.'),
  heloName: smtpNameSchema.default('').describe('Name sent in EHLO; empty = the listener host name.'),
});

export const queueSchema = z.strictObject({
  lifetimeDays: lifetimeDaysSchema.default(7).describe('Days a message may stay queued before it is returned to its sender.'),
  minFreeDiskMb: z.number().min(0).default(500).describe('Refuse new mail (452 4.3.1) when free disk space is below this, in MB.'),
  delayWarningHours: z.number().min(0).max(24 * 60).default(0).describe('Warn the sender after this many hours; 0 = never.'),
});

export const bounceRelaySchema = z.strictObject({
  enabled: z.boolean().default(false).describe('Send bounces through this relay instead of the sender domain\'s MX.'),
  host: z.string().default('').describe('Relay host name or IP (e.g. your provider\'s smarthost).'),
  port: portSchema.default(25).describe('Relay port (25, or 587 for submission).'),
  tls: tlsModeSchema.default('opportunistic'),
  verifyCertificate: z.boolean().default(true).describe('Check the relay\'s certificate.'),
  auth: smtpAuthSchema.optional(),
});

export const alertsSchema = z.strictObject({
  stuckMinutes: stuckMinutesSchema
    .default(60)
    .describe('Alert when a domain\'s oldest waiting message has waited this long and its last attempt failed, in minutes.'),
  lifetimeWarningHours: z
    .number()
    .min(0)
    .max(60 * 24)
    .default(24)
    .describe('Alert this many hours before messages reach their lifetime and are returned to their senders; 0 = never.'),
  email: z
    .union([z.literal(''), z.email({ message: 'Not a valid e-mail address' })])
    .default('')
    .describe('Also e-mail each alert to this address, sent like bounces (through bounceRelay when enabled, else to the address\'s MX); empty = off.'),
});

/** "192.168.1.1", "192.168.1.1:53", "::1" or "[::1]:53": the forms node's Resolver.setServers takes. */
function isDnsServer(value: string): boolean {
  const ip = (text: string) => z.ipv4().safeParse(text).success || z.ipv6().safeParse(text).success;
  const bracketed = /^\[([^\]]+)\]:(\d{1,5})$/.exec(value);
  if (bracketed) return z.ipv6().safeParse(bracketed[1]).success && Number(bracketed[2]) >= 1 && Number(bracketed[2]) <= 65535;
  const withPort = /^([\d.]+):(\d{1,5})$/.exec(value);
  if (withPort) return z.ipv4().safeParse(withPort[1]).success && Number(withPort[2]) >= 1 && Number(withPort[2]) <= 65535;
  return ip(value);
}

export const dnsSchema = z.strictObject({
  servers: z
    .array(z.string().trim().refine(isDnsServer, { message: 'Use an IP address, optionally with a port: 192.168.1.1, 192.168.1.1:53 or [::1]:53' }))
    .max(8)
    .default([])
    .describe(
      'DNS servers for the DNS check and for routing bounces, e.g. "1.1.1.1"; empty = this computer\'s. An office DNS often has a private view of its own domain: a public resolver shows what senders on the internet see.',
    ),
});

/** How long the day logs (attempts, inbound, queue samples, alerts) and their indexes are kept. */
export const logsSchema = z.strictObject({
  retentionDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(90)
    .describe('Delete day log files (delivery attempts, inbound sessions, queue samples, alerts) and their report indexes older than this many days, checked at start and once a day; reports cannot look back further.'),
});

/** The desktop app's first-run setup (renderer/src/features/setup): shown on a new install until finished or skipped. */
export const setupSchema = z.strictObject({
  done: z.boolean().default(false).describe('The first-run setup was finished or skipped; it can be reopened from About. While false and no domain exists, the app opens on the setup.'),
});

export const settingsSchema = z.strictObject({
  version: z.literal(1).default(1),
  listener: listenerSchema.prefault({}),
  delivery: deliverySchema.prefault({}),
  retry: retryPolicySchema.prefault({}),
  queue: queueSchema.prefault({}),
  bounceRelay: bounceRelaySchema.prefault({}),
  alerts: alertsSchema.prefault({}),
  dns: dnsSchema.prefault({}),
  logs: logsSchema.prefault({}),
  setup: setupSchema.prefault({}),
  domains: z.array(domainSchema).default([]),
});

export type TlsMode = z.infer<typeof tlsModeSchema>;
export type Destination = z.infer<typeof destinationSchema>;
export type Domain = z.infer<typeof domainSchema>;
export type DomainInput = z.input<typeof domainSchema>;
export type RetryPolicy = z.infer<typeof retryPolicySchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/**
 * A section where every field is optional and has NO default: a patch must change only what it names.
 * (zod's `.partial()` keeps `.default()`, which would silently reset every field the patch left out.)
 */
function patchOf<Shape extends z.ZodRawShape>(section: z.ZodObject<Shape>) {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(section.shape)) {
    const def = (field as unknown as { def: { type: string; innerType?: z.ZodType } }).def;
    const bare = (def.type === 'default' || def.type === 'prefault') && def.innerType ? def.innerType : (field as z.ZodType);
    fields[key] = bare.optional();
  }
  return z.strictObject(fields) as unknown as z.ZodObject<{ [K in keyof Shape]: z.ZodOptional<z.ZodType<z.output<Shape[K]>, z.input<Shape[K]>>> }>;
}

/** Patch accepted by `settings.update`: any subset of any section; domains are managed by `domains.*`. */
export const settingsPatchSchema = z.strictObject({
  listener: patchOf(listenerSchema).optional(),
  delivery: patchOf(deliverySchema).optional(),
  retry: patchOf(retryPolicySchema).optional(),
  queue: patchOf(queueSchema).optional(),
  bounceRelay: patchOf(bounceRelaySchema)
    .extend({ auth: smtpAuthSchema.nullable().optional().describe('null removes the stored relay credentials; omitted = unchanged.') })
    .optional(),
  alerts: patchOf(alertsSchema).optional(),
  dns: patchOf(dnsSchema).optional(),
  logs: patchOf(logsSchema).optional(),
  setup: patchOf(setupSchema).optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** LDH host name check (RFC 1123), with non-ASCII labels allowed for internationalised names. */
export function isHostName(value: string): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u.test(label));
}

export const MS_PER_MINUTE = MINUTE;
