import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { invokeApi, type ApiHandlers, type EventSubscriber } from '../contract/api-handlers.js';
import { AppError } from '../contract/app-error.js';
import { eventNameList, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../contract/api-method-names.js';
import type { Logger } from '../engine/runtime/logger.js';

/**
 * Serves the contract over IPC. Only frames loaded from our own renderer may call (GitHub Desktop's
 * trusted-ipc-sender idea); input is validated by invokeApi exactly as over HTTP, and results travel as
 * `{ok, value} | {ok:false, error}` because Electron keeps only `message` of a thrown error.
 */
export function serveIpc(options: { handlers: ApiHandlers; events: EventSubscriber; logger: Logger; isTrustedUrl: (url: string) => boolean; target: () => WebContents | null }): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, request: unknown) => {
    const url = event.senderFrame?.url ?? '';
    if (!options.isTrustedUrl(url)) {
      options.logger.log('warn', 'IPC_UNTRUSTED_SENDER', { url });
      return { ok: false, error: new AppError('FORBIDDEN', 'This window may not call the MX Spool API').toShape() };
    }
    const { method, input } = (request ?? {}) as { method?: unknown; input?: unknown };
    return invokeApi(options.handlers, typeof method === 'string' ? method : '', input, options.logger);
  });
  const unsubscribers = eventNameList.map((name) =>
    options.events.on(name, (payload: unknown) => {
      const target = options.target();
      if (target && !target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, { event: name, payload });
    }),
  );
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
