// A `batch_alter_table` block on SQLite that ALTER TABLE cannot do (a column's type or
// nullability, a constraint): the table rebuilt as Alembic's batch mode rebuilds it — CREATE
// TABLE _alembic_tmp_<t> with the changed definition, rows copied, the old table dropped, the new
// one renamed, its indexes created again (SQLite's documented order, which `check`'s
// sqlite-table-rebuild rule asks for). The definition comes from the converted revisions
// (known-tables.ts), not from a live database.

import type { DirectiveCall } from './directive-call.js';
import type { KnownTables } from './known-tables.js';
import { NotConvertible } from './python-value.js';
import type { RevisionAction } from './revision-action.js';
import { renderColumnType } from './render-column-type.js';
import { readColumn } from './render-column.js';
import { renderIndexes, renderTableDefinition } from './render-create-table.js';
import { quoteIdentifier } from './render-sql-values.js';

type OpAction = Extract<RevisionAction, { kind: 'op' }>;

/**
 * batch_op.* that SQLite runs in place: what Alembic runs without recreating the table
 * (create_index, drop_index, add_column of a column without constraints), and what SQLite itself
 * can do since 3.35 (drop_column, a rename).
 */
export function isInPlaceOnSqlite(call: DirectiveCall): boolean {
  if (['create_index', 'drop_index', 'drop_column'].includes(call.directive)) return true;
  if (call.directive === 'add_column') {
    const column = call.argument(1, 'column');
    if (column === undefined) return true;
    const spec = readColumn(column, call.line);
    return spec.foreignKeys.length === 0 && !spec.isUnique;
  }
  if (call.directive !== 'alter_column') return false;
  const keys = [...call.call.kwargs.keys()].filter((k) => !k.startsWith('existing_'));
  return keys.length === 1 && keys[0] === 'new_column_name';
}

/** The statements that rebuild the block's table with every directive of the block applied. */
export function renderSqliteRebuild(block: readonly OpAction[], tables: KnownTables): string[] {
  const [first] = block;
  const table = first?.batchTable;
  if (first === undefined || table === undefined) return [];
  const what = `batch_op.${first.directive}() on SQLite, where Alembic rebuilds ${table}`;
  const fail = (reason: string): never => {
    throw new NotConvertible(`${what}: ${reason}`, first.line);
  };
  let before;
  try {
    before = tables.definition(table, first.line);
  } catch (error) {
    if (error instanceof NotConvertible) return fail(error.reason);
    throw error;
  }
  const referencing = tables.referencing(table);
  if (referencing.length > 0) {
    // With foreign keys enforced (as the engine's connections are), DROP TABLE deletes the rows
    // they reference, and PRAGMA foreign_keys cannot be turned off inside a transaction.
    fail(
      `${referencing.join(', ')} reference it, so the rebuild needs PRAGMA foreign_keys = OFF in a -- migrate:no-transaction revision; write it by hand`,
    );
  }
  const after = tables.copy();
  // Which column of the old table each column of the new one is copied from; cast where retyped.
  const sourceOf = new Map(before.columns.map((c) => [c.name, c.name]));
  const retyped = new Set<string>();
  for (const action of block) {
    after.apply(action);
    const column = action.call.args[0] ?? action.call.kwargs.get('column_name');
    const name = column?.kind === 'str' ? column.value : undefined;
    if (action.directive === 'drop_column' && name !== undefined) sourceOf.delete(name);
    if (action.directive !== 'alter_column' || name === undefined) continue;
    const newName = action.call.kwargs.get('new_column_name');
    if (newName?.kind === 'str' && newName.value !== name) {
      sourceOf.set(newName.value, sourceOf.get(name) ?? name);
      sourceOf.delete(name);
      if (retyped.delete(name)) retyped.add(newName.value);
    }
    if (action.call.kwargs.has('type_'))
      retyped.add(newName?.kind === 'str' ? newName.value : name);
  }
  let definition;
  try {
    definition = after.definition(table, first.line);
  } catch (error) {
    if (error instanceof NotConvertible) return fail(error.reason);
    throw error;
  }
  const q = (n: string) => quoteIdentifier(n, 'sqlite');
  const temporary = `_alembic_tmp_${table}`;
  const copied = definition.columns.filter((c) => sourceOf.has(c.name));
  const selected = copied.map((c) => {
    const source = q(sourceOf.get(c.name)!);
    return retyped.has(c.name)
      ? `CAST(${source} AS ${renderColumnType(c.type, 'sqlite', first.line)})`
      : source;
  });
  const [createTable = ''] = renderTableDefinition(
    { ...definition, indexes: [] },
    'sqlite',
    first.line,
    temporary,
  );
  // Indexes the block drops are dropped first, by name, so that the rebuild says what it
  // removes (check's sqlite-table-rebuild rule reads an index that just vanishes as lost).
  const dropped = before.indexes.filter((i) => !definition.indexes.some((d) => d.name === i.name));
  return [
    ...dropped.map((index) => `DROP INDEX ${q(index.name)}`),
    createTable,
    ...(copied.length === 0
      ? []
      : [
          `INSERT INTO ${q(temporary)} (${copied.map((c) => q(c.name)).join(', ')}) SELECT ${selected.join(', ')} FROM ${q(table)}`,
        ]),
    `DROP TABLE ${q(table)}`,
    `ALTER TABLE ${q(temporary)} RENAME TO ${q(table)}`,
    ...renderIndexes(definition, 'sqlite'),
  ];
}
