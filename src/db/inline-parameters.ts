// A compiled query as one SQL text with its parameters written as literals, for offline SQL
// (`--sql`) only: online queries always stay parameterised. Reads the dialect's placeholder
// style and literals from its adapter; names no dialect.

import type { CompiledQuery } from 'kysely';
import type { DialectAdapter } from './dialect-adapter.js';

/**
 * Replaces the placeholders of `query` (as `dialect.placeholderStyle` says they look) with
 * literals rendered by `dialect.renderLiteral`; quoted strings and identifiers are skipped.
 * Booleans become `1`/`0`, bigints their digits, dates their ISO-8601 text, other objects their
 * JSON text.
 *
 * @throws Error when a number parameter is not finite.
 * @example inlineParameters(db.selectFrom('t').select('a').where('id', '=', 7).compile(), dialect)
 *   // select "a" from "t" where "id" = 7
 */
export function inlineParameters(query: CompiledQuery, dialect: DialectAdapter): string {
  const { sql, parameters } = query;
  if (parameters.length === 0) return sql;
  const literal = (index: number): string => {
    const value = parameters[index];
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'number' || typeof value === 'string') return dialect.renderLiteral(value);
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Date) return dialect.renderLiteral(value.toISOString());
    return dialect.renderLiteral(JSON.stringify(value));
  };
  const questionMarks = dialect.placeholderStyle === 'question-mark';
  let out = '';
  let quote: string | undefined;
  let nextQuestionMark = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql.charAt(i);
    if (quote) {
      out += char;
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      quote = char;
      out += char;
    } else if (char === '?' && questionMarks) {
      out += literal(nextQuestionMark++);
    } else if (char === '$' && !questionMarks && /\d/.test(sql.charAt(i + 1))) {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0] ?? '';
      out += literal(Number(digits) - 1);
      i += digits.length;
    } else {
      out += char;
    }
  }
  return out;
}
