// SQLite's PRAGMA statement, which node-sql-parser does not read. Its grammar is
// `PRAGMA [schema.]name [= value | (value)]` (https://www.sqlite.org/pragma.html#syntax): a
// regular language, so one anchored pattern over the whole statement reads it exactly.

import type { StatementFact } from '../statement-facts.js';

const pragma =
  /^\s*PRAGMA\s+(?:[A-Za-z_][\w$]*\s*\.\s*)?([A-Za-z_][\w$]*)\s*(?:=\s*([^;()]*?)|\(\s*([^;()]*?)\s*\))?\s*;?\s*$/i;

/** The PRAGMA's fact, or undefined when the statement is not a PRAGMA. */
export function readSqlitePragma(statement: string): StatementFact | undefined {
  const match = pragma.exec(stripComments(statement));
  if (match === null) return undefined;
  const value = (match[2] ?? match[3])?.trim().replace(/^'(.*)'$/, '$1');
  return { kind: 'pragma', name: (match[1] ?? '').toLowerCase(), value: value || undefined };
}

/** Leading `--` comment lines: the splitter keeps the comments above a statement with it. */
function stripComments(statement: string): string {
  return statement
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
}
