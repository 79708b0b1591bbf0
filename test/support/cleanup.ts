import type { TestContext } from 'node:test';

type Cleanup = () => unknown;
const stacks = new WeakMap<TestContext, Cleanup[]>();

/**
 * Registers a cleanup that runs when the test ends, last registered first, every one of them even when an
 * earlier one throws. node:test runs `t.after` hooks in registration order and stops at the first that
 * throws: a temp folder registered before the service that writes into it was removed while the service
 * still ran, the removal failed with ENOTEMPTY, the hook that kills the service never ran, and the test file
 * never exited, holding CI until its time limit. Errors are thrown once all cleanups have run.
 */
export function onCleanup(t: TestContext, cleanup: Cleanup): void {
  let stack = stacks.get(t);
  if (!stack) {
    const created: Cleanup[] = [];
    stack = created;
    stacks.set(t, created);
    t.after(async () => {
      const errors: unknown[] = [];
      for (let next = created.pop(); next; next = created.pop()) {
        try {
          await next();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new AggregateError(errors, `${errors.length} cleanups failed`);
    });
  }
  stack.push(cleanup);
}
