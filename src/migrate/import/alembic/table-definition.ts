// A table's definition as the importer knows it, dialect-neutral: `op.create_table`'s columns,
// primary key, constraints and indexes read into parts (the flags of each sa.Column turned into
// the table's constraints and indexes, in the order SQLAlchemy emits them). Rendered as DDL by
// render-create-table.ts; changed by the later directives in known-tables.ts.

import { sqlTextOf } from './directive-call.js';
import {
  NotConvertible,
  describeValue,
  type CallArguments,
  type PythonValue,
} from './python-value.js';
import {
  flag,
  nameOf,
  optionalString,
  readColumn,
  strings,
  type ColumnSpec,
  type ForeignKeySpec,
} from './render-column.js';

/** A table-level constraint, after the primary key. */
export type TableConstraint =
  | { readonly kind: 'unique'; readonly name: string | undefined; readonly columns: string[] }
  | { readonly kind: 'foreign-key'; readonly foreignKey: ForeignKeySpec }
  | { readonly kind: 'check'; readonly name: string | undefined; readonly sql: string };

/** An index: column names, or SQL expressions (`sa.text('lower(name)')`). */
export interface IndexSpec {
  readonly name: string;
  readonly columns: readonly (string | { readonly sql: string })[];
  readonly isUnique: boolean;
}

export interface TableDefinition {
  readonly name: string;
  readonly schema: string | undefined;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  readonly primaryKeyName: string | undefined;
  readonly constraints: readonly TableConstraint[];
  readonly indexes: readonly IndexSpec[];
}

/** `op.create_table(name, *items, **options)` read into a definition. */
export function readCreateTable(call: CallArguments): TableDefinition {
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
  const parts = {
    columns: [] as ColumnSpec[],
    primaryKey: [] as string[],
    primaryKeyName: undefined as string | undefined,
    constraints: [] as TableConstraint[],
    indexes: [] as IndexSpec[],
  };
  for (const item of items) readTableItem(item, parts, line);
  const columnFlags = parts.columns.flatMap((column) => columnConstraints(table, column));
  return {
    name: table,
    schema: optionalString(call.kwargs.get('schema'), 'schema', line),
    columns: parts.columns,
    primaryKey:
      parts.primaryKey.length > 0
        ? parts.primaryKey
        : parts.columns.filter((c) => c.isPrimaryKey).map((c) => c.name),
    primaryKeyName: parts.primaryKeyName,
    constraints: [...parts.constraints, ...columnFlags.flatMap((f) => f.constraints)],
    indexes: [...columnFlags.flatMap((f) => f.indexes), ...parts.indexes],
  };
}

/** The constraints and index a column's flags ask for (`sa.ForeignKey`, `unique`, `index`). */
export function columnConstraints(
  table: string,
  column: ColumnSpec,
): { constraints: TableConstraint[]; indexes: IndexSpec[] } {
  const constraints: TableConstraint[] = column.foreignKeys.map((foreignKey) => ({
    kind: 'foreign-key',
    foreignKey,
  }));
  if (column.isUnique && !column.hasIndex) {
    constraints.push({ kind: 'unique', name: undefined, columns: [column.name] });
  }
  const indexes = column.hasIndex
    ? [{ name: `ix_${table}_${column.name}`, columns: [column.name], isUnique: column.isUnique }]
    : [];
  return { constraints, indexes };
}

/** One positional argument of create_table after the name: a column, a constraint, an index. */
function readTableItem(
  item: PythonValue,
  parts: {
    columns: ColumnSpec[];
    primaryKey: string[];
    primaryKeyName: string | undefined;
    constraints: TableConstraint[];
    indexes: IndexSpec[];
  },
  line: number,
): void {
  if (item.kind !== 'call')
    throw new NotConvertible(`${describeValue(item)} in create_table`, line);
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
      parts.constraints.push({
        kind: 'unique',
        name: nameOf(kw.get('name'), line),
        columns: columnsOf(item.call.args, 'a unique constraint column'),
      });
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
      parts.constraints.push({
        kind: 'foreign-key',
        foreignKey: {
          name: nameOf(kw.get('name'), line),
          columns: strings(local ?? kw.get('columns'), 'a foreign key column', line),
          referredTable,
          referredColumns: referred.map((r) => r.slice(r.lastIndexOf('.') + 1)),
          onDelete: optionalString(kw.get('ondelete'), 'ondelete', line),
          onUpdate: optionalString(kw.get('onupdate'), 'onupdate', line),
        },
      });
      return;
    }
    case 'sa.CheckConstraint': {
      const sql = sqlTextOf(item.call.args[0] ?? kw.get('sqltext'));
      if (sql === undefined)
        throw new NotConvertible('a sa.CheckConstraint whose condition is not a literal', line);
      parts.constraints.push({ kind: 'check', name: nameOf(kw.get('name'), line), sql });
      return;
    }
    case 'sa.Index': {
      const [indexName, ...columns] = item.call.args;
      const name = nameOf(indexName, line);
      if (name === undefined) throw new NotConvertible('a sa.Index without a name', line);
      parts.indexes.push({
        name,
        columns: columnsOf(columns, 'an index column'),
        isUnique: flag(kw.get('unique'), false, 'unique', line),
      });
      return;
    }
    default:
      throw new NotConvertible(`${item.callee}(…) in create_table`, line);
  }
}
