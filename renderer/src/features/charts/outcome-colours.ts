/**
 * The app's outcome colours (--outcome-* in styles.css), so green, amber and red mean the same in the
 * charts as on every other screen. Written out here because recharts puts them into SVG attributes,
 * not through a stylesheet; keep the two lists alike.
 */
export const outcomeColours = { delivered: '#1a7f37', deferred: '#9a6700', bounced: '#cf222e' } as const;

export const outcomeNames = { delivered: 'Delivered', deferred: 'Deferred (will retry)', bounced: 'Bounced' } as const;

export const outcomes = ['delivered', 'deferred', 'bounced'] as const;
