/**
 * One colour per domain, the same in every chart of the screen. Green, amber and red are left out: they
 * mean delivered, deferred and bounced on the dashboard and in the outcome chart.
 */
const palette = ['#0969da', '#8250df', '#bf3989', '#1b7c83', '#953800', '#4d2d00', '#6639ba', '#0550ae', '#57606a', '#116329'] as const;

/** The colour of the total line: the text colour, so it reads as "everything" rather than one more domain. */
export const totalColour = '#1f2328';

/** `known` is the sorted list of domains the screen knows; a domain outside it gets a colour from its name. */
export function domainColour(domain: string, known: readonly string[]): string {
  const index = known.indexOf(domain);
  if (index !== -1) return palette[index % palette.length] ?? palette[0];
  let hash = 0;
  for (const char of domain) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return palette[(known.length + hash) % palette.length] ?? palette[0];
}
