// Lints literal revisions for the check tests: a base revision that creates table t, then the
// revision under test, reported with `from` the base so that only its findings come back.

import type { DialectName } from '../../../src/db/dialect-name.js';
import {
  lintRevisions,
  type Finding,
  type ServerVersions,
} from '../../../src/migrate/check/index.js';

import { makeTempDir, removeDir, writeRevision } from '../../support/revision-folder.js';

/** Table t (with an index t_b) and table u exist before the revision under test. */
export const baseSchema = [
  'CREATE TABLE t (id integer PRIMARY KEY, a varchar(20), b integer, n numeric(10,2), s text);',
  'CREATE INDEX t_b ON t (b);',
  'CREATE TABLE u (id integer PRIMARY KEY);',
].join('\n');

export interface LintCase {
  readonly dialects: readonly DialectName[];
  readonly downgrade?: string;
  readonly noTransaction?: boolean;
  /** Lines inserted in the header of the revision under test (e.g. check:allow-file). */
  readonly header?: string;
  /** Server versions the version-dependent rules use (default: the assumed ones). */
  readonly serverVersions?: Partial<ServerVersions>;
}

/** The findings of revision `b2`, whose upgrade section is `upgrade`. */
export async function lintUpgrade(upgrade: string, options: LintCase): Promise<Finding[]> {
  const dir = makeTempDir('dataregistry-check-');
  try {
    writeRevision(
      dir,
      { id: 'a1', upgrade: baseSchema, downgrade: 'DROP TABLE u;\nDROP TABLE t;' },
      0,
    );
    writeRevision(
      dir,
      {
        id: 'b2',
        parents: ['a1'],
        message: options.header === undefined ? 'under test' : `under test\n${options.header}`,
        upgrade,
        downgrade: options.downgrade ?? '-- irreversible: a test fixture',
        noTransaction: options.noTransaction ?? false,
      },
      1,
    );
    const result = await lintRevisions({
      folder: dir,
      dialects: options.dialects,
      from: 'a1',
      serverVersions: options.serverVersions,
    });
    return [...result.findings];
  } finally {
    removeDir(dir);
  }
}

/** The rule ids of the findings, sorted, for compact assertions. */
export async function rulesOf(upgrade: string, options: LintCase): Promise<string[]> {
  return (await lintUpgrade(upgrade, options)).map((f) => f.rule).sort();
}
