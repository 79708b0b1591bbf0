/** What every chart of the screen sets alike, so they read as one set. */

/** Room around the plot for the axis titles (the x title sits 16 px under the ticks). */
export const chartMargin = { top: 8, right: 16, bottom: 24, left: 8 };

export const gridLines = { strokeDasharray: '3 3', stroke: '#d0d7de' };

export function xAxisTitle(value: string) {
  return { value, position: 'insideBottom', offset: -16 } as const;
}

export function yAxisTitle(value: string) {
  return { value, angle: -90, position: 'insideLeft', style: { textAnchor: 'middle' } } as const;
}

/**
 * Legend and tooltip list the series in the order they are drawn, not alphabetically: the total first,
 * the busiest domain first, delivered-deferred-bounced.
 */
export const legendInSeriesOrder = { verticalAlign: 'top', itemSorter: null } as const;
export const tooltipInSeriesOrder = { itemSorter: () => 0 };
