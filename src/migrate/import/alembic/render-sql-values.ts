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
 * `sql` with each `:name` bind parameter replaced by its value as a literal, found as SQLAlchemy's
 * text() finds them: by its regular expression over the whole text (quotes and comments are not
 * skipped, as they are not by SQLAlchemy), `::` casts left alone, `\:` an escaped colon. A
 * parameter without a value is not converted: SQLAlchemy would refuse to run the statement.
 */
export function fillBindParameters(
  sql: string,
  parameters: ReadonlyMap<string, PythonValue>,
  dialect: DialectName,
  line: number,
): string {
  // sqlalchemy/sql/elements.py, TextClause._bind_params_regex.
  const filled = sql.replace(/(?<![:\w\\]):(\w+)(?!:)/g, (_whole, name: string) => {
    const value = parameters.get(name);
    if (value === undefined) {
      throw new NotConvertible(
        `the bind parameter :${name} has no value (write \\: for a colon)`,
        line,
      );
    }
    return renderLiteral(value, dialect, line);
  });
  return filled.replace(/\\:/g, ':');
}
