// Section 1 of `check`, continued: every revision has a downgrade section for each dialect it
// runs on, or says in that section why it cannot be reverted. Reads parsed files only.

import type { DialectName } from '../../db/dialect-name.js';
import { selectSection } from '../files/revision-file-format.js';
import { splitSqlStatements } from '../files/split-sql-statements.js';
import type { Finding } from './finding.js';
import type { RevisionFile } from './read-revision-files.js';

/** The comment `dataregistry revision` writes into a new downgrade section: not a reason. */
const placeholder = /^--\s*SQL that reverts the upgrade above/i;

/** A finding when some dialect has no downgrade, or an empty one with no comment saying why. */
export function checkDowngrade(file: RevisionFile, dialects: readonly DialectName[]): Finding[] {
  const { parsed, revision } = file;
  if (parsed === undefined) return [];
  const missing: DialectName[] = [];
  const unexplained: DialectName[] = [];
  for (const dialect of dialects) {
    const section = selectSection(parsed, 'downgrade', dialect);
    if (section === undefined) missing.push(dialect);
    else if (splitSqlStatements(section.sql, dialect).length === 0 && !hasReason(section.sql)) {
      unexplained.push(dialect);
    }
  }
  if (missing.length === 0 && unexplained.length === 0) return [];
  const what =
    missing.length > 0
      ? `has no downgrade section for ${missing.join(', ')}`
      : `has an empty downgrade section for ${unexplained.join(', ')} that does not say why`;
  return [
    {
      rule: 'missing-downgrade',
      severity: 'error',
      revision: revision.id,
      file: revision.path,
      line: parsed.sections.find((s) => s.direction === 'downgrade')?.line ?? 1,
      dialect: undefined,
      statement: '',
      message: `Revision ${revision.id} ${what}, so it cannot be reverted.`,
      fix: 'Write the SQL that reverts the upgrade under `-- migrate:downgrade`, or, if it cannot be reverted, a comment there saying why (e.g. `-- irreversible: the dropped data cannot come back`).',
    },
  ];
}

function hasReason(sql: string): boolean {
  return sql
    .split('\n')
    .map((line) => line.trim())
    .some(
      (line) =>
        line.startsWith('--') && line.replace(/^--\s*/, '') !== '' && !placeholder.test(line),
    );
}
