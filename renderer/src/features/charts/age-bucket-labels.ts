/**
 * qshape's column headings as words: bucket i holds ages above bound i-1 up to bound i (minutes), the
 * last one everything older than the last bound. From the engine's bucketMinutes, so a change there
 * changes the labels too. "< 5 min", "5–10 min", … "640–1280 min", "> 1280 min".
 */
export function ageBucketLabels(bucketMinutes: readonly number[]): string[] {
  const labels = bucketMinutes.map((bound, index) => {
    const lower = bucketMinutes[index - 1];
    return lower === undefined ? `< ${bound} min` : `${lower}–${bound} min`;
  });
  const last = bucketMinutes[bucketMinutes.length - 1];
  if (last !== undefined) labels.push(`> ${last} min`);
  return labels;
}

/** The same bucket in hours when that reads better ("≈ 21 h"), for the table's second heading line. */
export function ageBucketHint(bucketMinutes: readonly number[], index: number): string {
  const upper = bucketMinutes[index];
  const minutes = upper ?? bucketMinutes[bucketMinutes.length - 1];
  if (minutes === undefined || minutes < 120) return '';
  const hours = Math.round(minutes / 6) / 10;
  return upper === undefined ? `over ${hours} h` : `up to ${hours} h`;
}
