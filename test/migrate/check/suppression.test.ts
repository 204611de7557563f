import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintRevisions } from '../../../src/migrate/check/index.js';
import { tempDirsForThisFile, writeRevision } from '../../support/revision-folder.js';
import { lintUpgrade, rulesOf } from './lint-fixture.js';

const folder = tempDirsForThisFile();

const pg = { dialects: ['postgresql'] as const };

describe('suppression', () => {
  test('check:allow with a reason on the line above silences that statement only', async () => {
    const sql = [
      '-- contract: the code stopped reading b in release 2.3',
      '-- check:allow drop-column the code stopped reading b in release 2.3',
      'ALTER TABLE t DROP COLUMN b;',
      'ALTER TABLE t DROP COLUMN a;',
    ].join('\n');
    const findings = await lintUpgrade(sql, pg);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.statement]),
      [['drop-column', 'ALTER TABLE t DROP COLUMN a']],
    );
  });

  test('check:allow-file in the header silences the rule in the whole file', async () => {
    const sql = 'ALTER TABLE t DROP COLUMN b;\nALTER TABLE t DROP COLUMN a;';
    const header = '-- check:allow-file drop-column columns unused since release 2.3';
    assert.deepEqual(await rulesOf(sql, { ...pg, header }), []);
  });

  test('an allow that matches nothing is a warning', async () => {
    const sql =
      '-- check:allow drop-table nothing is dropped here\nALTER TABLE t ADD COLUMN c integer;';
    const findings = await lintUpgrade(sql, pg);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity]),
      [['unused-allow', 'warning']],
    );
  });

  test('an allow without a reason is an error, and still names the statement it covers', async () => {
    const sql = '-- check:allow drop-column\nALTER TABLE t DROP COLUMN b;';
    const findings = await lintUpgrade(sql, pg);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity]),
      [['allow-without-reason', 'error']],
    );
  });

  test('an allow separated from the statement by a blank line does not apply', async () => {
    const sql = '-- check:allow drop-column unused since 2.3\n\nALTER TABLE t DROP COLUMN b;';
    assert.deepEqual(await rulesOf(sql, pg), ['drop-column', 'unused-allow']);
  });

  test('an allow in another dialect’s section is not unused when that dialect is not checked', async () => {
    const dir = folder();
    writeRevision(
      dir,
      { id: 'a1', upgrade: 'CREATE TABLE t (id integer);', downgrade: 'DROP TABLE t;' },
      0,
    );
    writeRevision(
      dir,
      {
        id: 'b2',
        parents: ['a1'],
        upgrade: '-- check:allow drop-table unused since release 2.3\nDROP TABLE t;',
        downgrade: 'SELECT 1;',
        extra: '-- migrate:upgrade postgresql\nALTER TABLE t ADD COLUMN n integer;',
      },
      1,
    );
    const only = await lintRevisions({ folder: dir, dialects: ['postgresql'], from: 'a1' });
    assert.deepEqual(only.findings, []);
    const both = await lintRevisions({
      folder: dir,
      dialects: ['postgresql', 'sqlite'],
      from: 'a1',
    });
    assert.deepEqual(both.findings, []);
  });
});
