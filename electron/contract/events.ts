import { z } from 'zod';
import type { eventNameList } from './api-method-names.js';
import { alertSchema } from './alerts-schema.js';
import { attemptRecordSchema } from './report-schema.js';

/** Live events pushed to the UI. Hosts throttle `queue.changed` (see engine/events/throttle). */
export const eventContract = {
  'queue.changed': z.object({ domains: z.array(z.string()), queued: z.number().int() }),
  'attempt.made': attemptRecordSchema,
  'listener.status': z.object({ listening: z.boolean(), error: z.string().nullable() }),
  'alert.raised': alertSchema,
} as const;

export type EventContract = typeof eventContract;
export type EventName = keyof EventContract;
export type EventPayload<E extends EventName> = z.infer<EventContract[E]>;
export const eventNames = Object.keys(eventContract) as EventName[];

type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const eventListMatches: SameKeys<(typeof eventNameList)[number], EventName> = true;
void eventListMatches;
