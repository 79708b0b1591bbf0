import { z } from 'zod';

/**
 * The SMTP listener's state. Receiving can be paused by the admin (tray menu, dashboard) and, in the
 * desktop app, does not start before the first domain exists: a fresh install must not answer mail it has
 * nowhere to forward.
 */
export const listenerStatusSchema = z.object({
  listening: z.boolean(),
  address: z.string().nullable(),
  port: z.number().nullable(),
  error: z.string().nullable(),
  paused: z.boolean().optional().describe('Receiving paused by the admin (listener.pause) until listener.resume or the next start. Always filled by the engine.'),
  waitingForDomain: z
    .boolean()
    .optional()
    .describe('Not listening because no domain is configured yet (desktop app, or the service with --wait-for-domain); starts when the first domain is saved. Always filled by the engine.'),
});
export type ListenerStatus = z.infer<typeof listenerStatusSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['desktop', 'service']).describe('desktop: the Electron app; service: the headless service (npm run serve).'),
  dataDir: z.string().describe('The data folder: settings, spool, logs.'),
  settingsFile: z.string(),
  platform: z.string().describe('process.platform of the machine running the engine.'),
  arch: z.string(),
  versions: z.object({ node: z.string(), electron: z.string().nullable() }),
  startedAt: z.string().describe('When the engine started (ISO, UTC).'),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const openDataFolderResultSchema = z.object({
  opened: z.boolean().describe('false where the host cannot open a file manager (the headless service): show the path instead.'),
  path: z.string(),
});

export const diagnosticsExportSchema = z.object({
  fileName: z.string().describe('A suggested file name, e.g. mx-spool-diagnostics-2026-11-28T10-00-00Z.json.'),
  contentType: z.literal('application/json'),
  content: z.string().describe('One JSON document: app info, settings with every password replaced, listener, queue summary per domain, recent alerts and the recent log lines.'),
});
