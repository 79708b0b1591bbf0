import { domainSchema, type Domain, type DomainInput } from '../../../../electron/contract/settings-schema.js';
import type { FieldErrors } from '../../ui/field-errors.js';
import { fieldErrorsOf } from '../../ui/field-errors.js';
import { numberReasons, numberText, optionalNumber } from '../../ui/form-numbers.js';
import { smtpServerDraft, smtpServerInput, type SmtpServerDraft } from '../../ui/smtp-server-draft.js';

/** One mail server as the form holds it. */
export interface DestinationDraft extends SmtpServerDraft {
  /** Stable React key: destinations can be reordered. */
  key: number;
}

export interface DomainDraft {
  name: string;
  enabled: boolean;
  destinations: DestinationDraft[];
  acceptAllRecipients: boolean;
  /** One recipient per line. */
  recipientsText: string;
  firstRetryMinutes: string;
  minIntervalMinutes: string;
  maxIntervalMinutes: string;
  lifetimeDays: string;
  alertStuckMinutes: string;
}

export const MAX_DESTINATIONS = 10; // domainSchema's destinations .max(10)

let nextKey = 1;

export function newDestinationDraft(): DestinationDraft {
  return { key: nextKey++, host: '', port: '25', tls: 'opportunistic', verifyCertificate: false, authUser: '', authPass: '' };
}

export function draftFromDomain(domain: Domain | undefined): DomainDraft {
  if (!domain) {
    return {
      name: '',
      enabled: true,
      destinations: [newDestinationDraft()],
      acceptAllRecipients: true,
      recipientsText: '',
      firstRetryMinutes: '',
      minIntervalMinutes: '',
      maxIntervalMinutes: '',
      lifetimeDays: '',
      alertStuckMinutes: '',
    };
  }
  return {
    name: domain.name,
    enabled: domain.enabled,
    destinations: domain.destinations.map((destination) => ({ key: nextKey++, ...smtpServerDraft(destination) })),
    acceptAllRecipients: domain.acceptAllRecipients,
    recipientsText: domain.recipients.join('\n'),
    firstRetryMinutes: numberText(domain.retry?.firstRetryMinutes),
    minIntervalMinutes: numberText(domain.retry?.minIntervalMinutes),
    maxIntervalMinutes: numberText(domain.retry?.maxIntervalMinutes),
    lifetimeDays: numberText(domain.lifetimeDays),
    alertStuckMinutes: numberText(domain.alertStuckMinutes),
  };
}

/**
 * The `domains.save` input for the draft. `held` is left out on purpose: omitted means "unchanged", and a
 * hold is set from the Queue screen, never by this form. Empty override fields are left out = server default.
 */
export function domainInputFromDraft(draft: DomainDraft): DomainInput {
  const retry = {
    firstRetryMinutes: optionalNumber(draft.firstRetryMinutes),
    minIntervalMinutes: optionalNumber(draft.minIntervalMinutes),
    maxIntervalMinutes: optionalNumber(draft.maxIntervalMinutes),
  };
  const retrySet = Object.fromEntries(Object.entries(retry).filter(([, value]) => value !== undefined));
  const lifetimeDays = optionalNumber(draft.lifetimeDays);
  const alertStuckMinutes = optionalNumber(draft.alertStuckMinutes);
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    destinations: draft.destinations.map((destination) => smtpServerInput(destination)),
    acceptAllRecipients: draft.acceptAllRecipients,
    recipients: recipientLines(draft.recipientsText),
    ...(Object.keys(retrySet).length > 0 ? { retry: retrySet } : {}),
    ...(lifetimeDays !== undefined ? { lifetimeDays } : {}),
    ...(alertStuckMinutes !== undefined ? { alertStuckMinutes } : {}),
  };
}

export function recipientLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The same checks the engine runs (domainSchema), so the reasons beside the fields are the engine's. */
export function validateDomainDraft(draft: DomainDraft): { input: DomainInput; errors: FieldErrors } {
  const input = domainInputFromDraft(draft);
  const parsed = domainSchema.safeParse(input, { error: numberReasons });
  if (parsed.success) return { input, errors: {} };
  const errors = fieldErrorsOf(parsed.error);
  // zod runs the schema's recipients rule only once every field is valid; asking it on its own here shows
  // that reason together with the others instead of after the admin has fixed them.
  if (!errors.recipients) {
    const probe = domainSchema.safeParse({ ...input, name: 'example.com', destinations: [{ host: 'example.com' }], retry: undefined, lifetimeDays: undefined, alertStuckMinutes: undefined });
    if (!probe.success) Object.assign(errors, pick(fieldErrorsOf(probe.error), 'recipients'));
  }
  return { input, errors };
}

function pick(errors: FieldErrors, path: string): FieldErrors {
  return errors[path] ? { [path]: errors[path] } : {};
}

/**
 * The reason to show at a field: its own, or the first of its items ("recipients.2" → at the recipients
 * box, naming the line), so no reason the engine gives is lost for want of a field of its own.
 */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  for (const [key, message] of Object.entries(errors)) {
    const item = key.startsWith(`${path}.`) ? key.slice(path.length + 1) : null;
    if (item !== null && /^\d+$/.test(item)) return `Entry ${Number(item) + 1}: ${message}`;
  }
  return undefined;
}

/** Paths the form shows beside a field; any other reason is listed at the top of the form. */
export function isShownAtField(path: string): boolean {
  return /^(name|enabled|recipients(\.\d+)?|retry\.\w+|lifetimeDays|alertStuckMinutes|destinations\.\d+\.(host|port|tls|verifyCertificate|auth\.user|auth\.pass))$/.test(path);
}
