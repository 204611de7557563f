// `op.create_table` and `op.add_column` as the DDL SQLAlchemy's dialects emit: SERIAL /
// AUTO_INCREMENT for the single integer primary key, the primary key and the constraints passed
// to create_table before those the columns' flags make, `ix_<table>_<column>` for `index=True`.

import type { DialectName } from '../../../db/dialect-name.js';
import { sqlTextOf } from './directive-call.js';
import {
  NotConvertible,
  describeValue,
  type CallArguments,
  type PythonValue,
} from './python-value.js';
import { isIntegerType } from './render-column-type.js';
import {
  flag,
  nameOf,
  optionalString,
  readColumn,
  renderColumnDefinition,
  renderForeignKey,
  strings,
  type ColumnSpec,
} from './render-column.js';
import { quoteIdentifier, quoteTableName } from './render-sql-values.js';

/** What the positional arguments of create_table hold, read. */
interface TableParts {
  readonly columns: ColumnSpec[];
  primaryKey: string[];
  primaryKeyName: string | undefined;
  /** Constraints passed to create_table, rendered. */
  readonly constraints: string[];
  /** `sa.Index(…)` passed to create_table, rendered as CREATE INDEX. */
  readonly indexes: string[];
}

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
  const { line } = call;
  const [nameValue, ...items] = call.args;
  if (nameValue?.kind !== 'str') {
    throw new NotConvertible('create_table without a literal table name', line);
  }
  for (const key of call.kwargs.keys()) {
    // Dialect options (mysql_engine=…) and comments change no column, index or constraint.
    if (key !== 'schema' && key !== 'comment' && !/^(mysql|postgresql|sqlite|mariadb)_/.test(key)) {
      throw new NotConvertible(`create_table(${key}=…)`, line);
    }
  }
  const table = nameValue.value;
  const tableSql = quoteTableName(
    table,
    dialect,
    optionalString(call.kwargs.get('schema'), 'schema', line),
  );
  const q = (n: string) => quoteIdentifier(n, dialect);
  const parts: TableParts = {
    columns: [],
    primaryKey: [],
    primaryKeyName: undefined,
    constraints: [],
    indexes: [],
  };
  for (const item of items) readTableItem(item, parts, tableSql, dialect, line);
  const { columns } = parts;
  const primaryKey =
    parts.primaryKey.length > 0
      ? parts.primaryKey
      : columns.filter((c) => c.isPrimaryKey).map((c) => c.name);
  const autoincrement = autoincrementColumn(columns, primaryKey);
  const lines = columns.map((c) =>
    renderColumnDefinition(c, dialect, c.name === autoincrement, line),
  );
  if (primaryKey.length > 0) {
    lines.push(`${named(parts.primaryKeyName, q)}PRIMARY KEY (${primaryKey.map(q).join(', ')})`);
  }
  lines.push(...parts.constraints);
  const flagIndexes: string[] = [];
  for (const column of columns) {
    for (const fk of column.foreignKeys) lines.push(renderForeignKey(fk, dialect));
    if (column.hasIndex) {
      flagIndexes.push(
        `CREATE ${column.isUnique ? 'UNIQUE ' : ''}INDEX ${q(`ix_${table}_${column.name}`)} ON ${tableSql} (${q(column.name)})`,
      );
    } else if (column.isUnique) {
      lines.push(`UNIQUE (${q(column.name)})`);
    }
  }
  return [
    `CREATE TABLE ${tableSql} (\n    ${lines.join(',\n    ')}\n)`,
    ...flagIndexes,
    ...parts.indexes,
  ];
}

function named(name: string | undefined, q: (n: string) => string): string {
  return name === undefined ? '' : `CONSTRAINT ${q(name)} `;
}

/** One positional argument of create_table after the name: a column, a constraint, an index. */
function readTableItem(
  item: PythonValue,
  parts: TableParts,
  tableSql: string,
  dialect: DialectName,
  line: number,
): void {
  if (item.kind !== 'call')
    throw new NotConvertible(`${describeValue(item)} in create_table`, line);
  const q = (n: string) => quoteIdentifier(n, dialect);
  const kw = item.call.kwargs;
  const columnsOf = (values: readonly PythonValue[], what: string) =>
    strings({ kind: 'list', items: values }, what, line);
  switch (item.callee) {
    case 'sa.Column':
      parts.columns.push(readColumn(item, line));
      return;
    case 'sa.PrimaryKeyConstraint':
      parts.primaryKey = columnsOf(item.call.args, 'a primary key column');
      parts.primaryKeyName = nameOf(kw.get('name'), line);
      return;
    case 'sa.UniqueConstraint':
      parts.constraints.push(
        `${named(nameOf(kw.get('name'), line), q)}UNIQUE (${columnsOf(item.call.args, 'a unique constraint column').map(q).join(', ')})`,
      );
      return;
    case 'sa.ForeignKeyConstraint': {
      const [local, remote] = item.call.args;
      const referred = strings(remote ?? kw.get('refcolumns'), 'a referred column', line);
      const tables = new Set(referred.map((r) => r.slice(0, r.lastIndexOf('.'))));
      const [referredTable] = tables;
      if (tables.size !== 1 || referredTable === undefined || referredTable === '') {
        throw new NotConvertible(
          'a sa.ForeignKeyConstraint whose columns are not "table.column" of one table',
          line,
        );
      }
      parts.constraints.push(
        renderForeignKey(
          {
            name: nameOf(kw.get('name'), line),
            columns: strings(local ?? kw.get('columns'), 'a foreign key column', line),
            referredTable,
            referredColumns: referred.map((r) => r.slice(r.lastIndexOf('.') + 1)),
            onDelete: optionalString(kw.get('ondelete'), 'ondelete', line),
            onUpdate: optionalString(kw.get('onupdate'), 'onupdate', line),
          },
          dialect,
        ),
      );
      return;
    }
    case 'sa.CheckConstraint': {
      const sql = sqlTextOf(item.call.args[0] ?? kw.get('sqltext'));
      if (sql === undefined)
        throw new NotConvertible('a sa.CheckConstraint whose condition is not a literal', line);
      parts.constraints.push(`${named(nameOf(kw.get('name'), line), q)}CHECK (${sql})`);
      return;
    }
    case 'sa.Index': {
      const [indexName, ...columns] = item.call.args;
      const name = nameOf(indexName, line);
      if (name === undefined) throw new NotConvertible('a sa.Index without a name', line);
      const unique = flag(kw.get('unique'), false, 'unique', line) ? 'UNIQUE ' : '';
      parts.indexes.push(
        `CREATE ${unique}INDEX ${q(name)} ON ${tableSql} (${columnsOf(columns, 'an index column').map(q).join(', ')})`,
      );
      return;
    }
    default:
      throw new NotConvertible(`${item.callee}(…) in create_table`, line);
  }
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
