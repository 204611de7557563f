// Renders lists of revision ids inside error messages, short enough to read on one line.
// Pure formatting: no graph knowledge.

/** `a, b, c`, or `a, b, … and 12 more` past `limit` ids. Ids are shown in the order given. */
export function formatIds(ids: readonly string[], limit = 8): string {
  if (ids.length <= limit) return ids.join(', ');
  return `${ids.slice(0, limit).join(', ')}, … and ${ids.length - limit} more`;
}

/** Compares ids by UTF-16 code units: the same order on every machine, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
