// Literal Alembic revision files for the importer's tests, and a shortcut that converts one and
// returns the statements of one section, parsed back from the file as the engine parses it.

import assert from 'node:assert/strict';
import type { DialectName } from '../../../src/db/dialect-name.js';
import {
  parseSqlRevisionFile,
  selectSection,
  type ParsedSqlRevisionFile,
} from '../../../src/migrate/files/revision-file-format.js';
import { splitSqlStatements } from '../../../src/migrate/files/split-sql-statements.js';
import { readAlembicRevision } from '../../../src/migrate/import/alembic/read-alembic-revision.js';
import { renderRevisionFile } from '../../../src/migrate/import/alembic/render-revision-file.js';

/** A revision file with the usual header and imports around `body` (module-level code). */
export function alembicFile(
  body: string,
  fields: { revision?: string; down?: string } = {},
): string {
  return [
    '"""add things',
    '',
    `Revision ID: ${fields.revision ?? 'abc123'}`,
    'Revises: ',
    'Create Date: 2023-01-11 11:06:25.123456',
    '',
    '"""',
    'from alembic import op',
    'import sqlalchemy as sa',
    'from sqlalchemy import text',
    '',
    `revision = '${fields.revision ?? 'abc123'}'`,
    `down_revision = ${fields.down ?? 'None'}`,
    'branch_labels = None',
    'depends_on = None',
    '',
    body,
    '',
  ].join('\n');
}

export interface Converted {
  readonly text: string;
  /** `sql` when converted whole, `mjs` when marked not converted. */
  readonly extension: 'sql' | 'mjs';
  /** The SQL file parsed back (throws for a JavaScript revision: see loadNotConverted). */
  readonly parsed: ParsedSqlRevisionFile;
  readonly problem: { line: number; reason: string } | undefined;
  /** The statements of a direction on a dialect, as the engine would run them. */
  statements(direction: 'upgrade' | 'downgrade', dialect: DialectName): string[];
}

export function convert(
  source: string,
  dialects: readonly DialectName[] = ['postgresql', 'mysql', 'sqlite'],
): Converted {
  const revision = readAlembicRevision('versions/abc123_add_things.py', source);
  const rendered = renderRevisionFile(revision, dialects, 'versions/abc123_add_things.py');
  let parsed: ParsedSqlRevisionFile | undefined;
  const parse = () => {
    assert.equal(
      rendered.extension,
      'sql',
      `a converted revision, not one marked: ${rendered.problem?.reason}`,
    );
    return (parsed ??= parseSqlRevisionFile(rendered.text, 'out.sql'));
  };
  return {
    text: rendered.text,
    extension: rendered.extension,
    get parsed() {
      return parse();
    },
    problem: rendered.problem,
    statements(direction, dialect) {
      const section = selectSection(parse(), direction, dialect);
      return section === undefined ? [] : splitSqlStatements(section.sql, dialect);
    },
  };
}

/** A revision marked not converted, imported as the engine imports it. */
export interface NotConvertedModule {
  readonly text: string;
  readonly revision: string;
  readonly revises: unknown;
  readonly notConverted: unknown;
  /** The statements upgrade(db) or downgrade(db) runs on a dialect, in order. */
  statements(direction: 'upgrade' | 'downgrade', dialect: DialectName): Promise<string[]>;
}

export async function loadNotConverted(
  source: string,
  dialects: readonly DialectName[] = ['postgresql', 'mysql', 'sqlite'],
): Promise<NotConvertedModule> {
  const converted = convert(source, dialects);
  assert.equal(converted.extension, 'mjs', 'a revision marked not converted');
  const module = (await import(
    `data:text/javascript,${encodeURIComponent(converted.text)}`
  )) as Record<string, unknown>;
  return {
    text: converted.text,
    revision: module.revision,
    revises: module.revises,
    notConverted: module.notConverted,
    async statements(direction, dialect) {
      const ran: string[] = [];
      // Kysely's `sql.raw(text).execute(db)`, recorded.
      const sql = { raw: (text: string) => ({ execute: () => Promise.resolve(ran.push(text)) }) };
      const run = module[direction] as (db: unknown, context: unknown) => Promise<void>;
      await run({}, { dialect, sql });
      return ran;
    },
  } as NotConvertedModule;
}

/** `def upgrade():` with these lines as its body (indented here). */
export function upgradeBody(...lines: string[]): string {
  return [
    'def upgrade():',
    ...lines.map((l) => `    ${l}`),
    '',
    'def downgrade():',
    '    pass',
  ].join('\n');
}
