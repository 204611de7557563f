// A revision import-alembic could not convert whole, written as a JavaScript revision (the
// engine's .mjs format): upgrade() and downgrade() run the SQL read before the line that stopped
// the reading; `export const notConverted` makes upgrade, downgrade and --sql refuse the file
// until a person has finished it and deleted that export; the Alembic source is kept as a
// comment. Text out only: nothing here runs the module.

import type { DialectName } from '../../../db/dialect-name.js';
import { renderJsRevisionHead } from '../../files/js-revision-head.js';
import { toOneLine } from '../../files/revision-file-format.js';

/** The statements of one direction: one list for every dialect, or one list per dialect. */
export interface DirectionSql {
  readonly direction: 'upgrade' | 'downgrade';
  readonly statements: readonly string[] | ReadonlyMap<DialectName, readonly string[]>;
  /** Where the reading or the rendering stopped, if it did (a sentence). */
  readonly note: string | undefined;
}

export interface JsRevisionText {
  readonly id: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly createDate: string | undefined;
  /** `-- Key: value` notes of the SQL header, as `// Key: value` lines. */
  readonly notes: readonly (readonly [string, string])[];
  /** `<Alembic file> line N: <why>`. */
  readonly notConverted: string;
  readonly directions: readonly DirectionSql[];
  /** The Alembic revision file's text. */
  readonly python: string;
}

export function renderJsRevision(revision: JsRevisionText): string {
  const head = renderJsRevisionHead(revision);
  const lines = [
    ...head.comment,
    '//',
    '// NOT CONVERTED from Alembic: upgrade() and downgrade() below run only the SQL read before the',
    '// line named in `notConverted`. Convert the rest from the Alembic source kept at the end of this',
    '// file, then delete the `notConverted` export (and the kept source) and run `dataregistry check`.',
    '',
    ...head.exports,
    '/** While this is exported, upgrade, downgrade and --sql refuse to run this revision. */',
    `export const notConverted = ${JSON.stringify(toOneLine(revision.notConverted))};`,
    '',
  ];
  for (const direction of revision.directions) lines.push(...renderDirection(direction), '');
  lines.push(
    '// The Alembic revision this file was imported from:',
    '//',
    // Every JavaScript line terminator ends a comment, U+2028 and U+2029 included.
    ...revision.python
      .replace(/\r\n?|[\u2028\u2029]/g, '\n')
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => `// | ${line}`.trimEnd()),
    '',
  );
  return lines.join('\n');
}

function renderDirection({ direction, statements, note }: DirectionSql): string[] {
  const constant = `${direction}Statements`;
  const isPerDialect = !Array.isArray(statements);
  const value = isPerDialect
    ? `{\n${[...(statements as ReadonlyMap<DialectName, readonly string[]>)]
        .map(([dialect, items]) => `  ${dialect}: ${listText(items, '  ')},`)
        .join('\n')}\n}`
    : listText(statements as readonly string[], '');
  return [
    ...(note === undefined ? [] : [`// ${direction}(): ${note}`]),
    `const ${constant} = ${value};`,
    '',
    '/** @param {import("kysely").Kysely<any>} db the revision\'s transaction */',
    `export async function ${direction}(db, { ${isPerDialect ? 'dialect, ' : ''}sql }) {`,
    `  for (const statement of ${isPerDialect ? `${constant}[dialect] ?? []` : constant}) {`,
    '    await sql.raw(statement).execute(db);',
    '  }',
    '}',
  ];
}

function listText(items: readonly string[], indent: string): string {
  if (items.length === 0) return '[]';
  return `[\n${items.map((s) => `${indent}  ${templateLiteral(s)},`).join('\n')}\n${indent}]`;
}

/** A statement as a template literal: multi-line SQL stays readable, and its text exact. */
function templateLiteral(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/`/g, '\\`')
    .replace(/\$\{/g, '\\${')
    // A template literal reads a raw CR (or CRLF) as LF.
    .replace(/\r/g, '\\r');
  return `\`${escaped}\``;
}
