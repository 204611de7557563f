// sa.Column and sa.ForeignKey read into their parts, and written as the column definitions and
// constraints SQLAlchemy's dialects emit. Pure: values in, SQL text out.

import type { DialectName } from '../../../db/dialect-name.js';
import { NotConvertible, describeValue, type PythonValue } from './python-value.js';
import { renderColumnType } from './render-column-type.js';
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

export function flag(
  value: PythonValue | undefined,
  fallback: boolean,
  what: string,
  line: number,
): boolean {
  if (value === undefined || value.kind === 'none') return fallback;
  if (value.kind === 'bool') return value.value;
  throw new NotConvertible(`${what}=${describeValue(value)}`, line);
}

export function optionalString(
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
  const defaultSql =
    column.serverDefault !== undefined && column.serverDefault.kind !== 'none'
      ? [`DEFAULT ${renderServerDefault(column.serverDefault, dialect, line)}`]
      : [];
  const notNull = column.nullable ? [] : ['NOT NULL'];
  // SQLAlchemy's MySQL compiler writes NOT NULL before DEFAULT; the others after it.
  parts.push(...(dialect === 'mysql' ? [...notNull, ...defaultSql] : [...defaultSql, ...notNull]));
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
