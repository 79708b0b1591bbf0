import { z } from 'zod';
import type { eventNameList } from './api-method-names.js';
import { alertSchema } from './alerts-schema.js';
import { attemptRecordSchema } from './report-schema.js';

/** Live events pushed to the UI. Hosts throttle `queue.changed` (see engine/events/throttle). */
export const eventContract = {
  'queue.changed': z.object({ domains: z.array(z.string()), queued: z.number().int() }),
  'attempt.made': attemptRecordSchema,
  'listener.status': z.object({
    listening: z.boolean(),
    error: z.string().nullable(),
    paused: z.boolean().optional().describe('Receiving paused by the admin. Always filled by the engine.'),
    waitingForDomain: z.boolean().optional().describe('Not listening until the first domain exists. Always filled by the engine.'),
  }),
  'alert.raised': alertSchema,
  // Sent by the desktop host only (tray menu, a clicked notification): the window shows this hash route.
  'app.navigate': z.object({ route: z.string().regex(/^#\/[\w\-/?=&.%:]*$/).describe('A hash route of the admin app, e.g. "#/queue?domain=example.com".') }),
} as const;

export type EventContract = typeof eventContract;
export type EventName = keyof EventContract;
export type EventPayload<E extends EventName> = z.infer<EventContract[E]>;
export const eventNames = Object.keys(eventContract) as EventName[];

type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const eventListMatches: SameKeys<(typeof eventNameList)[number], EventName> = true;
void eventListMatches;
