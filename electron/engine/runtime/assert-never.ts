/** Exhaustiveness check for union switches (STYLE.md convention 6): a new member fails to compile here. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
