/** After a failed save, keyboard and screen-reader users land on the first field that needs fixing. */
export function focusFirstInvalid(container: HTMLElement | null): void {
  container?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
