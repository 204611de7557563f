// `op.create_table` and `op.add_column`: sa.Column and the table's constraints as the DDL
// SQLAlchemy's dialects emit (SERIAL / AUTO_INCREMENT for the single integer primary key,
// constraints after the columns, `ix_<table>_<column>` for `index=True`).

import type { DialectName } from '../../../db/dialect-name.js';
import type { CallArguments, PythonValue } from './python-value.js';
import { NotConvertible, describeValue } from './python-value.js';
import { isIntegerType, renderColumnType } from './render-column-type.js';
import { quoteIdentifier, quoteTableName, renderLiteral } from './render-sql-values.js';

/** A `sa.Column(…)` read into its parts. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: PythonValue;
  readonly nullable: boolean;
  readonly isPrimaryKey: boolean;
  readonly serverDefault: PythonValue | undefined;
  readonly autoincrement: PythonValue | undefined;
  readonly isUnique: boolean;
  readonly hasIndex: boolean;
  readonly foreignKeys: readonly ForeignKeySpec[];
}

export interface ForeignKeySpec {
  readonly name: string | undefined;
  readonly columns: readonly string[];
  readonly referredTable: string;
  readonly referredColumns: readonly string[];
  readonly onDelete: string | undefined;
  readonly onUpdate: string | undefined;
}

const columnKeywords = new Set([
  'nullable',
  'primary_key',
  'server_default',
  'autoincrement',
  'unique',
  'index',
  'comment',
  'default',
  'type_',
  'name',
]);

/** A constraint name: a string or `op.f('…')` (a name the naming convention must not touch). */
export function nameOf(value: PythonValue | undefined, line: number): string | undefined {
  if (value === undefined || value.kind === 'none') return undefined;
  if (value.kind === 'str') return value.value;
  if (value.kind === 'call' && value.callee === 'op.f' && value.call.args[0]?.kind === 'str')
    return value.call.args[0].value;
  throw new NotConvertible(`the name ${describeValue(value)}`, line);
}

export function strings(value: PythonValue | undefined, what: string, line: number): string[] {
  const items = value?.kind === 'list' ? value.items : value === undefined ? [] : [value];
  return items.map((item) => {
    if (item.kind === 'str') return item.value;
    throw new NotConvertible(`${what} given as ${describeValue(item)}`, line);
  });
}

function flag(
  value: PythonValue | undefined,
  fallback: boolean,
  what: string,
  line: number,
): boolean {
  if (value === undefined || value.kind === 'none') return fallback;
  if (value.kind === 'bool') return value.value;
  throw new NotConvertible(`${what}=${describeValue(value)}`, line);
}

function optionalString(
  value: PythonValue | undefined,
  what: string,
  line: number,
): string | undefined {
  if (value === undefined || value.kind === 'none') return undefined;
  if (value.kind === 'str') return value.value;
  throw new NotConvertible(`${what}=${describeValue(value)}`, line);
}

export function readColumn(value: PythonValue, line: number): ColumnSpec {
  if (value.kind !== 'call' || value.callee !== 'sa.Column') {
    throw new NotConvertible(`${describeValue(value)} where a sa.Column was expected`, line);
  }
  const { args, kwargs } = value.call;
  for (const key of kwargs.keys()) {
    if (!columnKeywords.has(key)) throw new NotConvertible(`sa.Column(${key}=…)`, line);
  }
  if (kwargs.has('default')) {
    throw new NotConvertible(
      'sa.Column(default=…), a value Python computes (use server_default)',
      line,
    );
  }
  const [nameValue, typeValue, ...rest] = args;
  const name = kwargs.get('name') ?? nameValue;
  if (name?.kind !== 'str') throw new NotConvertible('a sa.Column without a literal name', line);
  const type = kwargs.get('type_') ?? typeValue;
  if (type === undefined) throw new NotConvertible(`the column ${name.value} has no type`, line);
  const foreignKeys = rest.map((item): ForeignKeySpec => {
    if (item.kind !== 'call' || item.callee !== 'sa.ForeignKey') {
      throw new NotConvertible(
        `${describeValue(item)} in sa.Column(${JSON.stringify(name.value)}, …)`,
        line,
      );
    }
    const target = item.call.args[0] ?? item.call.kwargs.get('column');
    if (target?.kind !== 'str' || !target.value.includes('.')) {
      throw new NotConvertible(
        'a sa.ForeignKey whose target is not a literal "table.column"',
        line,
      );
    }
    const dot = target.value.lastIndexOf('.');
    return {
      name: nameOf(item.call.kwargs.get('name'), line),
      columns: [name.value],
      referredTable: target.value.slice(0, dot),
      referredColumns: [target.value.slice(dot + 1)],
      onDelete: optionalString(item.call.kwargs.get('ondelete'), 'ondelete', line),
      onUpdate: optionalString(item.call.kwargs.get('onupdate'), 'onupdate', line),
    };
  });
  const isPrimaryKey = flag(kwargs.get('primary_key'), false, 'primary_key', line);
  return {
    name: name.value,
    type,
    isPrimaryKey,
    nullable: flag(kwargs.get('nullable'), !isPrimaryKey, 'nullable', line),
    serverDefault: kwargs.get('server_default'),
    autoincrement: kwargs.get('autoincrement'),
    isUnique: flag(kwargs.get('unique'), false, 'unique', line),
    hasIndex: flag(kwargs.get('index'), false, 'index', line),
    foreignKeys,
  };
}

/** `server_default=` as SQL: a string is a literal, text(…) and func.*() are SQL as written. */
export function renderServerDefault(
  value: PythonValue,
  dialect: DialectName,
  line: number,
): string {
  if (value.kind === 'str') return renderLiteral(value, dialect, line);
  if (value.kind === 'call' && value.callee === 'sa.text' && value.call.args[0]?.kind === 'str') {
    const sql = value.call.args[0].value;
    return dialect === 'sqlite' ? `(${sql})` : sql;
  }
  if (
    value.kind === 'call' &&
    value.callee.startsWith('sa.func.') &&
    value.call.args.length === 0
  ) {
    const fn = value.callee.slice('sa.func.'.length).toLowerCase();
    if (fn === 'now' || fn === 'current_timestamp') {
      if (dialect === 'sqlite') return '(CURRENT_TIMESTAMP)';
      return fn === 'now' ? 'now()' : 'CURRENT_TIMESTAMP';
    }
  }
  throw new NotConvertible(`server_default=${describeValue(value)}`, line);
}

/** `name TYPE [DEFAULT …] [NOT NULL]`, as SQLAlchemy writes a column. */
export function renderColumnDefinition(
  column: ColumnSpec,
  dialect: DialectName,
  isAutoincrement: boolean,
  line: number,
): string {
  const name = quoteIdentifier(column.name, dialect);
  let type = renderColumnType(column.type, dialect, line);
  if (isAutoincrement && dialect === 'postgresql') {
    type = type === 'BIGINT' ? 'BIGSERIAL' : type === 'SMALLINT' ? 'SMALLSERIAL' : 'SERIAL';
  }
  const parts = [name, type];
  if (column.serverDefault !== undefined && column.serverDefault.kind !== 'none') {
    parts.push(`DEFAULT ${renderServerDefault(column.serverDefault, dialect, line)}`);
  }
  if (!column.nullable) parts.push('NOT NULL');
  if (isAutoincrement && dialect === 'mysql') parts.push('AUTO_INCREMENT');
  return parts.join(' ');
}

export function renderForeignKey(fk: ForeignKeySpec, dialect: DialectName): string {
  const q = (n: string) => quoteIdentifier(n, dialect);
  const named = fk.name === undefined ? '' : `CONSTRAINT ${q(fk.name)} `;
  let sql = `${named}FOREIGN KEY(${fk.columns.map(q).join(', ')}) REFERENCES ${referredTable(fk.referredTable, dialect)} (${fk.referredColumns.map(q).join(', ')})`;
  if (fk.onDelete !== undefined) sql += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate !== undefined) sql += ` ON UPDATE ${fk.onUpdate}`;
  return sql;
}

function referredTable(name: string, dialect: DialectName): string {
  const [schema, table] = name.includes('.') ? name.split('.', 2) : [undefined, name];
  return quoteTableName(table ?? name, dialect, schema);
}

/** The one column SQLAlchemy makes auto-incrementing: the single integer primary key. */
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
  if (isAuto && (column.foreignKeys.length > 0 || column.serverDefault !== undefined))
    return undefined;
  return column.name;
}

export function renderCreateTable(call: CallArguments, dialect: DialectName): string[] {
  const { line } = call;
  const [nameValue, ...items] = call.args;
  if (nameValue?.kind !== 'str')
    throw new NotConvertible('create_table without a literal table name', line);
  const schema = optionalString(call.kwargs.get('schema'), 'schema', line);
  for (const key of call.kwargs.keys()) {
    if (
      key !== 'schema' &&
      !key.startsWith(`${dialect}_`) &&
      !/^(mysql|postgresql|sqlite|mariadb)_/.test(key) &&
      key !== 'comment'
    ) {
      throw new NotConvertible(`create_table(${key}=…)`, line);
    }
  }
  const table = nameValue.value;
  const q = (n: string) => quoteIdentifier(n, dialect);
  const columns: ColumnSpec[] = [];
  const explicit: string[] = [];
  const extraIndexes: string[] = [];
  let primaryKey: string[] = [];
  let primaryKeyName: string | undefined;
  for (const item of items) {
    if (item.kind !== 'call')
      throw new NotConvertible(`${describeValue(item)} in create_table`, line);
    const kw = item.call.kwargs;
    switch (item.callee) {
      case 'sa.Column':
        columns.push(readColumn(item, line));
        break;
      case 'sa.PrimaryKeyConstraint':
        primaryKey = strings({ kind: 'list', items: item.call.args }, 'a primary key column', line);
        primaryKeyName = nameOf(kw.get('name'), line);
        break;
      case 'sa.UniqueConstraint': {
        const name = nameOf(kw.get('name'), line);
        const cols = strings(
          { kind: 'list', items: item.call.args },
          'a unique constraint column',
          line,
        );
        explicit.push(
          `${name === undefined ? '' : `CONSTRAINT ${q(name)} `}UNIQUE (${cols.map(q).join(', ')})`,
        );
        break;
      }
      case 'sa.ForeignKeyConstraint': {
        const [local, remote] = item.call.args;
        const referred = strings(remote ?? kw.get('refcolumns'), 'a referred column', line);
        const tables = new Set(referred.map((r) => r.slice(0, r.lastIndexOf('.'))));
        const [referredTableName] = tables;
        if (tables.size !== 1 || referredTableName === undefined || referredTableName === '') {
          throw new NotConvertible(
            'a sa.ForeignKeyConstraint whose columns are not "table.column" of one table',
            line,
          );
        }
        explicit.push(
          renderForeignKey(
            {
              name: nameOf(kw.get('name'), line),
              columns: strings(local ?? kw.get('columns'), 'a foreign key column', line),
              referredTable: referredTableName,
              referredColumns: referred.map((r) => r.slice(r.lastIndexOf('.') + 1)),
              onDelete: optionalString(kw.get('ondelete'), 'ondelete', line),
              onUpdate: optionalString(kw.get('onupdate'), 'onupdate', line),
            },
            dialect,
          ),
        );
        break;
      }
      case 'sa.CheckConstraint': {
        const condition = item.call.args[0] ?? kw.get('sqltext');
        const sql =
          condition?.kind === 'str'
            ? condition.value
            : condition?.kind === 'call' &&
                condition.callee === 'sa.text' &&
                condition.call.args[0]?.kind === 'str'
              ? condition.call.args[0].value
              : undefined;
        if (sql === undefined)
          throw new NotConvertible('a sa.CheckConstraint whose condition is not a literal', line);
        const name = nameOf(kw.get('name'), line);
        explicit.push(`${name === undefined ? '' : `CONSTRAINT ${q(name)} `}CHECK (${sql})`);
        break;
      }
      case 'sa.Index': {
        const [indexName, ...cols] = item.call.args;
        const name = nameOf(indexName, line);
        if (name === undefined) throw new NotConvertible('a sa.Index without a name', line);
        const unique = flag(kw.get('unique'), false, 'unique', line);
        extraIndexes.push(
          `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${q(name)} ON ${quoteTableName(table, dialect, schema)} (${strings({ kind: 'list', items: cols }, 'an index column', line).map(q).join(', ')})`,
        );
        break;
      }
      default:
        throw new NotConvertible(`${item.callee}(…) in create_table`, line);
    }
  }
  if (primaryKey.length === 0)
    primaryKey = columns.filter((c) => c.isPrimaryKey).map((c) => c.name);
  const autoincrement = autoincrementColumn(columns, primaryKey);
  const lines = columns.map((c) =>
    renderColumnDefinition(c, dialect, c.name === autoincrement, line),
  );
  if (primaryKey.length > 0) {
    lines.push(
      `${primaryKeyName === undefined ? '' : `CONSTRAINT ${q(primaryKeyName)} `}PRIMARY KEY (${primaryKey.map(q).join(', ')})`,
    );
  }
  // Constraints passed to create_table are created before the table, so SQLAlchemy orders them
  // before those that the columns' flags make.
  lines.push(...explicit);
  const indexes: string[] = [];
  for (const column of columns) {
    for (const fk of column.foreignKeys) lines.push(renderForeignKey(fk, dialect));
    if (column.hasIndex) {
      indexes.push(
        `CREATE ${column.isUnique ? 'UNIQUE ' : ''}INDEX ${q(`ix_${table}_${column.name}`)} ON ${quoteTableName(table, dialect, schema)} (${q(column.name)})`,
      );
    } else if (column.isUnique) {
      lines.push(`UNIQUE (${q(column.name)})`);
    }
  }
  return [
    `CREATE TABLE ${quoteTableName(table, dialect, schema)} (\n    ${lines.join(',\n    ')}\n)`,
    ...indexes,
    ...extraIndexes,
  ];
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
