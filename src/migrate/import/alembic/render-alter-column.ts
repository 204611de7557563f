// `op.alter_column` (nullable, type_, new_column_name, server_default) as Alembic's dialect
// implementations write it: ALTER COLUMN per change on PostgreSQL and SQLite, the whole column
// restated with MODIFY / CHANGE on MySQL (which then needs existing_type).

import type { DirectiveCall } from './directive-call.js';
import type { PythonValue } from './python-value.js';
import { renderColumnType } from './render-column-type.js';
import { renderServerDefault } from './render-column.js';

const alterKeywords = new Set([
  'nullable',
  'type_',
  'new_column_name',
  'server_default',
  'schema',
  'column_name',
  'table_name',
]);

/** `server_default=None` (or False) drops the default. */
function isNoDefault(value: PythonValue): boolean {
  return value.kind === 'none' || (value.kind === 'bool' && !value.value);
}

export function renderAlterColumn(call: DirectiveCall, column: string): string[] {
  const { kwargs } = call.call;
  for (const key of kwargs.keys()) {
    if (!alterKeywords.has(key) && !key.startsWith('existing_') && !key.startsWith('postgresql_')) {
      call.fail(`alter_column(${key}=…)`);
    }
  }
  const nullable = kwargs.get('nullable');
  const type = kwargs.get('type_');
  const newName = call.optionalString('new_column_name');
  if (
    call.dialect === 'mysql' &&
    (nullable !== undefined || type !== undefined || newName !== undefined)
  ) {
    return [renderMysqlRestatement(call, column, newName)];
  }
  const { dialect, line } = call;
  const alter = `ALTER TABLE ${call.tableSql} ALTER COLUMN ${call.quote(column)}`;
  const statements: string[] = [];
  if (nullable?.kind === 'bool')
    statements.push(`${alter} ${nullable.value ? 'DROP' : 'SET'} NOT NULL`);
  const serverDefault = kwargs.get('server_default');
  if (serverDefault !== undefined) {
    statements.push(
      isNoDefault(serverDefault)
        ? `${alter} DROP DEFAULT`
        : `${alter} SET DEFAULT ${renderServerDefault(serverDefault, dialect, line)}`,
    );
  }
  if (type !== undefined) {
    const using = call.optionalString('postgresql_using');
    const usingSql = using !== undefined && dialect === 'postgresql' ? ` USING ${using}` : '';
    const retype = `${alter} TYPE ${renderColumnType(type, dialect, line)}${usingSql}`;
    // Alembic's PostgreSQL implementation changes the type first, the others after the rest.
    if (dialect === 'postgresql') statements.unshift(retype);
    else statements.push(retype);
  }
  if (newName !== undefined) {
    const rename = dialect === 'sqlite' ? 'RENAME COLUMN' : 'RENAME';
    statements.push(
      `ALTER TABLE ${call.tableSql} ${rename} ${call.quote(column)} TO ${call.quote(newName)}`,
    );
  }
  if (statements.length === 0) call.fail('alter_column that changes nothing the importer reads');
  return statements;
}

/** MySQL's MODIFY / CHANGE: the column's type, nullability and default, old values where unchanged. */
function renderMysqlRestatement(
  call: DirectiveCall,
  column: string,
  newName: string | undefined,
): string {
  const { kwargs } = call.call;
  const type =
    kwargs.get('type_') ??
    kwargs.get('existing_type') ??
    call.fail('alter_column on MySQL without type_ or existing_type');
  const nullable = kwargs.get('nullable') ?? kwargs.get('existing_nullable');
  // Alembic's MySQL implementation restates an unknown nullability as NULL.
  const isNullable = nullable?.kind === 'bool' ? nullable.value : true;
  const defaultValue = kwargs.get('server_default') ?? kwargs.get('existing_server_default');
  const defaultSql =
    defaultValue === undefined || isNoDefault(defaultValue)
      ? ''
      : ` DEFAULT ${renderServerDefault(defaultValue, call.dialect, call.line)}`;
  const spec = `${renderColumnType(type, call.dialect, call.line)} ${isNullable ? 'NULL' : 'NOT NULL'}${defaultSql}`;
  const alter = `ALTER TABLE ${call.tableSql}`;
  return newName === undefined
    ? `${alter} MODIFY ${call.quote(column)} ${spec}`
    : `${alter} CHANGE ${call.quote(column)} ${call.quote(newName)} ${spec}`;
}
