import type { ApiInput, ApiMethod, ApiOutput } from '../../../electron/contract/api-contract.js';
import type { AppErrorShape, Result } from '../../../electron/contract/app-error.js';
import type { EventName, EventPayload } from '../../../electron/contract/events.js';
import { isAppRoute } from '../ui/route.js';

/**
 * The renderer's only way to the engine. In the desktop window it uses the preload bridge (IPC); in a
 * browser it calls the headless service's HTTP API with the token from the URL fragment (`#token=…`,
 * never sent to the server by the browser) or from this tab's session storage.
 */
interface Bridge {
  api: Record<string, (input: unknown) => Promise<Result<unknown>>>;
  on(event: string, callback: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    mxSpool?: Bridge;
  }
}

export class ApiError extends Error {
  constructor(readonly shape: AppErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'mx-spool-token';

export function adminToken(): string | null {
  const fromFragment = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromFragment) {
    sessionStorage.setItem(TOKEN_KEY, fromFragment);
    history.replaceState(null, '', window.location.pathname + window.location.search); // keep it out of the address bar
    return fromFragment;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setAdminToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function needsToken(): boolean {
  return !window.mxSpool && !adminToken();
}

export async function callApi<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  let result: Result<unknown>;
  if (window.mxSpool) {
    result = await window.mxSpool.api[method]!(input);
  } else {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken() ?? ''}` },
      body: JSON.stringify(input),
    });
    result = (await response.json()) as Result<unknown>;
  }
  if (!result.ok) throw new ApiError(result.error);
  return result.value as ApiOutput<M>;
}

/** Live engine events; returns the unsubscribe function. */
export function subscribe<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void {
  if (window.mxSpool) return window.mxSpool.on(event, (payload) => callback(payload as EventPayload<E>));
  const listener = (message: MessageEvent<string>) => callback(JSON.parse(message.data) as EventPayload<E>);
  const source = sharedEventSource();
  source.addEventListener(event, listener);
  subscribers += 1;
  return () => {
    source.removeEventListener(event, listener);
    subscribers -= 1;
    if (subscribers === 0) {
      source.close();
      eventSource = null;
    }
  };
}

/**
 * The desktop host's requests to show a screen (tray menu, a clicked notification): the window follows
 * each one by setting the hash, so Back returns to where the admin was. Anything but a `#/` route of this
 * app is ignored. Returns the unsubscribe function.
 */
export function followNavigateRequests(): () => void {
  return subscribe('app.navigate', ({ route }) => {
    if (isAppRoute(route)) window.location.hash = route;
  });
}

// One event stream for the whole tab: a browser allows only six HTTP/1.1 connections per host, and one
// EventSource per screen and event would starve the API calls.
let eventSource: EventSource | null = null;
let subscribers = 0;

function sharedEventSource(): EventSource {
  eventSource ??= new EventSource(`/api/events?token=${encodeURIComponent(adminToken() ?? '')}`);
  return eventSource;
}
