import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintRevisions } from '../../../src/migrate/check/index.js';
import { isDataRegistryError } from '../../../src/shared/errors.js';
import { makeTempDir, removeDir, writeRevision } from '../../support/revision-folder.js';

async function withChain<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = makeTempDir('dataregistry-check-from-');
  try {
    const irreversible = '-- irreversible: a test fixture';
    writeRevision(
      dir,
      {
        id: 'a1',
        upgrade: 'CREATE TABLE t (id integer PRIMARY KEY, b text);',
        downgrade: 'DROP TABLE t;',
      },
      0,
    );
    writeRevision(
      dir,
      {
        id: 'b2',
        parents: ['a1'],
        upgrade: 'ALTER TABLE t DROP COLUMN b;',
        downgrade: irreversible,
      },
      1,
    );
    writeRevision(
      dir,
      {
        id: 'c3',
        parents: ['b2'],
        upgrade: 'ALTER TABLE t RENAME TO t2;',
        downgrade: irreversible,
      },
      2,
    );
    return await run(dir);
  } finally {
    removeDir(dir);
  }
}

describe('--from', () => {
  test('reports only the revisions after REV, knowing the tables created before it', async () => {
    const all = await withChain((folder) => lintRevisions({ folder, dialects: ['postgresql'] }));
    assert.deepEqual(
      all.findings.map((f) => [f.rule, f.revision]),
      [
        ['drop-column', 'b2'],
        ['rename-table', 'c3'],
      ],
    );
    const after = await withChain((folder) =>
      lintRevisions({ folder, dialects: ['postgresql'], from: 'b2' }),
    );
    assert.deepEqual(
      after.findings.map((f) => [f.rule, f.revision]),
      [['rename-table', 'c3']],
    );
    assert.equal(after.revisions, 3);
  });

  test('a REV that names no revision is REVISION_NOT_FOUND', async () => {
    await assert.rejects(
      withChain((folder) => lintRevisions({ folder, from: 'zz9' })),
      (error: unknown) => isDataRegistryError(error) && error.code === 'REVISION_NOT_FOUND',
    );
  });
});
