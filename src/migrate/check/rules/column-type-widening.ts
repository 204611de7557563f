// Which type changes only widen a column, so that old code keeps working and PostgreSQL need not
// rewrite the table (binary-coercible: https://www.postgresql.org/docs/current/sql-altertable.html).

import type { ColumnType } from '../statement-facts.js';

const varcharNames = new Set(['varchar', 'character varying']);
const textNames = new Set(['text']);
const numericNames = new Set(['numeric', 'decimal']);

/**
 * True for varchar(n) → varchar(m) with m ≥ n, varchar(n) → varchar or text, and
 * numeric(p,s) → numeric(q,s) with q ≥ p. Unknown `from` is never a widening.
 */
export function isWidening(from: ColumnType | undefined, to: ColumnType | undefined): boolean {
  if (from === undefined || to === undefined) return false;
  if (varcharNames.has(from.name)) {
    if (textNames.has(to.name)) return true;
    if (!varcharNames.has(to.name)) return false;
    return isLengthGrowth(from.args[0], to.args[0]);
  }
  if (textNames.has(from.name)) return textNames.has(to.name);
  if (numericNames.has(from.name) && numericNames.has(to.name)) {
    return isLengthGrowth(from.args[0], to.args[0]) && from.args[1] === to.args[1];
  }
  return from.name === to.name && from.args.join() === to.args.join();
}

/** undefined means unlimited. */
function isLengthGrowth(from: number | undefined, to: number | undefined): boolean {
  if (to === undefined) return true;
  return from !== undefined && to >= from;
}
