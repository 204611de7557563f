// Renders lists of revision ids inside error messages, short enough to read on one line, and
// orders them the same on every machine. No graph knowledge.

/** `a, b, c`, or `a, b, … and 12 more` past `limit` ids. Ids are shown in the order given. */
export function formatIds(ids: readonly string[], limit = 8): string {
  if (ids.length <= limit) return ids.join(', ');
  return `${ids.slice(0, limit).join(', ')}, … and ${ids.length - limit} more`;
}

/** Compares ids by UTF-16 code units: the same order on every machine, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The distinct ids, sorted by compareIds. */
export function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareIds);
}
