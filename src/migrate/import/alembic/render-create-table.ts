// `op.create_table` and `op.add_column` as the DDL SQLAlchemy's dialects emit: SERIAL /
// AUTO_INCREMENT for the single integer primary key, the primary key and the constraints passed
// to create_table before those the columns' flags make, `ix_<table>_<column>` for `index=True`.

import type { DialectName } from '../../../db/dialect-name.js';
import { NotConvertible, type CallArguments, type PythonValue } from './python-value.js';
import { isIntegerType } from './render-column-type.js';
import {
  readColumn,
  renderColumnDefinition,
  renderForeignKey,
  type ColumnSpec,
} from './render-column.js';
import { readCreateTable, type TableConstraint, type TableDefinition } from './table-definition.js';
import { quoteIdentifier, quoteTableName } from './render-sql-values.js';

/** The single integer primary key, which SQLAlchemy makes auto-incrementing. */
function autoincrementColumn(
  columns: readonly ColumnSpec[],
  primaryKey: readonly string[],
): string | undefined {
  if (primaryKey.length !== 1) return undefined;
  const column = columns.find((c) => c.name === primaryKey[0]);
  if (column === undefined || !isIntegerType(column.type)) return undefined;
  const setting = column.autoincrement;
  if (setting?.kind === 'bool' && !setting.value) return undefined;
  const isAuto = setting === undefined || (setting.kind === 'str' && setting.value === 'auto');
  if (isAuto && (column.foreignKeys.length > 0 || column.serverDefault !== undefined)) {
    return undefined;
  }
  return column.name;
}

export function renderCreateTable(call: CallArguments, dialect: DialectName): string[] {
  return renderTableDefinition(readCreateTable(call), dialect, call.line);
}

/** CREATE TABLE for `table` (under the name `as`, for a rebuild), then its indexes. */
export function renderTableDefinition(
  table: TableDefinition,
  dialect: DialectName,
  line: number,
  as: string = table.name,
): string[] {
  const q = (n: string) => quoteIdentifier(n, dialect);
  const { columns, primaryKey } = table;
  const autoincrement = autoincrementColumn(columns, primaryKey);
  const lines = columns.map((c) =>
    renderColumnDefinition(c, dialect, c.name === autoincrement, line),
  );
  if (primaryKey.length > 0) {
    lines.push(`${named(table.primaryKeyName, q)}PRIMARY KEY (${primaryKey.map(q).join(', ')})`);
  }
  for (const constraint of table.constraints) lines.push(renderConstraint(constraint, dialect));
  return [
    `CREATE TABLE ${quoteTableName(as, dialect, table.schema)} (\n    ${lines.join(',\n    ')}\n)`,
    ...renderIndexes(table, dialect),
  ];
}

/** CREATE INDEX for each index of `table`. */
export function renderIndexes(table: TableDefinition, dialect: DialectName): string[] {
  const q = (n: string) => quoteIdentifier(n, dialect);
  const tableSql = quoteTableName(table.name, dialect, table.schema);
  return table.indexes.map(
    (index) =>
      `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX ${q(index.name)} ON ${tableSql} (${index.columns.map((c) => (typeof c === 'string' ? q(c) : c.sql)).join(', ')})`,
  );
}

export function renderConstraint(constraint: TableConstraint, dialect: DialectName): string {
  const q = (n: string) => quoteIdentifier(n, dialect);
  switch (constraint.kind) {
    case 'unique':
      return `${named(constraint.name, q)}UNIQUE (${constraint.columns.map(q).join(', ')})`;
    case 'foreign-key':
      return renderForeignKey(constraint.foreignKey, dialect);
    case 'check':
      return `${named(constraint.name, q)}CHECK (${constraint.sql})`;
  }
}

function named(name: string | undefined, q: (n: string) => string): string {
  return name === undefined ? '' : `CONSTRAINT ${q(name)} `;
}

/** `op.add_column(table, sa.Column(…))`, with the constraints and index its flags ask for. */
export function renderAddColumn(
  table: string,
  schema: string | undefined,
  columnValue: PythonValue,
  dialect: DialectName,
  line: number,
): string[] {
  const column = readColumn(columnValue, line);
  const tableSql = quoteTableName(table, dialect, schema);
  const q = (n: string) => quoteIdentifier(n, dialect);
  const statements = [
    `ALTER TABLE ${tableSql} ADD COLUMN ${renderColumnDefinition(column, dialect, false, line)}`,
  ];
  const constraints = [
    ...column.foreignKeys.map((fk) => renderForeignKey(fk, dialect)),
    ...(column.isUnique && !column.hasIndex ? [`UNIQUE (${q(column.name)})`] : []),
  ];
  if (constraints.length > 0 && dialect === 'sqlite') {
    // Alembic raises here too: SQLite has no ALTER TABLE … ADD CONSTRAINT.
    throw new NotConvertible(
      'add_column with a foreign key or unique constraint on SQLite (Alembic needs batch mode for it)',
      line,
    );
  }
  for (const constraint of constraints)
    statements.push(`ALTER TABLE ${tableSql} ADD ${constraint}`);
  if (column.hasIndex) {
    statements.push(
      `CREATE ${column.isUnique ? 'UNIQUE ' : ''}INDEX ${q(`ix_${table}_${column.name}`)} ON ${tableSql} (${q(column.name)})`,
    );
  }
  return statements;
}
