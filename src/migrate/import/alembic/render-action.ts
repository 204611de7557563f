// One action of a revision function (raw SQL or an `op.*` directive) as the statements Alembic
// would send to a database of the given dialect. Throws NotConvertible where Alembic's SQL would
// depend on what only the live database knows (SQLite's table recreation in batch mode).

import type { DialectName } from '../../../db/dialect-name.js';
import type { RevisionAction } from './interpret-function.js';
import {
  NotConvertible,
  describeValue,
  type CallArguments,
  type PythonValue,
} from './python-value.js';
import { renderColumnType } from './render-column-type.js';
import {
  fillBindParameters,
  quoteIdentifier,
  quoteTableName,
  renderLiteral,
} from './render-sql-values.js';
import {
  nameOf,
  renderAddColumn,
  renderCreateTable,
  renderForeignKey,
  renderServerDefault,
  strings,
} from './render-table.js';

/** The statements of one action on one dialect, each without a trailing semicolon. */
export function renderAction(action: RevisionAction, dialect: DialectName): string[] {
  if (action.kind === 'sql') {
    return [
      action.parameters === undefined
        ? action.sql
        : fillBindParameters(action.sql, action.parameters, dialect, action.line),
    ];
  }
  return renderDirective(action.directive, action.call, action.batchTable, dialect);
}

/** Positional-or-keyword argument `index`/`keyword` of a call. */
function argument(
  call: CallArguments,
  index: number,
  keyword: string,
  batchShift: number,
): PythonValue | undefined {
  return call.kwargs.get(keyword) ?? call.args[index - batchShift];
}

function stringArgument(
  call: CallArguments,
  index: number,
  keyword: string,
  shift: number,
  what: string,
): string {
  const value = argument(call, index, keyword, shift);
  const name = nameOf(value, call.line);
  if (name === undefined) throw new NotConvertible(`${what} is ${describeValue(value)}`, call.line);
  return name;
}

// Where each directive takes its table (batch_op.* take it from the block instead).
const tableArgument: Readonly<Record<string, { index: number; keyword: string }>> = {
  drop_table: { index: 0, keyword: 'table_name' },
  rename_table: { index: 0, keyword: 'old_table_name' },
  add_column: { index: 0, keyword: 'table_name' },
  drop_column: { index: 0, keyword: 'table_name' },
  alter_column: { index: 0, keyword: 'table_name' },
  create_index: { index: 1, keyword: 'table_name' },
  drop_index: { index: 1, keyword: 'table_name' },
  create_unique_constraint: { index: 1, keyword: 'table_name' },
  create_check_constraint: { index: 1, keyword: 'table_name' },
  create_primary_key: { index: 1, keyword: 'table_name' },
  create_foreign_key: { index: 1, keyword: 'source_table' },
  drop_constraint: { index: 1, keyword: 'table_name' },
};

// Directives whose batch form on SQLite Alembic runs without recreating the table.
const sqliteBatchInPlace = new Set(['add_column', 'create_index', 'drop_index']);

function renderDirective(
  directive: string,
  call: CallArguments,
  batchTable: string | undefined,
  dialect: DialectName,
): string[] {
  const { line } = call;
  const q = (n: string) => quoteIdentifier(n, dialect);
  // In a batch block the table is the block's, and every later argument moves one place left.
  const shift = batchTable === undefined ? 0 : 1;
  if (directive === 'create_table') return renderCreateTable(call, dialect);
  if (directive === 'bulk_insert') return renderBulkInsert(call, dialect);
  const tableAt = tableArgument[directive];
  if (tableAt === undefined) throw new NotConvertible(`op.${directive}()`, line);
  const tableValue = argument(call, tableAt.index, tableAt.keyword, 0);
  const table =
    batchTable ??
    (directive === 'drop_index' && tableValue === undefined && dialect !== 'mysql'
      ? ''
      : stringArgument(call, tableAt.index, tableAt.keyword, 0, `the table of ${directive}`));
  const schemaValue = call.kwargs.get('schema');
  const schema = schemaValue?.kind === 'str' ? schemaValue.value : undefined;
  const tableSql = quoteTableName(table, dialect, schema);
  if (
    batchTable !== undefined &&
    dialect === 'sqlite' &&
    !sqliteBatchInPlace.has(directive) &&
    !isSqliteNative(directive, call)
  ) {
    throw new NotConvertible(
      `batch_op.${directive}() on SQLite, where Alembic recreates the table from its live definition; write that recreation by hand`,
      line,
    );
  }
  switch (directive) {
    case 'drop_table':
      return [`DROP TABLE ${tableSql}`];
    case 'rename_table': {
      const newName = quoteTableName(
        stringArgument(call, 1, 'new_table_name', 0, 'the new table name'),
        dialect,
      );
      return [
        dialect === 'mysql'
          ? `ALTER TABLE ${tableSql} RENAME ${newName}`
          : `ALTER TABLE ${tableSql} RENAME TO ${newName}`,
      ];
    }
    case 'add_column': {
      const column = argument(call, 1, 'column', shift);
      if (column === undefined) throw new NotConvertible('add_column without a column', line);
      return renderAddColumn(table, schema, column, dialect, line);
    }
    case 'drop_column':
      return [
        `ALTER TABLE ${tableSql} DROP COLUMN ${q(stringArgument(call, 1, 'column_name', shift, 'the column'))}`,
      ];
    case 'alter_column':
      return renderAlterColumn(
        tableSql,
        stringArgument(call, 1, 'column_name', shift, 'the column'),
        call,
        dialect,
      );
    case 'create_index': {
      const name = stringArgument(call, 0, 'index_name', 0, 'the index name');
      const columnsValue = argument(call, 2, 'columns', shift);
      const items =
        columnsValue?.kind === 'list'
          ? columnsValue.items
          : columnsValue === undefined
            ? []
            : [columnsValue];
      const columns = items.map((item) =>
        item.kind === 'str'
          ? q(item.value)
          : item.kind === 'call' && item.callee === 'sa.text' && item.call.args[0]?.kind === 'str'
            ? item.call.args[0].value
            : (() => {
                throw new NotConvertible(`an index column given as ${describeValue(item)}`, line);
              })(),
      );
      const unique = call.kwargs.get('unique');
      const isUnique = unique?.kind === 'bool' && unique.value;
      return [
        `CREATE ${isUnique ? 'UNIQUE ' : ''}INDEX ${q(name)} ON ${tableSql} (${columns.join(', ')})`,
      ];
    }
    case 'drop_index': {
      const name = stringArgument(call, 0, 'index_name', 0, 'the index name');
      if (dialect !== 'mysql')
        return [`DROP INDEX ${schema === undefined ? q(name) : `${q(schema)}.${q(name)}`}`];
      return [`DROP INDEX ${q(name)} ON ${tableSql}`];
    }
    case 'create_unique_constraint':
    case 'create_check_constraint':
    case 'create_primary_key':
    case 'create_foreign_key': {
      if (dialect === 'sqlite') {
        throw new NotConvertible(
          `${directive} on SQLite, which has no ALTER TABLE … ADD CONSTRAINT (Alembic raises too)`,
          line,
        );
      }
      const name = nameOf(argument(call, 0, 'constraint_name', 0), line);
      const named = name === undefined ? '' : `CONSTRAINT ${q(name)} `;
      if (directive === 'create_foreign_key') {
        const referent = stringArgument(call, 2, 'referent_table', shift, 'the referred table');
        return [
          `ALTER TABLE ${tableSql} ADD ${renderForeignKey(
            {
              name,
              columns: strings(argument(call, 3, 'local_cols', shift), 'a local column', line),
              referredTable: referent,
              referredColumns: strings(
                argument(call, 4, 'remote_cols', shift),
                'a remote column',
                line,
              ),
              onDelete: optional(call.kwargs.get('ondelete')),
              onUpdate: optional(call.kwargs.get('onupdate')),
            },
            dialect,
          )}`,
        ];
      }
      if (directive === 'create_check_constraint') {
        const condition = argument(call, 2, 'condition', shift);
        const sql =
          condition?.kind === 'str'
            ? condition.value
            : condition?.kind === 'call' &&
                condition.callee === 'sa.text' &&
                condition.call.args[0]?.kind === 'str'
              ? condition.call.args[0].value
              : undefined;
        if (sql === undefined)
          throw new NotConvertible(`a check condition given as ${describeValue(condition)}`, line);
        return [`ALTER TABLE ${tableSql} ADD ${named}CHECK (${sql})`];
      }
      const columns = strings(argument(call, 2, 'columns', shift), 'a constraint column', line)
        .map(q)
        .join(', ');
      return [
        `ALTER TABLE ${tableSql} ADD ${named}${directive === 'create_primary_key' ? 'PRIMARY KEY' : 'UNIQUE'} (${columns})`,
      ];
    }
    case 'drop_constraint': {
      if (dialect === 'sqlite')
        throw new NotConvertible('drop_constraint on SQLite (Alembic raises too)', line);
      const name = stringArgument(call, 0, 'constraint_name', 0, 'the constraint name');
      const type = optional(call.kwargs.get('type_'));
      if (dialect === 'mysql') {
        if (type === 'foreignkey') return [`ALTER TABLE ${tableSql} DROP FOREIGN KEY ${q(name)}`];
        if (type === 'unique') return [`ALTER TABLE ${tableSql} DROP INDEX ${q(name)}`];
        if (type === 'primary') return [`ALTER TABLE ${tableSql} DROP PRIMARY KEY`];
        if (type === 'check') return [`ALTER TABLE ${tableSql} DROP CHECK ${q(name)}`];
      }
      return [`ALTER TABLE ${tableSql} DROP CONSTRAINT ${q(name)}`];
    }
    default:
      throw new NotConvertible(`op.${directive}()`, line);
  }
}

/** batch_op.alter_column that SQLite can do in place: a rename and nothing else. */
function isSqliteNative(directive: string, call: CallArguments): boolean {
  if (directive === 'drop_column') return true;
  if (directive !== 'alter_column') return false;
  const keys = [...call.kwargs.keys()].filter((k) => !k.startsWith('existing_'));
  return keys.length === 1 && keys[0] === 'new_column_name';
}

function optional(value: PythonValue | undefined): string | undefined {
  return value?.kind === 'str' ? value.value : undefined;
}

const alterKeywords = new Set([
  'nullable',
  'type_',
  'new_column_name',
  'server_default',
  'schema',
  'column_name',
  'table_name',
]);

function renderAlterColumn(
  tableSql: string,
  column: string,
  call: CallArguments,
  dialect: DialectName,
): string[] {
  const { line, kwargs } = call;
  const q = (n: string) => quoteIdentifier(n, dialect);
  for (const key of kwargs.keys()) {
    if (!alterKeywords.has(key) && !key.startsWith('existing_') && !key.startsWith('postgresql_')) {
      throw new NotConvertible(`alter_column(${key}=…)`, line);
    }
  }
  const nullable = kwargs.get('nullable');
  const type = kwargs.get('type_');
  const newName = optional(kwargs.get('new_column_name'));
  const serverDefault = kwargs.get('server_default');
  const existingType = kwargs.get('existing_type');
  const existingNullable = kwargs.get('existing_nullable');
  const alter = `ALTER TABLE ${tableSql}`;
  if (
    dialect === 'mysql' &&
    (nullable !== undefined || type !== undefined || newName !== undefined)
  ) {
    // MySQL restates the whole column (MODIFY / CHANGE), as Alembic's MySQL implementation does.
    const columnType = type ?? existingType;
    if (columnType === undefined)
      throw new NotConvertible('alter_column on MySQL without type_ or existing_type', line);
    const isNullable =
      nullable?.kind === 'bool'
        ? nullable.value
        : existingNullable?.kind === 'bool'
          ? existingNullable.value
          : true;
    const defaultValue = serverDefault ?? kwargs.get('existing_server_default');
    const defaultSql =
      defaultValue === undefined ||
      defaultValue.kind === 'none' ||
      (defaultValue.kind === 'bool' && !defaultValue.value)
        ? ''
        : ` DEFAULT ${renderServerDefault(defaultValue, dialect, line)}`;
    const spec = `${renderColumnType(columnType, dialect, line)} ${isNullable ? 'NULL' : 'NOT NULL'}${defaultSql}`;
    return [
      newName === undefined
        ? `${alter} MODIFY ${q(column)} ${spec}`
        : `${alter} CHANGE ${q(column)} ${q(newName)} ${spec}`,
    ];
  }
  const statements: string[] = [];
  if (nullable?.kind === 'bool')
    statements.push(
      `${alter} ALTER COLUMN ${q(column)} ${nullable.value ? 'DROP' : 'SET'} NOT NULL`,
    );
  if (serverDefault !== undefined) {
    statements.push(
      serverDefault.kind === 'none' || (serverDefault.kind === 'bool' && !serverDefault.value)
        ? `${alter} ALTER COLUMN ${q(column)} DROP DEFAULT`
        : `${alter} ALTER COLUMN ${q(column)} SET DEFAULT ${renderServerDefault(serverDefault, dialect, line)}`,
    );
  }
  if (type !== undefined) {
    const using = optional(kwargs.get('postgresql_using'));
    statements.push(
      `${alter} ALTER COLUMN ${q(column)} TYPE ${renderColumnType(type, dialect, line)}${using !== undefined && dialect === 'postgresql' ? ` USING ${using}` : ''}`,
    );
  }
  if (newName !== undefined) {
    statements.push(
      dialect === 'sqlite'
        ? `${alter} RENAME COLUMN ${q(column)} TO ${q(newName)}`
        : `${alter} RENAME ${q(column)} TO ${q(newName)}`,
    );
  }
  if (statements.length === 0)
    throw new NotConvertible('alter_column that changes nothing the importer reads', line);
  return statements;
}

/** `op.bulk_insert(table, rows)`: one INSERT per row, each value a literal of the dialect. */
function renderBulkInsert(call: CallArguments, dialect: DialectName): string[] {
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
