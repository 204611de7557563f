// The SQL spelling, per dialect, of what SQLAlchemy would send: identifiers (quoted only where
// needed, as SQLAlchemy quotes), literal values, and bind parameters filled in with those literals.

import type { DialectName } from '../../../db/dialect-name.js';
import { NotConvertible, describeValue, type PythonValue } from './python-value.js';

// Words SQLAlchemy quotes on all three databases; the common ones real schemas use as names.
const reservedWords = new Set(
  (
    'all and any as asc between both by case check column constraint create cross current_date ' +
    'current_time current_timestamp current_user default delete desc distinct drop else end ' +
    'except false for foreign from grant group having in index inner insert intersect into is ' +
    'join key leading left like limit natural not null offset on or order outer primary ' +
    'references right select table then to trailing true union unique update user using values ' +
    'when where with'
  ).split(' '),
);

/** A name as SQLAlchemy writes it: bare when lower-case and not reserved, else quoted. */
export function quoteIdentifier(name: string, dialect: DialectName): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !reservedWords.has(name)) return name;
  if (dialect === 'mysql') return `\`${name.replace(/`/g, '``')}\``;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` or `table`, each part quoted as needed. */
export function quoteTableName(name: string, dialect: DialectName, schema?: string): string {
  const table = quoteIdentifier(name, dialect);
  return schema === undefined ? table : `${quoteIdentifier(schema, dialect)}.${table}`;
}

/** A Python value as an SQL literal of the dialect. */
export function renderLiteral(value: PythonValue, dialect: DialectName, line: number): string {
  switch (value.kind) {
    case 'str': {
      // MySQL's default sql_mode reads backslashes in literals as escapes.
      const escaped = dialect === 'mysql' ? value.value.replace(/\\/g, '\\\\') : value.value;
      return `'${escaped.replace(/'/g, "''")}'`;
    }
    case 'number':
      return value.text;
    case 'bool':
      return dialect === 'postgresql' ? (value.value ? 'true' : 'false') : value.value ? '1' : '0';
    case 'none':
      return 'NULL';
    case 'list':
    case 'dict':
    case 'call':
    case 'name':
    case 'connection':
    case 'function':
      throw new NotConvertible(`${describeValue(value)} as an SQL value`, line);
    default:
      return value satisfies never;
  }
}

/**
 * `sql` with each `:name` bind parameter replaced by its value as a literal, as SQLAlchemy's
 * text() finds them: not inside quotes or comments, not `::` casts, `\:` an escaped colon.
 */
export function fillBindParameters(
  sql: string,
  parameters: ReadonlyMap<string, PythonValue>,
  dialect: DialectName,
  line: number,
): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] ?? '';
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '\\' && sql[i + 1] === ':') {
      out += ':';
      i++;
    } else if (c === ':' && sql[i + 1] === ':') {
      out += '::';
      i++;
    } else if (c === ':' && /[A-Za-z_]/.test(sql[i + 1] ?? '') && !/\w/.test(sql[i - 1] ?? '')) {
      const name = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1))?.[0] ?? '';
      const value = parameters.get(name);
      if (value === undefined)
        throw new NotConvertible(`the bind parameter :${name} has no value`, line);
      out += renderLiteral(value, dialect, line);
      i += name.length;
    } else {
      out += c;
    }
  }
  return out;
}

function closingQuote(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i++;
        continue;
      }
      return i;
    }
  }
  return sql.length - 1;
}
