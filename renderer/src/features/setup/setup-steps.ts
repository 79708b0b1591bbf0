/** The first-run setup's steps, in order. Optional steps can be skipped one by one; the whole flow can be skipped too. */
export const setupSteps = [
  { id: 'domain', title: 'Your domain', optional: false },
  { id: 'server', title: 'The office mail server', optional: false },
  { id: 'route', title: 'Test the route', optional: true },
  { id: 'dns', title: 'Check DNS', optional: true },
  { id: 'port', title: 'The listening port', optional: false },
  { id: 'receive', title: 'Start receiving', optional: false },
] as const;

export type SetupStepId = (typeof setupSteps)[number]['id'];

/** "Step 2 of 6", as the heading of every step starts. */
export function stepProgress(index: number): string {
  return `Step ${index + 1} of ${setupSteps.length}`;
}
