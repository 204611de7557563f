// `dataregistry check` as users run it: the built CLI over literal versions folders, its exit
// codes (0 clean, 1 an error or --strict warning, 2 bad usage), its text blocks and its JSON.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/run-cli.js';
import { tempDirsForThisFile, writeRevision, writeTableChain } from '../support/revision-folder.js';

const folder = tempDirsForThisFile();

/** A table created in one revision, then an unindexed column dropped from it in the next. */
function folderWithDrop(allow = ''): string {
  const dir = folder();
  writeRevision(
    dir,
    {
      id: 'a00001',
      upgrade: 'CREATE TABLE t (id integer primary key, note varchar(50));',
      downgrade: 'DROP TABLE t;',
    },
    0,
  );
  writeRevision(
    dir,
    {
      id: 'a00002',
      parents: ['a00001'],
      upgrade: `${allow}ALTER TABLE t DROP COLUMN note;`,
      downgrade: 'ALTER TABLE t ADD COLUMN note varchar(50);',
    },
    1,
  );
  return dir;
}

test('check passes the registry’s own revisions with exit 0', async () => {
  const result = await runCli(['check']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^No finding in \d+ revisions\.$/m);
});

test('check names the file, line, rule, why and fix of a dropped column, and exits 1', async () => {
  const result = await runCli(['check', '--dir', folderWithDrop(), '--dialect', 'sqlite']);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /a00002_revision_a00002\.sql:\d+ {2}error {2}drop-column \(sqlite\)/);
  assert.match(result.stdout, /^ {2}Why: /m);
  assert.match(result.stdout, /^ {2}Fix: .*check:allow drop-column/m);
  assert.match(
    result.stderr,
    /^dataregistry: error: check found 1 error and 0 warnings in 2 revisions\.$/m,
  );
  assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('check accepts a drop allowed with a reason, and fails on an allow without one', async () => {
  const allowed = await runCli([
    'check',
    '--dir',
    folderWithDrop('-- check:allow drop-column v is unused since release 4\n'),
    '--dialect',
    'sqlite',
  ]);
  assert.equal(allowed.code, 0, allowed.stdout);
  const bare = await runCli([
    'check',
    '--dir',
    folderWithDrop('-- check:allow drop-column\n'),
    '--dialect',
    'sqlite',
  ]);
  assert.equal(bare.code, 1);
  assert.match(bare.stdout, /allow-without-reason/);
});

test('check --format json prints one object with the findings in the documented shape', async () => {
  const result = await runCli(['check', '--dir', folderWithDrop(), '--format', 'json']);
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout) as {
    findings: Record<string, unknown>[];
    revisions: number;
    round_trip: Record<string, { status: string; checked: number; problem: unknown }>;
  };
  assert.equal(report.revisions, 2);
  assert.deepEqual(Object.keys(report.round_trip), ['sqlite']);
  assert.equal(report.round_trip.sqlite?.status, 'passed');
  assert.equal(report.round_trip.sqlite?.checked, 2);
  assert.equal(report.round_trip.sqlite?.problem, null);
  const [finding] = report.findings;
  assert.deepEqual(Object.keys(finding ?? {}).sort(), [
    'dialect',
    'file',
    'fix',
    'line',
    'message',
    'revision',
    'rule',
    'severity',
    'statement',
  ]);
  assert.equal(finding?.rule, 'drop-column');
  assert.equal(finding?.revision, 'a00002');
});

test('check --strict fails on warnings alone', async () => {
  const dir = folder();
  writeTableChain(dir, ['a00001']);
  // An allow that matches nothing is a warning.
  writeRevision(
    dir,
    {
      id: 'a00002',
      parents: ['a00001'],
      upgrade: '-- check:allow drop-table nothing is dropped here\nCREATE TABLE t2 (id integer);',
      downgrade: 'DROP TABLE t2;',
    },
    1,
  );
  const lenient = await runCli(['check', '--dir', dir, '--dialect', 'sqlite']);
  assert.equal(lenient.code, 0, lenient.stdout);
  assert.match(lenient.stdout, /unused-allow/);
  const strict = await runCli(['check', '--dir', dir, '--dialect', 'sqlite', '--strict']);
  assert.equal(strict.code, 1);
});

test('check refuses an unknown dialect or format with exit 2 and one line', async () => {
  for (const args of [
    ['--dialect', 'oracle'],
    ['--format', 'xml'],
  ]) {
    const result = await runCli(['check', ...args]);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
});

test('check exits 75 with one line naming the server when a --db cannot be reached', async () => {
  const result = await runCli(['check', '--db', 'postgresql://postgres@127.0.0.1:1/x']);
  assert.equal(result.code, 75, result.stderr);
  assert.match(
    result.stderr,
    /^dataregistry: error: Cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:1\/x/,
  );
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
});

test('check fails a downgrade that does not restore the schema, naming revision and difference', async () => {
  const dir = folderWithDrop();
  writeRevision(
    dir,
    {
      id: 'a00003',
      parents: ['a00002'],
      upgrade: 'CREATE TABLE kept (id integer);',
      downgrade: 'SELECT 1;',
    },
    2,
  );
  const result = await runCli(['check', '--dir', dir, '--dialect', 'sqlite', '--no-round-trip']);
  assert.doesNotMatch(result.stdout, /Round trip/);
  const tripped = await runCli(['check', '--dir', dir, '--dialect', 'sqlite']);
  assert.equal(tripped.code, 1);
  assert.match(tripped.stdout, /error {2}round-trip \(sqlite\)/);
  assert.match(
    tripped.stdout,
    /Downgrading a00003 does not restore .* Difference: extra table kept\./,
  );
  assert.match(tripped.stdout, /^Round trip on temporary SQLite file \(.*\): failed/m);
});

test('check --drift exits 1 naming a column added by hand, 0 before it, 2 without --db', async () => {
  const db = `sqlite:${join(folder(), 'live.db')}`;
  assert.equal((await runCli(['upgrade', 'head', '--db', db])).code, 0);
  const clean = await runCli(['check', '--drift', '--db', db]);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /^No drift: /);
  const live = new Database(db.slice('sqlite:'.length));
  live.exec('ALTER TABLE records ADD COLUMN hand_made text');
  live.close();
  const drifted = await runCli(['check', '--drift', '--db', db]);
  assert.equal(drifted.code, 1, drifted.stderr);
  assert.match(drifted.stdout, /^ {2}extra {6}column records\.hand_made \(TEXT NULL\)$/m);
  assert.match(drifted.stderr, /check found drift in .*: 0 missing, 1 extra, 0 different\./);
  const usage = await runCli(['check', '--drift']);
  assert.equal(usage.code, 2, usage.stderr);
});
