import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker module `name` that sits beside the caller (`near` is the caller's `import.meta.url`): the
 * built `.js`, or the `.ts` when the caller runs as TypeScript through tsx (tests, development). A worker
 * does not inherit tsx's loader on Node 20, so it registers it first.
 */
export function startWorker(near: string, name: string, options: WorkerOptions = {}): Worker {
  if (!near.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, near), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const file = new URL(`./${name}.ts`, near).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`, { ...options, eval: true });
}
