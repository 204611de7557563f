// SQLite statements node-sql-parser does not read, whose grammars are regular languages, so one
// anchored pattern over the whole statement reads each exactly:
// `PRAGMA [schema.]name [= value | (value)]` (https://www.sqlite.org/pragma.html#syntax) and
// `DROP TRIGGER [IF EXISTS] [schema.]name` (https://www.sqlite.org/lang_droptrigger.html),
// `BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION]`, `COMMIT|END [TRANSACTION]` and
// `ROLLBACK [TRANSACTION]` (https://www.sqlite.org/lang_transaction.html; a ROLLBACK TO a
// savepoint is not read).

import type { StatementFact } from '../statement-facts.js';

const name = String.raw`(?:"[^"]+"|\[[^\]]+\]|[A-Za-z_][\w$]*)`;
const pragma = new RegExp(
  String.raw`^\s*PRAGMA\s+(?:${name}\s*\.\s*)?(${name})\s*(?:=\s*([^;()]*?)|\(\s*([^;()]*?)\s*\))?\s*;?\s*$`,
  'i',
);
const dropTrigger = new RegExp(
  String.raw`^\s*DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(?:${name}\s*\.\s*)?(${name})\s*;?\s*$`,
  'i',
);

const transactionControl =
  /^\s*(?:(BEGIN)(?:\s+(?:DEFERRED|IMMEDIATE|EXCLUSIVE))?|(COMMIT|END)|(ROLLBACK))(?:\s+TRANSACTION)?\s*;?\s*$/i;

/** The statement's fact, or undefined when it is none of these statements. */
export function readSqliteRegularStatement(statement: string): StatementFact | undefined {
  const text = stripComments(statement);
  const isPragma = pragma.exec(text);
  if (isPragma !== null) {
    const value = (isPragma[2] ?? isPragma[3])?.trim().replace(/^'(.*)'$/, '$1');
    return {
      kind: 'pragma',
      name: unquote(isPragma[1] ?? '').toLowerCase(),
      value: value || undefined,
    };
  }
  const control = transactionControl.exec(text);
  if (control !== null) {
    const action = control[1] ? 'begin' : control[2] ? 'commit' : 'rollback';
    return { kind: 'transaction-control', action };
  }
  const isDropTrigger = dropTrigger.exec(text);
  if (isDropTrigger !== null)
    return { kind: 'drop-trigger', trigger: unquote(isDropTrigger[1] ?? '') };
  return undefined;
}

function unquote(identifier: string): string {
  return /^["[]/.test(identifier) ? identifier.slice(1, -1) : identifier;
}

/** Leading `--` comment lines: the splitter keeps the comments above a statement with it. */
function stripComments(statement: string): string {
  return statement
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
}
