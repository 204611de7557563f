// What the engine guarantees (README, "The revision workflow" to "What the engine guarantees"),
// through the built CLI on every database: branches and merges, changed and missing files,
// per-dialect sections, transactions, JavaScript revisions, the lock, targets and offline SQL.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DialectName } from '../../src/db/dialect-name.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import {
  makeTempDir,
  removeDir,
  writeRevision,
  writeTableChain,
} from '../support/revision-folder.js';
import { listTables, queryRows } from '../support/inspect-database.js';
import { runNativeClient } from '../support/native-client.js';

const tempDirs: string[] = [];
after(() => tempDirs.splice(0).forEach(removeDir));

/** A fresh database, a fresh versions folder, and the CLI bound to both. */
async function workspace(ctx: { freshDatabaseUrl(): Promise<string> }) {
  const url = await ctx.freshDatabaseUrl();
  const dir = makeTempDir();
  tempDirs.push(dir);
  const cli = (...args: string[]) => runCli([...args, '--db', url, '--dir', dir]);
  return { url, dir, cli };
}

forEachDialect('the engine guarantees', (ctx) => {
  test('with two heads, upgrade head and revision refuse naming both; upgrade heads and merge heads resolve it', async () => {
    const { url, dir, cli } = await workspace(ctx);
    writeRevision(dir, table('a00001', [], 'base'), 1);
    writeRevision(dir, table('b00001', ['a00001'], 'left'), 2);
    writeRevision(dir, table('c00001', ['a00001'], 'right'), 3);

    const refused = await cli('upgrade', 'head');
    assert.equal(refused.code, 1);
    const line = errorLine(refused);
    assert.match(line, /b00001/);
    assert.match(line, /c00001/);
    assert.match(line, /`dataregistry upgrade heads`/);
    assert.match(line, /`dataregistry merge heads -m "merge"`/);
    assert.equal((await cli('current')).stdout, '', 'nothing applied');

    const noHead = await cli('revision', '-m', 'x');
    assert.equal(noHead.code, 1);
    assert.match(errorLine(noHead), /b00001.*c00001.*--head <rev>/);
    const onLeft = await cli('revision', '-m', 'x', '--head', 'b00001');
    assert.equal(onLeft.code, 0, onLeft.stderr);
    assert.match(readFileSync(onLeft.stdout.trim(), 'utf8'), /^-- Revises: b00001$/m);
    rmSync(onLeft.stdout.trim());

    const headsOut = await cli('heads');
    assert.equal(headsOut.code, 0, headsOut.stderr);
    assert.deepEqual(lines(headsOut.stdout).sort(), ['b00001 (head)', 'c00001 (head)']);
    const branchesOut = await cli('branches');
    assert.deepEqual(lines(branchesOut.stdout), [
      'a00001 (branchpoint), base',
      '    -> b00001, left',
      '    -> c00001, right',
    ]);

    const both = await cli('upgrade', 'heads');
    assert.equal(both.code, 0, both.stderr);
    assert.deepEqual(lines(both.stdout).map(stripDuration), [
      'Running upgrade  -> a00001, base',
      'Running upgrade a00001 -> b00001, left',
      'Running upgrade a00001 -> c00001, right',
    ]);
    assert.deepEqual(await userTables(url), ['t_a00001', 't_b00001', 't_c00001']);
    assert.deepEqual(lines((await cli('current')).stdout), ['b00001 (head)', 'c00001 (head)']);

    const merged = await cli('merge', 'heads', '-m', 'merge');
    assert.equal(merged.code, 0, merged.stderr);
    const mergePath = merged.stdout.trim();
    const mergeId = idOf(mergePath);
    assert.match(readFileSync(mergePath, 'utf8'), /^-- Revises: b00001, c00001$/m);

    const up = await cli('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(lines(up.stdout).map(stripDuration), [
      `Running upgrade b00001, c00001 -> ${mergeId}, merge`,
    ]);
    assert.deepEqual(await versionRows(url), [mergeId]);
    assert.equal((await cli('current')).stdout.trim(), `${mergeId} (head)`);

    const history = lines((await cli('history')).stdout);
    assert.equal(history.length, 4);
    assert.equal(history[0], `b00001, c00001 -> ${mergeId} (head) (mergepoint), merge`);
    assert.deepEqual(history.slice(1, 3).sort(), [
      'a00001 -> b00001, left',
      'a00001 -> c00001, right',
    ]);
    assert.equal(history[3], '<base> -> a00001 (branchpoint), base');
    assert.deepEqual(lines((await cli('history', '-r', 'base:b00001')).stdout), [
      'a00001 -> b00001, left',
      '<base> -> a00001 (branchpoint), base',
    ]);
    const verbose = (await cli('history', '-v')).stdout;
    assert.equal(verbose.match(/^Rev: /gm)?.length, 4);
    assert.match(
      verbose,
      new RegExp(
        `^Rev: ${mergeId} \\(head\\) \\(mergepoint\\)\\nMerges: b00001, c00001\\nPath: ${escape(mergePath)}$`,
        'm',
      ),
    );
    assert.match(verbose, /^Rev: a00001 \(branchpoint\)\nParent: <base>$/m);
  });

  test('an applied revision whose file changed is a warning for current and upgrade; line endings and trailing blanks are not changes', async () => {
    const { dir, cli } = await workspace(ctx);
    const path = writeRevision(dir, table('w00001', []), 1);
    assert.equal((await cli('upgrade', 'head')).code, 0);

    const original = readFileSync(path, 'utf8');
    writeFileSync(path, `${original.replace(/\n/g, '  \r\n')}\r\n\r\n`);
    for (const args of [['current'], ['upgrade']]) {
      const result = await cli(...args);
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr, /warning/, `${args[0]} after CRLF and trailing blanks`);
    }

    writeFileSync(path, original.replace('v varchar(50)', 'v varchar(60)'));
    const warning = `warning: ${path} changed after revision w00001 was applied`;
    const current = await cli('current');
    assert.equal(current.code, 0, current.stderr);
    assert.equal(current.stdout.trim(), 'w00001 (head)');
    assert.ok(current.stderr.includes(warning), current.stderr);
    const nothing = await cli('upgrade');
    assert.equal(nothing.code, 0, nothing.stderr);
    assert.ok(nothing.stderr.includes(warning), nothing.stderr);

    writeRevision(dir, table('w00002', ['w00001']), 2);
    const more = await cli('upgrade');
    assert.equal(more.code, 0, more.stderr);
    assert.ok(more.stderr.includes(warning), more.stderr);
    assert.match(more.stdout, /Running upgrade w00001 -> w00002/);
  });

  test('a revision recorded in the database whose file is gone fails current and upgrade with one line', async () => {
    const { url, dir, cli } = await workspace(ctx);
    writeRevision(dir, table('m00001', []), 1);
    const second = writeRevision(dir, table('m00002', ['m00001']), 2);
    assert.equal((await cli('upgrade', 'head')).code, 0);
    rmSync(second);

    for (const args of [['current'], ['upgrade'], ['upgrade', 'head']]) {
      const result = await cli(...args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      const line = errorLine(result);
      assert.match(line, /is at revision m00002, which no file in .* declares/);
      assert.ok(line.includes(dir), line);
    }
    assert.deepEqual(await versionRows(url), ['m00002'], 'nothing changed');
  });

  test('a revision runs its own dialect section instead of the plain one, up and down', async () => {
    const { url, dir, cli } = await workspace(ctx);
    const sections = (['postgresql', 'mysql', 'sqlite'] as const)
      .map(
        (dialect) =>
          `-- migrate:upgrade ${dialect}\nCREATE TABLE t_${dialect} (id integer);\n\n` +
          `-- migrate:downgrade ${dialect}\nDROP TABLE t_${dialect};\n`,
      )
      .join('\n');
    writeRevision(
      dir,
      {
        id: 'd00001',
        upgrade: 'CREATE TABLE t_plain (id integer);',
        downgrade: 'DROP TABLE t_plain;',
        extra: sections,
      },
      1,
    );
    const up = await cli('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(await userTables(url), [`t_${ctx.dialect}`]);
    const down = await cli('downgrade', '-1');
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await userTables(url), []);
  });

  // A timeout, because the failure this guards against was a hang (the lock's idle transaction
  // kept a snapshot that CREATE INDEX CONCURRENTLY waited for).
  test(
    'a no-transaction revision runs outside a transaction, and --single-transaction refuses it',
    { timeout: 30_000 },
    async () => {
      const { url, dir, cli } = await workspace(ctx);
      writeRevision(dir, table('n00001', []), 1);
      const index = (noTransaction: boolean) => ({
        id: 'n00002',
        parents: ['n00001'],
        noTransaction,
        upgrade: 'CREATE INDEX ix_n ON t_n00001 (v);',
        // CREATE INDEX CONCURRENTLY cannot run inside a transaction block.
        extra: '-- migrate:upgrade postgresql\nCREATE INDEX CONCURRENTLY ix_n ON t_n00001 (v);\n',
      });
      if (ctx.dialect === 'postgresql') {
        const inTransaction = writeRevision(dir, index(false), 2);
        const failed = await cli('upgrade', 'head');
        assert.equal(failed.code, 1);
        assert.match(errorLine(failed), /cannot run inside a transaction block/);
        rmSync(inTransaction);
        assert.equal((await cli('downgrade', 'base')).code, 0);
      }
      writeRevision(dir, index(true), 2);

      const refused = await cli('upgrade', 'head', '--single-transaction');
      assert.equal(refused.code, 2);
      const line = errorLine(refused);
      if (ctx.dialect === 'mysql') {
        assert.match(line, /--single-transaction .* on mysql: it commits DDL implicitly/);
      } else {
        assert.match(
          line,
          /--single-transaction cannot include n00002 \(.*\), marked -- migrate:no-transaction/,
        );
      }
      assert.equal(refused.stdout, '');
      assert.deepEqual(await userTables(url), [], 'nothing applied');

      const up = await cli('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.equal(lines(up.stdout).length, 2);
      assert.deepEqual(await versionRows(url), ['n00002']);
      if (ctx.dialect === 'postgresql') {
        const indexes = await queryRows(
          url,
          "SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'ix_n'",
        );
        assert.deepEqual(indexes, [{ name: 'ix_n', valid: true }]);
      }
    },
  );

  test('--single-transaction leaves nothing applied when the last revision fails (refused on MySQL)', async () => {
    const { url, dir, cli } = await workspace(ctx);
    writeRevision(dir, table('s00001', []), 1);
    writeRevision(dir, table('s00002', ['s00001']), 2);
    writeRevision(
      dir,
      {
        id: 's00003',
        parents: ['s00002'],
        upgrade: 'CREATE TABLE t_s00003 (id integer);\nINSERT INTO no_such_table VALUES (1);',
      },
      3,
    );
    const result = await cli('upgrade', 'head', '--single-transaction');
    const line = errorLine(result);
    if (ctx.dialect === 'mysql') {
      assert.equal(result.code, 2);
      assert.match(line, /--single-transaction cannot make a run all-or-nothing on mysql/);
    } else {
      assert.equal(result.code, 1);
      assert.match(line, /^dataregistry: error: Upgrade s00003 .* The whole run was rolled back/);
    }
    assert.equal(result.stdout, '', 'no revision reported as applied');
    assert.deepEqual(await userTables(url), []);
    if (ctx.dialect !== 'mysql') assert.deepEqual(await versionRows(url), []);
    assert.equal((await cli('current')).stdout, '');
  });

  test('revision --js writes a module whose upgrade() and downgrade() run on the Kysely executor, online and with --sql', async () => {
    const { url, dir, cli } = await workspace(ctx);
    writeRevision(dir, table('j00001', []), 1);
    const written = await cli('revision', '--js', '-m', 'backfill');
    assert.equal(written.code, 0, written.stderr);
    const path = written.stdout.trim();
    assert.match(path, /-[0-9a-f]{12}_backfill\.mjs$/);
    const id = idOf(path);
    let text = readFileSync(path, 'utf8');
    assert.match(text, /^export const revises = "j00001";$/m);
    text = replaceFunctionBody(
      text,
      'upgrade',
      "  await db.schema.createTable('labels').addColumn('id', 'integer', (col) => col.primaryKey()).addColumn('name', 'varchar(50)').execute();\n" +
        "  await db.insertInto('labels').values([{ id: 1, name: 'one' }, { id: 2, name: \"it's two\" }]).execute();",
    );
    text = replaceFunctionBody(
      text,
      'downgrade',
      "  await db.schema.dropTable('labels').execute();",
    );
    writeFileSync(path, text);

    const offline = await cli('upgrade', 'head', '--sql');
    assert.equal(offline.code, 0, offline.stderr);
    assert.match(offline.stdout, new RegExp(`^-- Running upgrade j00001 -> ${id}, backfill$`, 'm'));
    assert.match(offline.stdout, /^create table [`"]labels[`"] \(/m);
    assert.match(
      offline.stdout,
      /^insert into [`"]labels[`"] .* values \(1, 'one'\), \(2, 'it''s two'\);$/m,
    );
    assert.deepEqual(await userTables(url), [], '--sql runs nothing');

    const up = await cli('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    assert.equal(
      lines(up.stdout).map(stripDuration)[1],
      `Running upgrade j00001 -> ${id}, backfill`,
    );
    const rows = await queryRows(url, 'SELECT id, name FROM labels ORDER BY id');
    assert.deepEqual(
      rows.map((row) => String(row.name)),
      ['one', "it's two"],
    );

    const down = await cli('downgrade', '-1');
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await userTables(url), ['t_j00001']);
    assert.deepEqual(await versionRows(url), ['j00001']);
  });

  test('a JavaScript revision that throws is rolled back with its transaction (named, not rolled back, on MySQL)', async () => {
    const { url, dir, cli } = await workspace(ctx);
    writeRevision(dir, table('k00001', []), 1);
    writeJsRevision(dir, 2, {
      id: 'k00002',
      parent: 'k00001',
      upgrade:
        "await db.schema.createTable('half').addColumn('id', 'integer').execute();\n" +
        "await db.insertInto('t_k00001').values({ id: 1, v: 'x' }).execute();\n" +
        "throw new Error('backfill failed on purpose');",
    });
    const result = await cli('upgrade', 'head');
    assert.equal(result.code, 1);
    const line = errorLine(result);
    assert.match(
      line,
      /Upgrade k00002 \(.*\.mjs\) failed in its upgrade\(\) function: backfill failed on purpose/,
    );
    assert.deepEqual(await versionRows(url), ['k00001']);
    const inserted = await queryRows(url, 'SELECT id FROM t_k00001');
    if (ctx.dialect === 'mysql') {
      assert.match(line, /may have been applied/);
      assert.deepEqual(await userTables(url), ['half', 't_k00001']);
      assert.equal(inserted.length, 1);
    } else {
      assert.match(
        line,
        /The revision was rolled back; 1 revision before it in this run stay applied/,
      );
      assert.deepEqual(await userTables(url), ['t_k00001']);
      assert.equal(inserted.length, 0);
    }
  });

  test(
    'a second run gives up after --lock-timeout naming the holder, and without it waits, then finds nothing to do',
    { timeout: 30_000 },
    async () => {
      const { url, dir, cli } = await workspace(ctx);
      // The first revision holds the lock until the test opens its gate (a file it polls for),
      // so that the order of events does not depend on how fast the processes start.
      const gate = join(dir, 'open-the-gate');
      writeJsRevision(dir, 1, {
        id: 'l00001',
        upgrade: [
          "const { existsSync } = await import('node:fs');",
          `while (!existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 20));`,
        ].join('\n'),
      });
      writeRevision(dir, table('l00002', ['l00001']), 2);

      const first = cli('upgrade', 'head');
      const holderPid = await waitForLockHolder(ctx.dialect, url);
      const timedOut = await cli('upgrade', 'head', '--lock-timeout', '1');
      // The run without a timeout must be seen waiting before the holder lets go.
      let seenWaiting = () => {};
      const waiting = new Promise<void>((resolve) => (seenWaiting = resolve));
      const waitedRun = runCli(['upgrade', 'head', '--db', url, '--dir', dir], {
        onStderr: (text) => {
          if (text.includes('Waiting for the migration lock')) seenWaiting();
        },
      });
      await Promise.race([waiting, waitedRun]);
      writeFileSync(gate, '');
      const waited = await waitedRun;
      const firstResult = await first;

      assert.equal(firstResult.code, 0, firstResult.stderr);
      assert.equal(lines(firstResult.stdout).length, 2);
      assert.equal(timedOut.code, 75);
      assert.equal(timedOut.stdout, '');
      assert.match(errorLine(timedOut), /Gave up waiting for the migration lock/);
      assert.ok(errorLine(timedOut).includes(`pid ${holderPid} on ${hostname()}`), timedOut.stderr);
      assert.equal(waited.code, 0, waited.stderr);
      assert.equal(waited.stdout, '');
      assert.match(
        waited.stderr,
        new RegExp(
          `^Waiting for the migration lock \\(\\d+ s\\): held by pid ${holderPid} on `,
          'm',
        ),
      );
      assert.match(waited.stderr, /^Nothing to upgrade: the database is at l00002\.$/m);
      const history = await queryRows(
        url,
        "SELECT revision FROM dataregistry_version_history WHERE direction = 'upgrade'",
      );
      assert.equal(history.length, 2, 'each revision applied once');
    },
  );

  test('targets: <rev>, a prefix, +2, -2, <rev>+1; out of range, unknown and ambiguous targets change nothing', async () => {
    const { url, dir, cli } = await workspace(ctx);
    writeTableChain(dir, ['ab1001', 'ab1002', 'cd0003', 'ef0004']);
    const step = async (args: string[], tables: string[]) => {
      const result = await cli(...args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.deepEqual(
        await userTables(url),
        tables.map((id) => `t_${id}`),
        args.join(' '),
      );
      return lines(result.stdout).map(stripDuration);
    };
    assert.deepEqual(await step(['upgrade', '+2'], ['ab1001', 'ab1002']), [
      'Running upgrade  -> ab1001, create t_ab1001',
      'Running upgrade ab1001 -> ab1002, create t_ab1002',
    ]);
    await step(['upgrade', 'cd0'], ['ab1001', 'ab1002', 'cd0003']);
    assert.deepEqual(await step(['downgrade', 'ab1001'], ['ab1001']), [
      'Running downgrade cd0003 -> ab1002, create t_cd0003',
      'Running downgrade ab1002 -> ab1001, create t_ab1002',
    ]);
    await step(['upgrade', 'ab1001+1'], ['ab1001', 'ab1002']);
    await step(['upgrade', '+2'], ['ab1001', 'ab1002', 'cd0003', 'ef0004']);
    await step(['downgrade', '-2'], ['ab1001', 'ab1002']);
    assert.deepEqual(await versionRows(url), ['ab1002']);

    const refusals: [string[], RegExp][] = [
      [
        ['downgrade', '-5'],
        /downgrade -5: only 2 revisions are applied; `dataregistry downgrade base`/,
      ],
      [['upgrade', 'zz99'], /No revision matches `zz99` in 4 revisions/],
      [['upgrade', 'ab1'], /`ab1` matches 2 revisions \(ab1001, ab1002\); give more characters/],
      [['downgrade', 'ab1'], /`ab1` matches 2 revisions \(ab1001, ab1002\)/],
    ];
    for (const [args, expected] of refusals) {
      const result = await cli(...args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.match(errorLine(result), expected);
      assert.equal(result.stdout, '');
    }
    assert.deepEqual(await userTables(url), ['t_ab1001', 't_ab1002'], 'nothing changed');
    assert.deepEqual(await versionRows(url), ['ab1002']);
  });

  test('downgrade base --sql and upgrade base:head --sql (without a database) do what the commands do', async () => {
    const online = await workspace(ctx);
    const offlineUrl = await ctx.freshDatabaseUrl();
    const { dir } = online;
    writeTableChain(dir, ['o00001', 'o00002']);
    writeRevision(
      dir,
      {
        id: 'o00003',
        parents: ['o00002'],
        upgrade: "INSERT INTO t_o00001 (id, v) VALUES (1, 'semi;colon ''quoted''');",
        downgrade: 'DELETE FROM t_o00001;',
      },
      3,
    );
    const noServer = await unreachableUrl(ctx.dialect, online.url);

    const rendered = await runCli([
      'upgrade',
      'base:head',
      '--sql',
      '--db',
      noServer.url,
      '--dir',
      dir,
    ]);
    assert.equal(rendered.code, 0, rendered.stderr);
    assert.match(rendered.stdout, /^-- Running upgrade o00002 -> o00003/m);
    noServer.checkUntouched();
    await feed(offlineUrl, rendered.stdout);
    assert.equal((await online.cli('upgrade', 'head')).code, 0);
    assert.deepEqual(await userTables(online.url), ['t_o00001', 't_o00002']);
    assert.deepEqual(await snapshot(offlineUrl), await snapshot(online.url));

    const down = await runCli(['downgrade', 'base', '--sql', '--db', offlineUrl, '--dir', dir]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await versionRows(offlineUrl), ['o00003'], '--sql runs nothing');
    await feed(offlineUrl, down.stdout);
    assert.equal((await online.cli('downgrade', 'base')).code, 0);
    assert.deepEqual(await userTables(online.url), []);
    assert.deepEqual(await snapshot(offlineUrl), await snapshot(online.url));
  });
});

function table(id: string, parents: readonly string[], message = `create t_${id}`) {
  return {
    id,
    parents,
    message,
    upgrade: `CREATE TABLE t_${id} (id integer primary key, v varchar(50));`,
    downgrade: `DROP TABLE t_${id};`,
  };
}

/** Feeds a `--sql` script to the database's own client. */
async function feed(url: string, script: string): Promise<void> {
  const fed = await runNativeClient(url, script);
  assert.equal(fed.code, 0, `${fed.stderr}\n---\n${script}`);
}

/** What a migration leaves behind: tables, version rows and the history (without times). */
async function snapshot(url: string) {
  const history = await queryRows(
    url,
    'SELECT revision, direction, checksum FROM dataregistry_version_history ORDER BY id',
  );
  return {
    tables: await userTables(url),
    versions: await versionRows(url),
    history: history.map(
      (row) => `${String(row.direction)} ${String(row.revision)} ${String(row.checksum)}`,
    ),
  };
}

/**
 * A URL of the dialect where no database answers: a closed loopback port, or for SQLite a file
 * in a folder that does not exist (and must not be created).
 */
async function unreachableUrl(dialect: DialectName, like: string) {
  if (dialect === 'sqlite') {
    const parent = makeTempDir();
    tempDirs.push(parent);
    const folder = join(parent, 'never');
    return {
      url: `sqlite:${join(folder, 'x.db')}`,
      checkUntouched: () => assert.equal(existsSync(folder), false, 'no database was opened'),
    };
  }
  const url = new URL(like);
  url.port = String(await closedPort());
  return { url: url.href, checkUntouched: () => {} };
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface JsRevision {
  readonly id: string;
  readonly parent?: string;
  /** The body of `upgrade(db)`; `db` is a Kysely executor. */
  readonly upgrade: string;
  readonly downgrade?: string;
}

/** Writes a JavaScript revision module, named to sort at `index` like writeRevision's files. */
function writeJsRevision(dir: string, index: number, revision: JsRevision): string {
  const path = join(dir, `2024_01_01_${String(index).padStart(4, '0')}-${revision.id}_js.mjs`);
  const text = [
    `export const revision = '${revision.id}';`,
    `export const revises = ${revision.parent ? `'${revision.parent}'` : 'null'};`,
    `export const message = 'js ${revision.id}';`,
    `export async function upgrade(db) {\n${revision.upgrade}\n}`,
    `export async function downgrade(db) {\n${revision.downgrade ?? ''}\n}`,
    '',
  ].join('\n');
  writeFileSync(path, text);
  return path;
}

/** Replaces the body of `export async function <name>(db) { … }` in a generated module. */
function replaceFunctionBody(text: string, name: string, body: string): string {
  const pattern = new RegExp(`(export async function ${name}\\(db\\) \\{\\n)[\\s\\S]*?\\n\\}`);
  assert.match(text, pattern);
  return text.replace(pattern, (_match, start: string) => `${start}${body}\n}`);
}

/**
 * Waits until a run holds the migration lock, and returns the holder's pid as the lock records
 * it: PostgreSQL and MySQL in the table `dataregistry_version_lock`, SQLite in a file next to
 * the database.
 */
async function waitForLockHolder(dialect: DialectName, url: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const pid = await readLockHolderPid(dialect, url).catch(() => undefined);
    if (pid !== undefined) return pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('No run took the migration lock within 10 s');
}

async function readLockHolderPid(dialect: DialectName, url: string): Promise<number | undefined> {
  if (dialect === 'sqlite') {
    const holderFile = `${url.slice('sqlite:'.length)}.lock.json`;
    if (!existsSync(holderFile)) return undefined;
    return (JSON.parse(readFileSync(holderFile, 'utf8')) as { pid: number }).pid;
  }
  const rows = await queryRows(url, 'SELECT pid FROM dataregistry_version_lock');
  return rows[0] === undefined ? undefined : Number(rows[0].pid);
}

/** The one line a failed command writes on stderr: prefixed, and without a stack trace. */
function errorLine(result: CliResult): string {
  const all = lines(result.stderr);
  assert.equal(all.length, 1, `one line on stderr:\n${result.stderr}`);
  assert.match(all[0]!, /^dataregistry: error: /);
  assert.doesNotMatch(result.stderr, /\n {4}at /);
  return all[0]!;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** `Running upgrade a -> b, msg (1.2 ms)` without its duration. */
function stripDuration(line: string): string {
  return line.replace(/ \(\d+(\.\d+)? m?s\)$/, '');
}

function idOf(path: string): string {
  return /-([0-9a-f]{12})_[^/]*$/.exec(path)![1]!;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function userTables(url: string): Promise<string[]> {
  return (await listTables(url)).filter((name) => !name.startsWith('dataregistry_')).sort();
}

async function versionRows(url: string): Promise<string[]> {
  const rows = await queryRows(url, 'SELECT version_num FROM dataregistry_version');
  return rows.map((row) => String(row.version_num)).sort();
}
