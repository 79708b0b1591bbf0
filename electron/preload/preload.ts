import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { apiMethodNames, eventNameList, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../contract/api-method-names.js';

/**
 * The only bridge between the sandboxed renderer and the main process: one named function per contract
 * method (each takes one input object and resolves to `{ok, value} | {ok: false, error}`), and
 * `on(event, callback)` returning an unsubscribe function. The IpcRendererEvent is never passed on: it
 * carries `sender`. Bundled to CommonJS by scripts/build-preload.mjs (sandboxed preloads cannot import).
 */
const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
for (const method of apiMethodNames) {
  api[method] = (input: unknown = {}) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { method, input });
}

const events = new Set<string>(eventNameList);

contextBridge.exposeInMainWorld('mxSpool', {
  api: Object.freeze(api),
  on(event: string, callback: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`Unknown event "${event}"`);
    const listener = (_event: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (message.event === event) callback(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener);
  },
});
