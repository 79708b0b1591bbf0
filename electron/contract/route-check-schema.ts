import { z } from 'zod';
import { attemptStageSchema } from './report-schema.js';
import { destinationSchema, domainNameSchema } from './settings-schema.js';

/** An envelope address for the dry run: no CR, LF, angle brackets or spaces (they would break the command line). */
const envelopeAddress = z
  .string()
  .trim()
  .max(320, 'An address has at most 320 characters')
  .refine((value) => !/[\s<>]/.test(value), { message: 'No spaces or angle brackets in an address' });

export const testRouteInputSchema = z.strictObject({
  destination: destinationSchema.describe('The Mail Server Settings entry to test, saved or not.'),
  recipient: envelopeAddress
    .min(3, 'Enter the address to test, e.g. alice@example.com')
    .refine((value) => /^[^@]+@[^@]+$/.test(value), { message: 'Enter one full address, e.g. alice@example.com' })
    .describe('Address sent in RCPT TO: the destination says whether it would accept mail for it.'),
  sender: envelopeAddress
    .optional()
    .describe('Address sent in MAIL FROM; omitted or "" = the null sender <>, as address verification by Postfix and Exim does.'),
});
export type TestRouteInput = z.infer<typeof testRouteInputSchema>;

export const routeStepNameSchema = z.enum(['resolve', 'connect', 'banner', 'ehlo', 'starttls', 'auth', 'mail', 'rcpt', 'rset', 'quit']);
export type RouteStepName = z.infer<typeof routeStepNameSchema>;

export const routeStepSchema = z.object({
  step: routeStepNameSchema,
  ok: z.boolean(),
  durationMs: z.number().describe('From the command (or the start of the step) to the reply, in ms.'),
  detail: z.string().describe('What happened, in one line: the reply, the addresses, the extensions or the certificate.'),
});
export type RouteStep = z.infer<typeof routeStepSchema>;

export const transcriptEntrySchema = z.object({
  direction: z.enum(['client', 'server', 'info']),
  text: z.string().describe('A command or reply exactly as sent (lines of a multi-line reply joined by LF); AUTH credentials hidden.'),
  atMs: z.number().describe('Since the start of the test, in ms.'),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

export const certificateSchema = z.object({
  subject: z.string().describe('e.g. "CN=mail.example.com".'),
  issuer: z.string(),
  subjectAltNames: z.array(z.string()),
  validFrom: z.string().describe('ISO 8601, UTC.'),
  validTo: z.string().describe('ISO 8601, UTC: the certificate expires then.'),
  fingerprint256: z.string().describe('SHA-256 fingerprint, colon-separated hex.'),
  serialNumber: z.string(),
  selfSigned: z.boolean().describe('Subject and issuer are the same.'),
});

export const routeTlsSchema = z.object({
  protocol: z.string().nullable().describe('e.g. TLSv1.3.'),
  cipher: z.string().nullable(),
  certificate: certificateSchema.nullable(),
  verified: z.boolean().describe('The certificate chains to a trusted root and names the configured host.'),
  verifyError: z.string().nullable().describe('Why it does not verify, e.g. "self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)".'),
});

export const routeFailureSchema = z.object({
  stage: attemptStageSchema,
  code: z.number().nullable().describe('SMTP reply code.'),
  enhancedCode: z.string().nullable().describe('RFC 3463 enhanced status code, e.g. 5.1.1.'),
  response: z.string().nullable().describe('The reply exactly as sent, or the network error.'),
  errorCode: z.string().nullable().describe('nodemailer error code as delivery records it (ECONNECTION, ETLS, EENVELOPE, EDNS...).'),
  originalCode: z.string().nullable().describe('The system code beneath it, e.g. ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT.'),
  message: z.string(),
});
export type RouteFailure = z.infer<typeof routeFailureSchema>;

export const testRouteResultSchema = z.object({
  ok: z.boolean().describe('The destination accepted MAIL FROM and RCPT TO: mail for this recipient would be accepted.'),
  stage: attemptStageSchema.describe('Furthest stage reached, as in the attempt log; "done" when RCPT TO was accepted. Never "data": no message is sent.'),
  startedAt: z.string().describe('ISO 8601, UTC.'),
  destination: z.string().describe('host:port as tested.'),
  sender: z.string().describe('MAIL FROM as sent, "" for <>.'),
  steps: z.array(routeStepSchema),
  transcript: z.array(transcriptEntrySchema),
  extensions: z.array(z.string()).describe('ESMTP extensions offered in the last EHLO reply (after STARTTLS when used).'),
  tls: routeTlsSchema.nullable().describe('null when the session stayed in plaintext.'),
  localAddress: z.string().nullable().describe('Our source IP: the address the destination\'s firewall sees.'),
  remoteAddress: z.string().nullable().describe('The IP connected to.'),
  failure: routeFailureSchema.nullable(),
});
export type TestRouteResult = z.infer<typeof testRouteResultSchema>;

export const checkDnsInputSchema = z.strictObject({
  name: domainNameSchema.describe('The domain to check, configured or not.'),
});

export const dnsWarningCodeSchema = z.enum([
  'NXDOMAIN',
  'DNS_FAILURE',
  'DNS_UNREACHABLE',
  'NO_MX',
  'NULL_MX',
  'SPOOL_NOT_IN_MX',
  'SPOOL_ONLY_MX',
  'SPOOL_OUTRANKS_PRIMARY',
  'SPOOL_TIES_PRIMARY',
  'MX_HOST_NO_ADDRESS',
]);
export type DnsWarningCode = z.infer<typeof dnsWarningCodeSchema>;

export const mxHostSchema = z.object({
  preference: z.number().int().describe('Lower is tried first (RFC 5321 5.1).'),
  exchange: z.string().describe('Host name as published, lowercase, no trailing dot.'),
  addresses: z.array(z.string()).describe('Its A and AAAA addresses.'),
  addressError: z.string().nullable().describe('Why no address was found (DNS code), null when found.'),
  isThisSpool: z.boolean(),
  matchedBy: z.enum(['name', 'address']).nullable().describe('How it was recognised as this spool.'),
});

export const checkDnsResultSchema = z.object({
  domain: z.string().describe('As looked up (lowercase, internationalised names in their xn-- form).'),
  mx: z.array(mxHostSchema).describe('Sorted by preference, then name.'),
  fallbackAddresses: z.array(z.string()).describe('With no MX record: the domain\'s own A/AAAA addresses, where senders deliver instead.'),
  spool: z.object({
    hostname: z.string().describe('listener.hostname, or this computer\'s name.'),
    addresses: z.array(z.string()).describe('This machine\'s interface addresses.'),
    inMx: z.boolean(),
    preference: z.number().int().nullable().describe('Its best (lowest) MX preference, null when not listed.'),
    primaryPreference: z.number().int().nullable().describe('The lowest preference among the other MX hosts.'),
  }),
  warnings: z.array(z.object({ code: dnsWarningCodeSchema, message: z.string() })),
  ok: z.boolean().describe('No warnings: senders find the office server first and this spool as its backup.'),
});
export type CheckDnsResult = z.infer<typeof checkDnsResultSchema>;
