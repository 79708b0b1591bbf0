import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, StrictMode, type ComponentType } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import '../../../renderer/src/styles.css';

/**
 * Component-test page (served by Vite's dev server, driven by Playwright in Chromium). A test mounts one
 * real renderer component by module path and export name, with JSON props; the API bridge is a stand-in
 * that records each call and answers from canned values, because the component is what is under test.
 */
interface ApiCall {
  method: string;
  input: unknown;
  /** performance.now() in the page when the call was made: timing checks read the page's clock, not the test's polling. */
  at: number;
}
type Canned = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; issues?: { path: string; message: string }[] } };

declare global {
  interface Window {
    harness: {
      mount(modulePath: string, exportName: string, props: Record<string, unknown>): Promise<void>;
      answers: Record<string, Canned>;
      calls: ApiCall[];
      emit(event: string, payload: unknown): void;
      /** From now on, calls of `method` wait until release(method): a test can see what shows while a call runs. */
      hold(method: string): void;
      release(method: string): void;
    };
  }
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();
const gates = new Map<string, { promise: Promise<void>; open: () => void }>();
let root: Root | null = null;

window.harness = {
  answers: {},
  calls: [],
  async mount(modulePath, exportName, props) {
    const module = (await import(/* @vite-ignore */ `/@fs${modulePath}`)) as Record<string, ComponentType<Record<string, unknown>>>;
    const component = module[exportName];
    if (!component) throw new Error(`${modulePath} has no export ${exportName}`);
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
    root?.unmount();
    root = createRoot(document.getElementById('root')!);
    root.render(createElement(StrictMode, null, createElement(QueryClientProvider, { client: queryClient }, createElement(component, props))));
  },
  emit(event, payload) {
    listeners.get(event)?.forEach((listener) => listener(payload));
  },
  hold(method) {
    let open = () => {};
    const promise = new Promise<void>((resolve) => (open = resolve));
    gates.set(method, { promise, open });
  },
  release(method) {
    gates.get(method)?.open();
    gates.delete(method);
  },
};

window.mxSpool = {
  api: new Proxy(
    {},
    {
      get: (_target, method: string) => async (input: unknown) => {
        window.harness.calls.push({ method, input, at: performance.now() });
        await gates.get(method)?.promise;
        return window.harness.answers[method] ?? { ok: false, error: { code: 'INTERNAL', message: `no canned answer for ${method}` } };
      },
    },
  ),
  on(event, callback) {
    const set = listeners.get(event) ?? new Set();
    set.add(callback);
    listeners.set(event, set);
    return () => set.delete(callback);
  },
};
