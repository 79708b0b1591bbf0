/** The dashboard's outcome colours (.outcome-* in styles.css), so green, amber and red mean the same on every screen. */
export const outcomeColours = { delivered: '#1a7f37', deferred: '#9a6700', bounced: '#cf222e' } as const;

export const outcomeNames = { delivered: 'Delivered', deferred: 'Deferred (will retry)', bounced: 'Bounced' } as const;

export const outcomes = ['delivered', 'deferred', 'bounced'] as const;
