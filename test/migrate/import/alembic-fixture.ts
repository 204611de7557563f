// Literal Alembic revision files for the importer's tests, and a shortcut that converts one and
// returns the statements of one section, parsed back from the file as the engine parses it.

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
  const parsed = parseSqlRevisionFile(rendered.text, 'out.sql');
  return {
    text: rendered.text,
    parsed,
    problem: rendered.problem,
    statements(direction, dialect) {
      const section = selectSection(parsed, direction, dialect);
      return section === undefined ? [] : splitSqlStatements(section.sql, dialect);
    },
  };
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
