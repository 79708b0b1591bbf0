import { z } from 'zod';
import { destinationSchema, domainSchema, settingsSchema } from '../electron/contract/settings-schema.js';

export const SETTINGS_REFERENCE_START = '<!-- settings:start -->';
export const SETTINGS_REFERENCE_END = '<!-- settings:end -->';

/**
 * Renders the settings reference from the schema itself: every field with its default and its
 * `.describe()` text, so docs/settings.md can never disagree with what the engine does.
 */
export function renderSettingsReference(): string {
  const defaults = settingsSchema.parse({}) as Record<string, unknown>;
  const out: string[] = [];
  // Every section of the schema, in its order (a hand-kept list once left `logs` and `setup` out).
  const sections = Object.keys(settingsSchema.shape).filter((key): key is Exclude<keyof typeof settingsSchema.shape, 'version' | 'domains'> => key !== 'version' && key !== 'domains');
  for (const section of sections) {
    out.push(`### \`${section}\``, '', '| Setting | Type | Default | Meaning |', '| --- | --- | --- | --- |');
    const schema = settingsSchema.shape[section];
    const values = defaults[section] as Record<string, unknown>;
    for (const [key, field] of Object.entries(objectShape(schema))) {
      out.push(row(`${section}.${key}`, field, values[key]));
    }
    out.push('');
  }
  out.push('### `domains[]`', '', 'Managed with `domains.save` / `domains.remove` (or the Domains screen).', '', '| Field | Type | Default | Meaning |', '| --- | --- | --- | --- |');
  for (const [key, field] of Object.entries(objectShape(domainSchema))) out.push(row(key, field, defaultOf(field)));
  out.push('', '### `domains[].destinations[]` (Mail Server Settings)', '', '| Field | Type | Default | Meaning |', '| --- | --- | --- | --- |');
  for (const [key, field] of Object.entries(objectShape(destinationSchema))) out.push(row(key, field, defaultOf(field)));
  return out.join('\n');
}

export function updateSettingsReference(doc: string): string {
  const start = doc.indexOf(SETTINGS_REFERENCE_START);
  const end = doc.indexOf(SETTINGS_REFERENCE_END);
  if (start === -1 || end === -1 || end < start) throw new Error('docs/settings.md lacks the settings markers');
  return `${doc.slice(0, start + SETTINGS_REFERENCE_START.length)}\n${renderSettingsReference()}\n${doc.slice(end)}`;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  let current: z.ZodType = schema;
  // unwrap prefault/default/optional/pipe wrappers down to the object
  for (let depth = 0; depth < 5; depth += 1) {
    const def = (current as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> } }).def;
    if (def.type === 'object' && def.shape) return def.shape;
    current = def.innerType ?? def.in ?? current;
  }
  throw new Error('not an object schema');
}

function row(name: string, field: z.ZodType, value: unknown): string {
  const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as { type?: string; enum?: unknown[]; description?: string; anyOf?: { type?: string }[] };
  // A union of one type (e.g. an e-mail address or '') reads as that type, not "object".
  const unionTypes = [...new Set((json.anyOf ?? []).map((option) => option.type))];
  const unionType = unionTypes.length === 1 ? unionTypes[0] : undefined;
  const type = json.enum ? json.enum.map((item) => `\`${String(item)}\``).join(' \\| ') : (json.type ?? unionType ?? 'object');
  const shown = value === undefined ? '' : `\`${JSON.stringify(value)}\``;
  return `| \`${name}\` | ${type} | ${shown} | ${(field.description ?? json.description ?? '').replace(/\|/g, '\\|')} |`;
}

function defaultOf(field: z.ZodType): unknown {
  const parsed = field.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}
