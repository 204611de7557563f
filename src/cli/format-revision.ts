// How revisions are shown on the terminal, in Alembic's words and layout.

import type { HistoryEntryView, Revision } from '../migrate/index.js';

/** `d21f6449aa7a -> 7843e8bdb14c (head), create datasets table` */
export function formatHistoryLine(entry: HistoryEntryView): string {
  const { revision } = entry;
  const parents = revision.parents.length > 0 ? revision.parents.join(', ') : '<base>';
  return `${parents} -> ${revision.id}${formatMarks(entry)}, ${revision.message}`;
}

/** `7843e8bdb14c (head)` */
export function formatShortLine(entry: HistoryEntryView): string {
  return `${entry.revision.id}${formatMarks(entry)}`;
}

export function formatMarks(entry: HistoryEntryView): string {
  const marks = [
    entry.isHead ? 'head' : undefined,
    entry.isCurrent ? 'current' : undefined,
    entry.isBranchPoint ? 'branchpoint' : undefined,
    entry.isMergePoint ? 'mergepoint' : undefined,
  ].filter((mark) => mark !== undefined);
  return marks.map((mark) => ` (${mark})`).join('');
}

/** The verbose block of `history --verbose` and `show`. */
export function formatRevisionBlock(
  entry: HistoryEntryView,
  children: readonly Revision[],
): string {
  const { revision } = entry;
  const lines = [
    `Rev: ${revision.id}${formatMarks(entry)}`,
    revision.parents.length > 1
      ? `Merges: ${revision.parents.join(', ')}`
      : `Parent: ${revision.parents[0] ?? '<base>'}`,
  ];
  if (children.length > 1) lines.push(`Branches into: ${children.map((c) => c.id).join(', ')}`);
  lines.push(`Path: ${revision.path}`);
  if (!revision.isTransactional) lines.push('Transaction: none (-- migrate:no-transaction)');
  lines.push('', `    ${revision.message}`, '', `    Revision ID: ${revision.id}`);
  lines.push(`    Revises: ${revision.parents.join(', ')}`);
  if (revision.createDate) lines.push(`    Create Date: ${revision.createDate}`);
  return lines.join('\n');
}
