// What the State view's "N entries skipped" item says when hovered: the first faults, then how many more.
// A generated log of 150,000 node updates skips every entry: joined whole, its lines made a 6.5 MB
// string (34 ms to join, 22 more to serialize) sent to the workbench as one tooltip.

/** Lines shown before the rest is counted. */
export const SKIPPED_LINES = 20;

export function skippedEntriesDetail(faults: readonly { index: bigint; message: string }[], lines = SKIPPED_LINES): string {
  const shown = faults.slice(0, lines).map((f) => `#${f.index}: ${f.message}`);
  const rest = faults.length - shown.length;
  if (rest > 0) shown.push(`… and ${rest.toLocaleString('en')} more`);
  return shown.join('\n');
}
