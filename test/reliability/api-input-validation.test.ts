import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import { apiContract } from '../../electron/contract/api-contract.js';
import { apiMethodNames } from '../../electron/contract/api-method-names.js';
import { MAX_BODY_BYTES } from '../../electron/headless/admin-http-server.js';
import { startService } from '../support/headless-service.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Every method of the contract, called on the real service (the CLI as a child process) with invalid
 * input: each must answer 4xx with code INVALID_INPUT and issues naming the field, never 500, never a
 * crash, and no handler may run. Most payloads are generated from the method's zod input schema, so a new
 * method or field is covered without editing this file; a few abuse cases are written by hand.
 * test/headless/admin-http-server.test.ts checks the exact messages for a handful of cases.
 */

type Schema = z.ZodType;
type CheckDef = { check: string; maximum?: number; minimum?: number; value?: number; inclusive?: boolean; format?: string };
type Def = {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  options?: Schema[];
  checks?: { _zod: { def: CheckDef } }[];
};
const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The schema under optional/default/nullable/pipe wrappers, and whether the field may be left out. */
function unwrap(schema: Schema): { bare: Schema; required: boolean } {
  let bare = schema;
  let required = true;
  for (;;) {
    const def = defOf(bare);
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') required = false;
    if (WRAPPERS.has(def.type) && def.innerType) bare = def.innerType;
    else if (def.type === 'pipe' && def.in) bare = def.in;
    else return { bare, required };
  }
}

type Path = (string | number)[];
/** One invalid input and the field it breaks. */
type Probe = { label: string; input: unknown; path: Path };

const WRONG_TYPE_CANDIDATES: unknown[] = [12345, 'not-a-valid-value', true, [], {}, null];

/** Builds `{a: {b: value}}` for path ['a','b'] (array indexes become one-element arrays). */
function placed(path: Path, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => (typeof key === 'number' ? [inner] : { [key]: inner }), value);
}

/** A value the element schema accepts, so an over-long array fails on its length alone. */
function validSample(schema: Schema): unknown {
  for (const candidate of ['a', 'alice', 1, true, '1.1.1.1']) if (schema.safeParse(candidate).success) return candidate;
  return undefined;
}

/** Invalid values for one leaf field: a wrong type, a bad string, and each bound passed by one. */
function leafValues(field: Schema): { label: string; value: unknown }[] {
  const { bare } = unwrap(field);
  const def = defOf(bare);
  const values: { label: string; value: unknown }[] = [];
  const wrongType = WRONG_TYPE_CANDIDATES.find((candidate) => !field.safeParse(candidate).success);
  if (wrongType !== undefined) values.push({ label: `wrong type ${JSON.stringify(wrongType)}`, value: wrongType });
  if (def.type === 'string' || def.type === 'enum' || def.type === 'union') {
    const bad = '\u0000 !! not <valid> @@';
    if (!field.safeParse(bad).success) values.push({ label: 'malformed string', value: bad });
  }
  for (const check of def.checks ?? []) {
    const { check: kind, maximum, minimum, value, inclusive, format } = check._zod.def;
    if (def.type === 'string' && kind === 'max_length' && maximum !== undefined) values.push({ label: `string over ${maximum}`, value: 'x'.repeat(maximum + 1) });
    if (def.type === 'string' && kind === 'min_length' && minimum !== undefined && minimum > 0) values.push({ label: `string under ${minimum}`, value: 'x'.repeat(minimum - 1) });
    if (def.type === 'array' && kind === 'max_length' && maximum !== undefined && def.element) {
      const sample = validSample(def.element);
      if (sample !== undefined) values.push({ label: `array over ${maximum}`, value: Array.from({ length: maximum + 1 }, () => sample) });
    }
    if (def.type === 'array' && kind === 'min_length' && minimum !== undefined && minimum > 0) values.push({ label: `array under ${minimum}`, value: [] });
    if (def.type === 'number' && kind === 'less_than' && value !== undefined) values.push({ label: `number over ${value}`, value: inclusive ? value + 1 : value });
    if (def.type === 'number' && kind === 'greater_than' && value !== undefined) values.push({ label: `number under ${value}`, value: inclusive ? value - 1 : value });
    if (def.type === 'number' && kind === 'number_format' && format === 'safeint') values.push({ label: 'not an integer', value: 1.5 });
  }
  if (def.type === 'number') values.push({ label: 'numeric string', value: '25' });
  return values;
}

/** Every invalid input the schema lets us derive, down to nested objects and arrays of objects. */
function probesFor(schema: Schema, path: Path = [], depth = 0): Probe[] {
  const { bare } = unwrap(schema);
  const def = defOf(bare);
  const at = (relative: Path): Pick<Probe, 'path'> => ({ path: [...path, ...relative] });
  if (def.type === 'union' && def.options && depth < 4) {
    return def.options.flatMap((option) => probesFor(option, path, depth + 1));
  }
  if (def.type === 'array' && def.element && defOf(unwrap(def.element).bare).type === 'object' && depth < 4) {
    return probesFor(def.element, [...path, 0], depth + 1);
  }
  if (def.type !== 'object' || !def.shape || depth > 4) return [];
  const probes: Probe[] = [{ label: 'unknown extra key', input: placed([...path, '__unexpected'], 1), ...at(['__unexpected']) }];
  for (const [key, field] of Object.entries(def.shape)) {
    const { required } = unwrap(field);
    if (required) probes.push({ label: `missing required ${key}`, input: placed(path, {}), ...at([key]) });
    for (const { label, value } of leafValues(field)) probes.push({ label: `${key}: ${label}`, input: placed([...path, key], value), ...at([key]) });
    probes.push(...probesFor(field, [...path, key], depth + 1));
  }
  return probes;
}

/**
 * True when an issue names the field: at its own path, or (a union: the issue sits where the union is and
 * explains each accepted form) in the message as `field: reason`, relative to the issue's path.
 */
function namesField(issues: { path: string; message: string }[], field: string): boolean {
  return issues.some((issue) => {
    if (issue.path === field) return true;
    const rest = issue.path === '' ? field : field.startsWith(`${issue.path}.`) ? field.slice(issue.path.length + 1) : undefined;
    return rest !== undefined && issue.message.startsWith('Matches none of the accepted forms') && issue.message.includes(`${rest}:`);
  });
}

/**
 * Inputs of the right types that the engine's own checks refuse (ranges, orders, names, protocol lines):
 * they reach the handler, so a bug there would show as a 500 here.
 */
const ENGINE_REFUSALS: { method: (typeof apiMethodNames)[number]; input: unknown; path: string }[] = [
  { method: 'settings.update', input: { retry: { minIntervalMinutes: 200 } }, path: 'retry.minIntervalMinutes' },
  { method: 'settings.update', input: { bounceRelay: { enabled: true } }, path: 'bounceRelay.host' },
  { method: 'settings.update', input: { bounceRelay: { host: 'bad host!' } }, path: 'bounceRelay.host' },
  // CR LF in a name the spool writes into SMTP lines (banner, EHLO) would split or forge a command.
  { method: 'settings.update', input: { listener: { hostname: 'mx2.example.com\r\n250 forged' } }, path: 'listener.hostname' },
  { method: 'settings.update', input: { delivery: { heloName: 'mx2.example.com\r\nRCPT TO:<x@example.net>' } }, path: 'delivery.heloName' },
  { method: 'settings.update', input: { delivery: { heloName: 'two words' } }, path: 'delivery.heloName' },
  { method: 'domains.save', input: { name: 'example.com', destinations: [{ host: 'mail.example.com' }], retry: { minIntervalMinutes: 150 } }, path: 'retry.minIntervalMinutes' },
  { method: 'domains.save', input: { name: 'xn--zz.com', destinations: [{ host: 'mail.example.com' }] }, path: 'name' },
  { method: 'domains.save', input: { name: 'example.com', destinations: [{ host: 'mail.example.com' }], acceptAllRecipients: false }, path: 'recipients' },
  { method: 'stats.queueSeries', input: { since: '2026-01-01T00:00:00Z', until: '2026-03-01T00:00:00Z' }, path: 'since' },
  { method: 'stats.queueSeries', input: { since: '2026-03-01T00:00:00Z', until: '2026-01-01T00:00:00Z' }, path: 'since' },
  { method: 'reports.outbound', input: { from: '2026-11-30', to: '2026-11-01' }, path: 'from' },
  { method: 'reports.outbound', input: { from: '2026-11-01', to: '2026-11-30', timeZone: 'Mars/Olympus' }, path: 'timeZone' },
  { method: 'reports.inbound', input: { from: '2026-02-30', to: '2026-03-01' }, path: 'from' },
  { method: 'stats.outcomesByHour', input: { from: '2020-01-01', to: '2026-11-30' }, path: 'to' },
  { method: 'stats.topDeferrals', input: { from: '2026-11-01', to: '2026-11-30', timeZone: 'Nope/Nope' }, path: 'timeZone' },
];

type Reply = { ok: boolean; error?: { code: string; message: string; issues?: { path: string; message: string }[] } };

test('every API method answers invalid input with INVALID_INPUT naming the field, never 500', async (t) => {
  const dataDir = await tempDir(t);
  const service = await startService(t, dataDir);
  const post = async (method: string, body: string | Uint8Array, headers: Record<string, string> = { 'Content-Type': 'application/json' }) => {
    const res = await fetch(`${service.url}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${service.token}`, ...headers }, body });
    const text = await res.text();
    return { status: res.status, text, reply: JSON.parse(text) as Reply };
  };

  // The method names come from the contract: a method added later is probed without touching this test.
  assert.deepEqual([...apiMethodNames].sort(), Object.keys(apiContract).sort());
  const counts = new Map<string, number>();
  const failures: string[] = [];
  const expectRefused = (method: string, label: string, result: { status: number; text: string; reply: Reply }, status: number, mentions?: (issues: { path: string; message: string }[]) => boolean) => {
    counts.set(method, (counts.get(method) ?? 0) + 1);
    const { reply } = result;
    if (result.status !== status || reply.ok || reply.error?.code !== 'INVALID_INPUT') failures.push(`${method} ${label}: ${result.status} ${result.text.slice(0, 300)}`);
    else if (mentions && !mentions(reply.error.issues ?? [])) failures.push(`${method} ${label}: issues do not name the field: ${JSON.stringify(reply.error.issues).slice(0, 300)}`);
  };

  const huge = JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES) });
  const deep = '['.repeat(200_000) + ']'.repeat(200_000); // JSON nesting a recursive parser or validator would choke on
  for (const method of apiMethodNames) {
    const schema = apiContract[method].input as Schema;
    // Generated from the schema.
    for (const probe of probesFor(schema)) {
      // A payload the schema accepts would be a bug in this generator, and might change data: never send it.
      assert.equal(schema.safeParse(probe.input).success, false, `${method} ${probe.label} must be invalid: ${JSON.stringify(probe.input).slice(0, 200)}`);
      expectRefused(method, probe.label, await post(method, JSON.stringify(probe.input)), 400, (issues) => namesField(issues, probe.path.join('.')));
    }
    // Hand-written, the same for every method: not an object, not JSON, not sent as JSON, too big, too deep.
    for (const body of ['[]', '"text"', '42', 'null', 'true', deep, `{"x":${deep}}`]) {
      expectRefused(method, `body ${body.slice(0, 12)}`, await post(method, body), 400, (issues) => (body.startsWith('{') ? namesField(issues, 'x') : issues.some((issue) => issue.path === '')));
    }
    expectRefused(method, '__proto__ key', await post(method, '{"__proto__":{"polluted":true}}'), 400, (issues) => namesField(issues, '__proto__'));
    for (const body of ['{"a":', '{a:1}', "{'a':1}", '\u00ff\u00fe{}', '{}garbage']) expectRefused(method, `not JSON ${body}`, await post(method, body), 400);
    expectRefused(method, 'text/plain', await post(method, '{}', { 'Content-Type': 'text/plain' }), 415);
    expectRefused(method, 'form', await post(method, 'a=1', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415);
    expectRefused(method, 'no content type', await post(method, '{}', {}), 415);
    expectRefused(method, `body over ${MAX_BODY_BYTES} bytes`, await post(method, huge), 413);
    const get = await fetch(`${service.url}/api/${method}`, { headers: { Authorization: `Bearer ${service.token}` } });
    expectRefused(method, 'GET', { status: get.status, text: await get.clone().text(), reply: (await get.json()) as Reply }, 405);
  }

  for (const { method, input, path } of ENGINE_REFUSALS) {
    expectRefused(method, `engine check ${path}`, await post(method, JSON.stringify(input)), 400, (issues) => namesField(issues, path));
  }

  assert.deepEqual(failures, [], `${failures.length} invalid inputs were not answered as they should be`);
  const totalPayloads = [...counts.values()].reduce((sum, count) => sum + count, 0);
  assert.equal(counts.size, apiMethodNames.length, 'every method was probed');
  // The service is still up, ran no handler for any of it, and logged no failure of its own.
  assert.equal(service.child.exitCode, null);
  assert.equal((await service.call('stats.summary', {})).status, 200);
  assert.deepEqual((await service.call('domains.list', {})).body.value, { items: [] } as never);
  assert.doesNotMatch(service.output(), /ADMIN_HTTP_FAILED|API_HANDLER_FAILED|status=5\d\d/);
  const perMethod = [...counts].map(([method, count]) => `${method}=${count}`).join(' ');
  t.diagnostic(`api input validation: ${counts.size} methods x ${Math.round(totalPayloads / counts.size)} payloads on average = ${totalPayloads} invalid requests, all refused (${perMethod})`);
});
