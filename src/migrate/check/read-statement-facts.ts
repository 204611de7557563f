// One statement of one dialect → its facts, through that dialect's parser; a string when the
// parser could not read it (the caller reports it as "not analysed").

import type { DialectName } from '../../db/dialect-name.js';
import { readPostgresFacts } from './parse/postgres-facts.js';
import { readSqlParserFacts } from './parse/sql-parser-facts.js';
import type { StatementFact } from './statement-facts.js';

export { loadPostgresParser } from './parse/postgres-facts.js';

/** Call `await loadPostgresParser()` first when `dialect` is postgresql. */
export function readStatementFacts(
  statement: string,
  dialect: DialectName,
): StatementFact[] | string {
  return dialect === 'postgresql'
    ? readPostgresFacts(statement)
    : readSqlParserFacts(statement, dialect);
}
