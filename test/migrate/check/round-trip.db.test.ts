// The round trip on each database: a downgrade that does not restore the schema, a downgrade
// that fails (with its statement and the database's message), an irreversible revision skipped
// with its reason, and a clean chain passing. Scratch databases are created beside the test
// server and dropped again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DialectName } from '../../../src/db/dialect-name.js';
import { checkRevisions, type RoundTripOutcome } from '../../../src/migrate/check/index.js';
import { forEachDialect } from '../../support/for-each-dialect.js';
import {
  tempDirsForThisFile,
  writeRevision,
  type TestRevision,
} from '../../support/revision-folder.js';
import { serverUrls } from '../../support/test-databases.js';

const folder = tempDirsForThisFile('dataregistry-round-trip-');

const createT: TestRevision = {
  id: 'a1',
  upgrade: 'CREATE TABLE t (id integer PRIMARY KEY, note varchar(10));',
  downgrade: 'DROP TABLE t;',
};

function chain(...revisions: Omit<TestRevision, 'parents'>[]): string {
  const dir = folder();
  [createT, ...revisions].forEach((revision, index, all) =>
    writeRevision(dir, { ...revision, parents: index === 0 ? [] : [all[index - 1]!.id] }, index),
  );
  return dir;
}

async function roundTrip(dir: string, dialect: DialectName): Promise<RoundTripOutcome> {
  const result = await checkRevisions({
    folder: dir,
    dialects: [dialect],
    databases: dialect === 'sqlite' ? [] : [serverUrls[dialect]],
  });
  assert.equal(result.roundTrips.length, 1);
  return result.roundTrips[0]!;
}

forEachDialect('the round trip', (ctx) => {
  test('passes a chain whose downgrades restore each schema', async () => {
    const outcome = await roundTrip(
      chain({
        id: 'b2',
        upgrade: 'ALTER TABLE t ADD COLUMN extra integer;\nCREATE INDEX t_extra ON t (extra);',
        downgrade: `DROP INDEX t_extra${ctx.dialect === 'mysql' ? ' ON t' : ''};\nALTER TABLE t DROP COLUMN extra;`,
      }),
      ctx.dialect,
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome));
    assert.ok(outcome.status === 'passed' && outcome.checked === 2);
  });

  test('names the first revision whose downgrade leaves the schema changed, with the difference', async () => {
    const outcome = await roundTrip(
      chain(
        {
          id: 'b2',
          upgrade:
            'CREATE TABLE u (id integer PRIMARY KEY);\nCREATE TABLE v (id integer PRIMARY KEY);',
          downgrade: 'DROP TABLE v;',
        },
        { id: 'c3', upgrade: 'CREATE TABLE w (id integer);', downgrade: 'DROP TABLE t;' },
      ),
      ctx.dialect,
    );
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.status === 'failed');
    assert.equal(outcome.problem?.kind, 'downgrade-not-restoring');
    assert.equal(outcome.problem?.revision, 'b2');
    assert.deepEqual(outcome.problem?.difference, ['extra table u']);
  });

  test('reports a failing downgrade with its statement and the database’s message', async () => {
    const dir = chain({
      id: 'b2',
      upgrade: 'ALTER TABLE t ADD COLUMN n integer;',
      downgrade: 'ALTER TABLE t DROP COLUMN n;\nDROP TABLE no_such_table;',
    });
    const result = await checkRevisions({
      folder: dir,
      dialects: [ctx.dialect],
      databases: ctx.dialect === 'sqlite' ? [] : [serverUrls[ctx.dialect]],
    });
    const outcome = result.roundTrips[0]!;
    assert.ok(outcome.status === 'failed');
    assert.equal(outcome.problem?.kind, 'downgrade-failed');
    assert.equal(outcome.problem?.statement, 'DROP TABLE no_such_table');
    assert.match(outcome.problem?.message ?? '', /no_such_table/);
    const finding = result.findings.find((f) => f.rule === 'round-trip');
    assert.equal(finding?.revision, 'b2');
    assert.equal(finding?.dialect, ctx.dialect);
    assert.equal(finding?.severity, 'error');
  });

  test('skips an irreversible revision with its reason, and downgrades no further than it', async () => {
    const outcome = await roundTrip(
      chain(
        {
          id: 'b2',
          upgrade: 'ALTER TABLE t DROP COLUMN note;',
          downgrade: '-- irreversible: the dropped notes cannot come back',
        },
        { id: 'c3', upgrade: 'CREATE TABLE w (id integer);', downgrade: 'DROP TABLE w;' },
      ),
      ctx.dialect,
    );
    assert.equal(outcome.status, 'passed', JSON.stringify(outcome));
    assert.ok(outcome.status === 'passed');
    assert.deepEqual(outcome.skipped, [
      { revision: 'b2', reason: 'irreversible: the dropped notes cannot come back' },
    ]);
    assert.equal(outcome.checked, 2);
  });

  test('checks a revision on a parallel branch together with its siblings, and finds its broken downgrade', async () => {
    const branches = (brokenDowngrade: boolean) => {
      const dir = folder();
      writeRevision(dir, { ...createT, parents: [] }, 0);
      writeRevision(
        dir,
        {
          id: 'b2',
          parents: ['a1'],
          upgrade: 'CREATE TABLE u (id integer);',
          downgrade: 'DROP TABLE u;',
        },
        1,
      );
      writeRevision(
        dir,
        {
          id: 'c3',
          parents: ['a1'],
          upgrade: 'CREATE TABLE v (id integer);\nCREATE TABLE w (id integer);',
          downgrade: brokenDowngrade ? 'DROP TABLE v;' : 'DROP TABLE w;\nDROP TABLE v;',
        },
        2,
      );
      writeRevision(dir, { id: 'd4', parents: ['b2', 'c3'], upgrade: '', downgrade: '' }, 3);
      return dir;
    };
    const passing = await roundTrip(branches(false), ctx.dialect);
    assert.equal(passing.status, 'passed', JSON.stringify(passing));
    // a1, b2, c3 (with b2, its sibling) and the merge d4: no revision is skipped.
    assert.ok(passing.status === 'passed');
    assert.deepEqual(passing.skipped, []);
    assert.equal(passing.checked, 4);
    const failing = await roundTrip(branches(true), ctx.dialect);
    assert.ok(failing.status === 'failed', JSON.stringify(failing));
    assert.equal(failing.problem?.kind, 'downgrade-not-restoring');
    assert.equal(failing.problem?.revision, 'c3');
    assert.deepEqual(failing.problem?.difference, ['extra table w']);
  });
});
