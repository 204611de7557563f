// `op.bulk_insert(table, rows)` with literal rows: one INSERT per row, each value a literal of the
// dialect (Alembic sends them as one executemany; the rows that arrive are the same).

import type { DialectName } from '../../../db/dialect-name.js';
import { NotConvertible, describeValue, type CallArguments } from './python-value.js';
import { quoteIdentifier, quoteTableName, renderLiteral } from './render-sql-values.js';

/** `op.bulk_insert(table, rows)`: one INSERT per row, each value a literal of the dialect. */
export function renderBulkInsert(call: CallArguments, dialect: DialectName): string[] {
  const { line } = call;
  const [tableValue, rowsValue] = call.args;
  const tableName =
    tableValue?.kind === 'call' &&
    (tableValue.callee === 'sa.table' ||
      tableValue.callee === 'sa.Table' ||
      tableValue.callee === 'op.create_table')
      ? tableValue.call.args[0]
      : undefined;
  if (tableName?.kind !== 'str')
    throw new NotConvertible(`bulk_insert into ${describeValue(tableValue)}`, line);
  if (rowsValue?.kind !== 'list')
    throw new NotConvertible(`bulk_insert rows given as ${describeValue(rowsValue)}`, line);
  const q = (n: string) => quoteIdentifier(n, dialect);
  return rowsValue.items.map((row) => {
    if (row.kind !== 'dict')
      throw new NotConvertible(`a bulk_insert row given as ${describeValue(row)}`, line);
    const names = row.entries.map(([key]) => {
      if (key.kind !== 'str')
        throw new NotConvertible('a bulk_insert column name that is not a string', line);
      return q(key.value);
    });
    const values = row.entries.map(([, value]) => renderLiteral(value, dialect, line));
    return `INSERT INTO ${quoteTableName(tableName.value, dialect)} (${names.join(', ')}) VALUES (${values.join(', ')})`;
  });
}
