// The revision workflow through the built CLI, as a user types it, on every database.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { forEachDialect } from '../support/for-each-dialect.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, writeRevision, writeTableChain } from '../support/revision-folder.js';
import { listTables, queryRows } from '../support/inspect-database.js';
import { runNativeClient } from '../support/native-client.js';

forEachDialect('the revision workflow', (ctx) => {
  test('revision, edit, upgrade head, downgrade -1, upgrade +1, downgrade base', async () => {
    const url = await ctx.freshDatabaseUrl();
    const dir = makeTempDir();
    const cli = (...args: string[]) => runCli([...args, '--db', url, '--dir', dir]);

    const first = await cli('revision', '-m', 'create records table');
    assert.equal(first.code, 0, first.stderr);
    const firstPath = first.stdout.trim();
    assert.match(firstPath, /\/\d{4}_\d{2}_\d{2}_\d{4}-[0-9a-f]{12}_create_records_table\.sql$/);
    edit(
      firstPath,
      'CREATE TABLE records (id integer primary key, name varchar(100))',
      'DROP TABLE records',
    );

    const second = await cli('revision', '-m', 'create datasets table');
    assert.equal(second.code, 0, second.stderr);
    const secondPath = second.stdout.trim();
    const firstId = /-([0-9a-f]{12})_/.exec(firstPath)![1]!;
    const secondId = /-([0-9a-f]{12})_/.exec(secondPath)![1]!;
    assert.match(readFileSync(secondPath, 'utf8'), new RegExp(`^-- Revises: ${firstId}$`, 'm'));
    edit(
      secondPath,
      'CREATE TABLE datasets (id integer primary key, record_id integer)',
      'DROP TABLE datasets',
    );
    assert.deepEqual(
      readdirSync(dir).sort(),
      [firstPath, secondPath].map((p) => p.slice(dir.length + 1)).sort(),
    );

    const up = await cli('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    const lines = up.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      new RegExp(`^Running upgrade  -> ${firstId}, create records table \\(\\d+(\\.\\d)? ms\\)$`),
    );
    assert.match(
      lines[1]!,
      new RegExp(`^Running upgrade ${firstId} -> ${secondId}, create datasets table \\(`),
    );
    assert.deepEqual(await userTables(url), ['datasets', 'records']);

    const current = await cli('current');
    assert.equal(current.stdout.trim(), `${secondId} (head)`);

    const down = await cli('downgrade', '-1');
    assert.equal(down.code, 0, down.stderr);
    assert.match(
      down.stdout,
      new RegExp(`^Running downgrade ${secondId} -> ${firstId}, create datasets table`),
    );
    assert.deepEqual(await userTables(url), ['records']);
    assert.equal((await cli('current')).stdout.trim(), firstId);

    const plusOne = await cli('upgrade', '+1');
    assert.equal(plusOne.code, 0, plusOne.stderr);
    assert.deepEqual(await userTables(url), ['datasets', 'records']);

    const base = await cli('downgrade', 'base');
    assert.equal(base.code, 0, base.stderr);
    assert.equal(base.stdout.trim().split('\n').length, 2);
    assert.deepEqual(await userTables(url), []);
    const empty = await cli('current');
    assert.equal(empty.stdout, '');

    const history = await queryRows(
      url,
      'SELECT revision, direction FROM dataregistry_version_history ORDER BY id',
    );
    assert.deepEqual(
      history.map((row) => `${String(row.direction)} ${String(row.revision)}`),
      [
        `upgrade ${firstId}`,
        `upgrade ${secondId}`,
        `downgrade ${secondId}`,
        `upgrade ${secondId}`,
        `downgrade ${secondId}`,
        `downgrade ${firstId}`,
      ],
    );
  });

  test('a failing revision names its file and statement, and the revisions before it stay applied', async () => {
    const url = await ctx.freshDatabaseUrl();
    const dir = makeTempDir();
    writeRevision(
      dir,
      {
        id: 'aaa001',
        upgrade: 'CREATE TABLE good (id integer primary key);',
        downgrade: 'DROP TABLE good;',
      },
      1,
    );
    const badPath = writeRevision(
      dir,
      {
        id: 'bbb002',
        parents: ['aaa001'],
        upgrade:
          'CREATE TABLE half (id integer primary key);\nINSERT INTO no_such_table VALUES (1);',
        downgrade: 'DROP TABLE half;',
      },
      2,
    );
    writeRevision(
      dir,
      { id: 'ccc003', parents: ['bbb002'], upgrade: 'CREATE TABLE later (id integer);' },
      3,
    );

    const result = await runCli(['upgrade', 'head', '--db', url, '--dir', dir]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /Running upgrade {2}-> aaa001/);
    const errorLines = result.stderr.trim().split('\n');
    assert.equal(errorLines.length, 1, result.stderr);
    assert.ok(errorLines[0]!.startsWith('dataregistry: error: Upgrade bbb002 ('), errorLines[0]);
    assert.ok(errorLines[0]!.includes(badPath));
    assert.match(errorLines[0]!, /statement 2 of 2 \[INSERT INTO no_such_table VALUES \(1\)\]/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);

    assert.equal((await runCli(['current', '--db', url, '--dir', dir])).stdout.trim(), 'aaa001');
    const tables = await userTables(url);
    if (ctx.dialect === 'mysql') {
      // MySQL commits DDL implicitly: the first statement stays, and the message says so.
      assert.match(errorLines[0]!, /statements 1-1 may have been applied/);
      assert.deepEqual(tables, ['good', 'half']);
    } else {
      assert.match(errorLines[0]!, /rolled back; 1 revision before it in this run stay applied/);
      assert.deepEqual(tables, ['good']);
    }
  });

  test('a revision failing at its first statement is reported and rolled back; fixed, the next run applies it, and an empty section is a step too', async () => {
    const url = await ctx.freshDatabaseUrl();
    const dir = makeTempDir();
    writeRevision(dir, { id: 'fa0001', upgrade: 'CREATE TABLE first_ok (id integer);' }, 1);
    const badPath = writeRevision(
      dir,
      {
        id: 'fb0002',
        parents: ['fa0001'],
        upgrade: 'INSERT INTO no_such_table VALUES (1);\nCREATE TABLE after_bad (id integer);',
        downgrade: 'DROP TABLE after_bad;',
      },
      2,
    );
    writeRevision(dir, { id: 'fc0003', parents: ['fb0002'], upgrade: '-- nothing to do' }, 3);

    const failed = await runCli(['upgrade', 'head', '--db', url, '--dir', dir]);
    assert.equal(failed.code, 1);
    const errorLines = failed.stderr.trim().split('\n');
    assert.equal(errorLines.length, 1, failed.stderr);
    assert.match(errorLines[0]!, /statement 1 of 2 \[INSERT INTO no_such_table VALUES \(1\)\]/);
    assert.deepEqual(await userTables(url), ['first_ok']);
    assert.equal((await runCli(['current', '--db', url, '--dir', dir])).stdout.trim(), 'fa0001');

    writeFileSync(
      badPath,
      readFileSync(badPath, 'utf8').replace('INSERT INTO no_such_table VALUES (1);', ''),
    );
    const fixed = await runCli(['upgrade', 'head', '--db', url, '--dir', dir]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.deepEqual(
      fixed.stdout
        .trim()
        .split('\n')
        .map((line) => line.replace(/ \([\d.]+ ms\)$/, '')),
      [
        'Running upgrade fa0001 -> fb0002, revision fb0002',
        'Running upgrade fb0002 -> fc0003, revision fc0003',
      ],
    );
    assert.deepEqual(await userTables(url), ['after_bad', 'first_ok']);
    assert.equal(
      (await runCli(['current', '--db', url, '--dir', dir])).stdout.trim(),
      'fc0003 (head)',
    );
    const history = await queryRows(
      url,
      'SELECT revision, direction FROM dataregistry_version_history ORDER BY id',
    );
    assert.deepEqual(
      history.map((row) => `${String(row.revision)} ${String(row.direction)}`),
      ['fa0001 upgrade', 'fb0002 upgrade', 'fc0003 upgrade'],
    );
  });

  test('several processes running upgrade head at once apply each revision exactly once', async () => {
    const url = await ctx.freshDatabaseUrl();
    const dir = makeTempDir();
    const ids = Array.from({ length: 15 }, (_, i) => `c${String(i).padStart(5, '0')}`);
    writeTableChain(dir, ids);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => runCli(['upgrade', 'head', '--db', url, '--dir', dir])),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const applied = runs.flatMap((run) =>
      run.stdout.split('\n').filter((l) => l.startsWith('Running upgrade')),
    );
    assert.equal(applied.length, ids.length, 'every revision applied by exactly one process');
    const rows = await queryRows(
      url,
      "SELECT revision FROM dataregistry_version_history WHERE direction = 'upgrade'",
    );
    assert.deepEqual(rows.map((r) => String(r.revision)).sort(), [...ids].sort());
    assert.equal(
      (await runCli(['current', '--db', url, '--dir', dir])).stdout.trim(),
      `${ids.at(-1)} (head)`,
    );
  });

  test('stamp records a target without running it, and stamp base clears it', async () => {
    const url = await ctx.freshDatabaseUrl();
    const dir = makeTempDir();
    writeTableChain(dir, ['s00001', 's00002']);
    const stamped = await runCli(['stamp', 'head', '--db', url, '--dir', dir]);
    assert.equal(stamped.code, 0, stamped.stderr);
    assert.equal(stamped.stdout.trim(), 'Stamped base -> s00002');
    assert.deepEqual(await userTables(url), []);
    assert.equal(
      (await runCli(['current', '--db', url, '--dir', dir])).stdout.trim(),
      's00002 (head)',
    );
    await runCli(['stamp', 's00001', '--db', url, '--dir', dir]);
    const up = await runCli(['upgrade', 'head', '--db', url, '--dir', dir]);
    assert.match(up.stdout, /Running upgrade s00001 -> s00002/);
    assert.deepEqual(await userTables(url), ['t_s00002']);
    const cleared = await runCli(['stamp', 'base', '--db', url, '--dir', dir]);
    assert.equal(cleared.stdout.trim(), 'Stamped s00002 -> base');
    assert.equal((await runCli(['current', '--db', url, '--dir', dir])).stdout, '');
  });

  test('upgrade --sql prints a script that the database client runs to the same result', async () => {
    const url = await ctx.freshDatabaseUrl();
    const dir = makeTempDir();
    writeTableChain(dir, ['q00001', 'q00002', 'q00003']);
    writeRevision(
      dir,
      {
        id: 'q00004',
        parents: ['q00003'],
        upgrade: "INSERT INTO t_q00001 (id, v) VALUES (1, 'semi;colon ''quoted''');",
        downgrade: 'DELETE FROM t_q00001;',
      },
      4,
    );
    const offline = await runCli(['upgrade', 'head', '--sql', '--db', url, '--dir', dir]);
    assert.equal(offline.code, 0, offline.stderr);
    assert.deepEqual(await userTables(url), [], '--sql runs nothing');
    const fed = await runNativeClient(url, offline.stdout);
    assert.equal(fed.code, 0, `${fed.stderr}\n---\n${offline.stdout}`);
    assert.deepEqual(await userTables(url), ['t_q00001', 't_q00002', 't_q00003']);
    assert.equal(
      (await runCli(['current', '--db', url, '--dir', dir])).stdout.trim(),
      'q00004 (head)',
    );
    const value = await queryRows(url, 'SELECT v FROM t_q00001');
    assert.deepEqual(
      value.map((r) => r.v),
      ["semi;colon 'quoted'"],
    );

    const downSql = await runCli(['downgrade', 'q00002', '--sql', '--db', url, '--dir', dir]);
    assert.equal(downSql.code, 0, downSql.stderr);
    const fedDown = await runNativeClient(url, downSql.stdout);
    assert.equal(fedDown.code, 0, fedDown.stderr);
    assert.deepEqual(await userTables(url), ['t_q00001', 't_q00002']);
    assert.equal((await runCli(['current', '--db', url, '--dir', dir])).stdout.trim(), 'q00002');
    const nothingLeft = await runCli(['upgrade', 'head', '--db', url, '--dir', dir]);
    assert.equal(nothingLeft.code, 0, nothingLeft.stderr);
    assert.match(nothingLeft.stdout, /Running upgrade q00002 -> q00003/);
  });
});

function edit(path: string, upgrade: string, downgrade: string): void {
  const text = readFileSync(path, 'utf8');
  const header = text.slice(0, text.indexOf('-- migrate:upgrade'));
  writeFileSync(
    path,
    `${header}-- migrate:upgrade\n${upgrade};\n\n-- migrate:downgrade\n${downgrade};\n`,
  );
}

async function userTables(url: string): Promise<string[]> {
  return (await listTables(url)).filter((name) => !name.startsWith('dataregistry_')).sort();
}
