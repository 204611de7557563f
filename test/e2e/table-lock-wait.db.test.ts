// Migrations give way instead of blocking traffic (docs/migrations.md, "Table locks"), through
// the built CLI on real servers: another session holds a lock the revision needs; the revision's
// wait times out, is retried naming the holder, and succeeds once the holder lets go (released on
// seeing the retry line, never after a sleep); with too few retries it exits 75. Meanwhile a query
// on the table is not stuck behind the waiting migration, unlike with --table-lock-timeout 0.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DialectName } from '../../src/db/dialect-name.js';
import { describeOnServer } from '../support/for-each-dialect.js';
import { queryRows } from '../support/inspect-database.js';
import { tempDirsForThisFile, writeRevision } from '../support/revision-folder.js';
import { runCli, startCli as startCliProcess, type CliResult } from '../support/run-cli.js';
import { freshDatabaseUrl } from '../support/test-databases.js';

type ServerDialect = Exclude<DialectName, 'sqlite'>;

const tempDir = tempDirsForThisFile('dataregistry-table-lock-');
/** A failing test must fail, not hang: every wait here ends with the migration process. */
const testTimeout = { timeout: 120_000 };

// What a failed (or timed-out) test leaves running is ended here, so that the file still ends.
const cleanups: (() => unknown)[] = [];
after(async () => {
  await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
});

function startCli(...args: Parameters<typeof startCliProcess>) {
  const running = startCliProcess(...args);
  cleanups.push(() => running.kill());
  return running;
}

/** A session of the test's own on the database, as another application would hold one. */
interface Session {
  /** pg_backend_pid() / CONNECTION_ID(). */
  readonly id: number;
  query(statement: string): Promise<unknown[]>;
  close(): Promise<void>;
}

async function openSession(dialect: ServerDialect, url: string): Promise<Session> {
  if (dialect === 'postgresql') {
    const client = new pg.Client({ connectionString: url, application_name: 'lock-holder-test' });
    client.on('error', () => {});
    await client.connect();
    const id = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const close = () => client.end().catch(() => {});
    cleanups.push(close);
    return {
      id,
      query: async (statement) => (await client.query(statement)).rows as unknown[],
      close,
    };
  }
  const connection = await mysql.createConnection(url);
  const [rows] = await connection.query('SELECT CONNECTION_ID() AS id');
  const close = () => connection.end().catch(() => connection.destroy());
  cleanups.push(close);
  return {
    id: Number((rows as { id: number }[])[0]!.id),
    query: async (statement) => (await connection.query(statement))[0] as unknown[],
    close,
  };
}

/** Polls (no timing: until the process ends) until `check` holds; false if the process ended first. */
async function until(check: () => Promise<boolean>, running: Promise<unknown>): Promise<boolean> {
  let ended = false;
  void running.then(() => (ended = true));
  while (!ended) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

/** The migration's session is waiting for a lock on `table` (seen from `observer`). */
function migrationWaits(dialect: ServerDialect, observer: Session): () => Promise<boolean> {
  const query =
    dialect === 'postgresql'
      ? "SELECT pid FROM pg_stat_activity WHERE application_name = 'dataregistry upgrade' AND wait_event_type = 'Lock'"
      : "SELECT ID FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock' AND INFO LIKE 'ALTER TABLE held%'";
  return async () => (await observer.query(query)).length > 0;
}

/** `session` waits for a lock behind the migration (the lock queue). */
function queuedBehindMigration(
  dialect: ServerDialect,
  observer: Session,
  session: Session,
): () => Promise<boolean> {
  const query =
    dialect === 'postgresql'
      ? 'SELECT 1 FROM pg_stat_activity a JOIN pg_stat_activity m ON m.pid = ANY (pg_blocking_pids(a.pid)) ' +
        `WHERE a.pid = ${session.id} AND m.application_name = 'dataregistry upgrade'`
      : `SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ${session.id} AND STATE LIKE 'Waiting for table metadata lock'`;
  return async () => (await observer.query(query)).length > 0;
}

function errorLine(result: CliResult): string {
  const lines = result.stderr.trim().split('\n');
  return lines.at(-1) ?? '';
}

for (const dialect of ['postgresql', 'mysql'] as const) {
  describeOnServer(`table-lock waits give way (${dialect})`, dialect, () => {
    /** A database with `held` (one row) and `marker`, a versions folder, and the CLI bound to both. */
    async function workspace() {
      const url = await freshDatabaseUrl(dialect);
      const dir = tempDir();
      const setup = await openSession(dialect, url);
      await setup.query('CREATE TABLE held (id integer primary key)');
      await setup.query('CREATE TABLE marker (n integer)');
      await setup.query('INSERT INTO held VALUES (1)');
      await setup.close();
      const args = (...rest: string[]) => [...rest, '--db', url, '--dir', dir];
      return { url, dir, args };
    }

    test(
      'a revision blocked by an open transaction retries, naming the holder, and succeeds once it ends; a query meanwhile is not stuck behind it',
      testTimeout,
      async () => {
        const { url, dir, args } = await workspace();
        writeRevision(
          dir,
          {
            id: 'a00001',
            upgrade:
              'INSERT INTO marker VALUES (1);\nALTER TABLE held ADD COLUMN extra integer DEFAULT 0;',
          },
          1,
        );
        const holder = await openSession(dialect, url);
        const observer = await openSession(dialect, url);
        const reader = await openSession(dialect, url);
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT * FROM held');

          const migration = startCli(args('upgrade', 'head'));
          assert.ok(
            await until(migrationWaits(dialect, observer), migration.done),
            'the migration waits',
          );
          // Issued while the migration waits for its lock: it queues behind the migration until
          // the migration's wait times out, and not until the holder ends.
          const read = reader.query('SELECT count(*) AS n FROM held').then(() => 'read');
          const first = await Promise.race([read, migration.done.then(() => 'migration ended')]);
          assert.equal(first, 'read', 'the read finished while the holder still held its lock');

          const holderName =
            dialect === 'postgresql' ? `pid ${holder.id}` : `connection ${holder.id}`;
          const retryLine = await migration.waitForStderrLine(/\(attempt 1 of 11\)/);
          assert.match(
            retryLine,
            /^Upgrade a00001 \(.*\): a table lock was not granted within 1\.0 s at statement 2 of 2 \[ALTER TABLE held ADD COLUMN extra/,
          );
          assert.ok(retryLine.includes(holderName), retryLine);
          assert.match(retryLine, /transaction open \d+\.\d s/);
          if (dialect === 'postgresql') {
            assert.match(retryLine, /application "lock-holder-test"/);
            assert.match(retryLine, /idle in transaction/);
            assert.match(retryLine, /retrying the revision in \d\.\d s$/);
          } else {
            // DDL commits itself: only the statement that timed out runs again.
            assert.match(retryLine, /retrying statement 2 alone \(statement 1 stays applied\)/);
          }
          await holder.query('COMMIT');

          const result = await migration.done;
          assert.equal(result.code, 0, result.stderr);
          assert.match(result.stdout, /Running upgrade {2}-> a00001/);
          const columns = await queryRows(url, 'SELECT extra FROM held');
          assert.deepEqual(
            columns.map((row) => Number(row.extra)),
            [0],
          );
          // PostgreSQL rolled the first attempt back and ran it again; MySQL never ran statement 1 twice.
          const markers = await queryRows(url, 'SELECT n FROM marker');
          assert.equal(markers.length, 1, 'statement 1 took effect exactly once');
        } finally {
          await Promise.all([holder.close(), observer.close(), reader.close()]);
        }
      },
    );

    test(
      'out of retries: one line naming the holder, exit 75, nothing applied',
      testTimeout,
      async () => {
        const { url, dir, args } = await workspace();
        writeRevision(
          dir,
          { id: 'b00001', upgrade: 'ALTER TABLE held ADD COLUMN extra integer DEFAULT 0;' },
          1,
        );
        const holder = await openSession(dialect, url);
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT * FROM held');
          const result = await runCli(args('upgrade', 'head', '--table-lock-retries', '1'));
          assert.equal(result.code, 75, result.stderr);
          const line = errorLine(result);
          assert.match(
            line,
            /^dataregistry: error: Upgrade b00001 \(.*\) gave up waiting for a table lock after 2 attempts of 1\.0 s at statement 1 of 1/,
          );
          assert.ok(
            line.includes(
              dialect === 'postgresql' ? `pid ${holder.id}` : `connection ${holder.id}`,
            ),
            line,
          );
          assert.match(line, /raise --table-lock-retries\.$/);
          assert.equal(
            result.stderr.match(/\(attempt \d of 2\)/g)?.length,
            1,
            'one line per retry',
          );
          assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
        } finally {
          await holder.query('ROLLBACK');
          await holder.close();
        }
        const current = await runCli(args('current'));
        assert.match(current.stderr, /No revision applied/);
        const columns = await queryRows(url, 'SELECT * FROM held');
        assert.deepEqual(Object.keys(columns[0]!), ['id'], 'the column was not added');
      },
    );

    test(
      'with --table-lock-timeout 0 the migration waits as before, and a query on the table queues behind it',
      testTimeout,
      async () => {
        const { url, dir, args } = await workspace();
        writeRevision(
          dir,
          { id: 'c00001', upgrade: 'ALTER TABLE held ADD COLUMN extra integer DEFAULT 0;' },
          1,
        );
        const holder = await openSession(dialect, url);
        const observer = await openSession(dialect, url);
        const reader = await openSession(dialect, url);
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT * FROM held');
          const migration = startCli(args('upgrade', 'head', '--table-lock-timeout', '0'));
          assert.ok(
            await until(migrationWaits(dialect, observer), migration.done),
            'the migration waits',
          );
          const read = reader.query('SELECT count(*) AS n FROM held');
          assert.ok(
            await until(queuedBehindMigration(dialect, observer, reader), migration.done),
            'the read waits behind the migration',
          );
          await holder.query('COMMIT');
          await read;
          const result = await migration.done;
          assert.equal(result.code, 0, result.stderr);
          assert.doesNotMatch(result.stderr, /attempt/);
        } finally {
          await Promise.all([holder.close(), observer.close(), reader.close()]);
        }
      },
    );
  });
}

describeOnServer('table-lock waits on PostgreSQL alone', 'postgresql', () => {
  test(
    'a CREATE INDEX CONCURRENTLY that times out names the invalid index it left and the statement that drops it, and is not retried',
    testTimeout,
    async () => {
      const url = await freshDatabaseUrl('postgresql');
      const dir = tempDir();
      const holder = await openSession('postgresql', url);
      await holder.query('CREATE TABLE held (id integer primary key, v integer)');
      writeRevision(
        dir,
        {
          id: 'd00001',
          noTransaction: true,
          upgrade: 'CREATE INDEX CONCURRENTLY held_v_idx ON held (v);',
        },
        1,
      );
      const args = (...rest: string[]) => [...rest, '--db', url, '--dir', dir];
      try {
        // A writer's open transaction: the index build waits for it after creating the index.
        await holder.query('BEGIN');
        await holder.query('INSERT INTO held VALUES (1, 1)');
        // Even with no retry left, the invalid index is what the error is about.
        const failed = await runCli(args('upgrade', 'head', '--table-lock-retries', '0'));
        assert.equal(failed.code, 1, failed.stderr);
        const line = errorLine(failed);
        assert.match(
          line,
          /^dataregistry: error: Upgrade d00001 .* failed at statement 1 of 1 \[CREATE INDEX CONCURRENTLY held_v_idx ON held \(v\)\]: canceling statement due to lock timeout\./,
        );
        assert.ok(line.includes('It left the invalid index "public"."held_v_idx" behind'), line);
        assert.ok(line.includes('DROP INDEX CONCURRENTLY IF EXISTS "public"."held_v_idx";'), line);
        assert.doesNotMatch(failed.stderr, /attempt \d/, 'not retried');
        await holder.query('ROLLBACK');
        await holder.query('DROP INDEX CONCURRENTLY IF EXISTS "public"."held_v_idx"');
      } finally {
        await holder.close();
      }
      const again = await runCli(args('upgrade', 'head'));
      assert.equal(again.code, 0, again.stderr);
      const valid = await queryRows(
        url,
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'held_v_idx'",
      );
      assert.deepEqual(valid, [{ indisvalid: true }]);
    },
  );

  test(
    'with --single-transaction the whole run is retried and, out of retries, rolled back whole: exit 75, naming the waiting revision',
    testTimeout,
    async () => {
      const url = await freshDatabaseUrl('postgresql');
      const dir = tempDir();
      const holder = await openSession('postgresql', url);
      await holder.query('CREATE TABLE held (id integer primary key)');
      writeRevision(dir, { id: 'g00001', upgrade: 'CREATE TABLE t_g (id integer);' }, 1);
      writeRevision(
        dir,
        {
          id: 'g00002',
          parents: ['g00001'],
          upgrade: 'ALTER TABLE held ADD COLUMN extra integer;',
        },
        2,
      );
      const args = (...rest: string[]) => [...rest, '--db', url, '--dir', dir];
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT * FROM held');
        const result = await runCli(
          args('upgrade', 'head', '--single-transaction', '--table-lock-retries', '1'),
        );
        assert.equal(result.code, 75, result.stderr);
        assert.match(
          result.stderr,
          /^The run \(--single-transaction\): a table lock was not granted within 1\.0 s in upgrade g00002 \(.*\) at statement 1 of 1 .*; retrying the whole run in/m,
        );
        assert.match(errorLine(result), /The whole run was rolled back \(--single-transaction\)/);
        assert.equal(result.stdout, '', 'no step is reported');
      } finally {
        await holder.query('ROLLBACK');
        await holder.close();
      }
      const tables = await queryRows(url, "SELECT to_regclass('t_g') AS t");
      assert.deepEqual(tables, [{ t: null }], 'the first revision was rolled back too');
    },
  );

  test(
    'stamp gives way too: it retries while the version table is locked, and stamps once it is free',
    testTimeout,
    async () => {
      const url = await freshDatabaseUrl('postgresql');
      const dir = tempDir();
      writeRevision(dir, { id: 'e00001', upgrade: 'CREATE TABLE t_e (id integer);' }, 1);
      const args = (...rest: string[]) => [...rest, '--db', url, '--dir', dir];
      assert.equal((await runCli(args('stamp', 'base'))).code, 0, 'creates the version tables');
      const holder = await openSession('postgresql', url);
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE dataregistry_version IN SHARE MODE');
        const stamp = startCli(args('stamp', 'head'));
        const line = await stamp.waitForStderrLine(/\(attempt 1 of 11\)/);
        assert.match(
          line,
          new RegExp(
            `^Stamp: a table lock was not granted within 1\\.0 s \\(attempt 1 of 11\\); lock held by pid ${holder.id} `,
          ),
        );
        await holder.query('COMMIT');
        const result = await stamp.done;
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /Stamped base -> e00001/);
      } finally {
        await holder.close();
      }
    },
  );
});

describeOnServer('table-lock waits on MariaDB/MySQL alone', 'mysql', () => {
  test(
    'out of retries after an earlier statement committed: REVISION_FAILED (exit 1) saying what ran and how to finish',
    testTimeout,
    async () => {
      const url = await freshDatabaseUrl('mysql');
      const dir = tempDir();
      const holder = await openSession('mysql', url);
      await holder.query('CREATE TABLE held (id integer primary key)');
      await holder.query('CREATE TABLE marker (n integer)');
      writeRevision(
        dir,
        {
          id: 'h00001',
          upgrade: 'INSERT INTO marker VALUES (1);\nALTER TABLE held ADD COLUMN extra integer;',
        },
        1,
      );
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT * FROM held');
        const result = await runCli([
          'upgrade',
          'head',
          '--table-lock-retries',
          '0',
          '--db',
          url,
          '--dir',
          dir,
        ]);
        assert.equal(result.code, 1, result.stderr);
        const line = errorLine(result);
        assert.match(
          line,
          /gave up waiting for a table lock after 1 attempts? of 1\.0 s at statement 2 of 2/,
        );
        assert.ok(line.includes(`connection ${holder.id}`), line);
        assert.match(
          line,
          /Its statement 1 was applied .*run statement 2 by hand and `dataregistry stamp h00001`, or revert statement 1, before running it again\.$/,
        );
      } finally {
        await holder.query('ROLLBACK');
        await holder.close();
      }
      assert.equal((await queryRows(url, 'SELECT n FROM marker')).length, 1);
    },
  );
});

describeOnServer('a no-transaction revision on PostgreSQL', 'postgresql', () => {
  test('is retried statement by statement under a session lock_timeout', testTimeout, async () => {
    const url = await freshDatabaseUrl('postgresql');
    const dir = tempDir();
    const holder = await openSession('postgresql', url);
    await holder.query('CREATE TABLE held (id integer primary key)');
    await holder.query('CREATE TABLE marker (n integer)');
    writeRevision(
      dir,
      {
        id: 'i00001',
        noTransaction: true,
        upgrade: 'INSERT INTO marker VALUES (1);\nALTER TABLE held ADD COLUMN extra integer;',
      },
      1,
    );
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM held');
      const migration = startCli(['upgrade', 'head', '--db', url, '--dir', dir]);
      const line = await migration.waitForStderrLine(/\(attempt 1 of 11\)/);
      assert.match(
        line,
        /at statement 2 of 2 .*retrying statement 2 alone \(statement 1 stays applied\)/,
      );
      await holder.query('COMMIT');
      const result = await migration.done;
      assert.equal(result.code, 0, result.stderr);
    } finally {
      await holder.close();
    }
    const markers = await queryRows(url, 'SELECT n FROM marker');
    assert.deepEqual(
      markers.map((row) => Number(row.n)),
      [1],
      'statement 1 ran once',
    );
  });
});

describe('table-lock waits give way (sqlite)', () => {
  /** An SQLite database already at its first revision, and another connection to it. */
  async function workspace() {
    const url = await freshDatabaseUrl('sqlite');
    const dir = tempDir();
    writeRevision(dir, { id: 'f00001', upgrade: 'CREATE TABLE held (id integer primary key);' }, 1);
    writeRevision(
      dir,
      {
        id: 'f00002',
        parents: ['f00001'],
        upgrade:
          'INSERT INTO held VALUES (1);\nALTER TABLE held ADD COLUMN extra integer DEFAULT 0;',
      },
      2,
    );
    const args = (...rest: string[]) => [...rest, '--db', url, '--dir', dir];
    assert.equal((await runCli(args('upgrade', 'f00001'))).code, 0);
    const holder = new Database(url.slice('sqlite:'.length));
    return { url, args, holder };
  }

  test(
    'a revision blocked by another connection’s write transaction retries and succeeds once it ends',
    testTimeout,
    async () => {
      const { url, args, holder } = await workspace();
      try {
        holder.exec('BEGIN IMMEDIATE');
        const migration = startCli(args('upgrade', 'head'));
        const line = await migration.waitForStderrLine(/\(attempt 1 of 11\)/);
        assert.match(
          line,
          /^Upgrade f00002 \(.*\): a table lock was not granted within 1\.0 s at statement 1 of 2 \[INSERT INTO held VALUES \(1\)\] \(attempt 1 of 11\); the database did not say who holds the lock; retrying the revision in/,
        );
        holder.exec('COMMIT');
        const result = await migration.done;
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(await queryRows(url, 'SELECT id, extra FROM held'), [{ id: 1, extra: 0 }]);
      } finally {
        holder.close();
      }
    },
  );

  test('out of retries: exit 75 and the revision rolled back', testTimeout, async () => {
    const { url, args, holder } = await workspace();
    try {
      holder.exec('BEGIN IMMEDIATE');
      const result = await runCli(
        args('upgrade', 'head', '--table-lock-retries', '0', '--table-lock-timeout', '0.2'),
      );
      assert.equal(result.code, 75, result.stderr);
      assert.match(
        errorLine(result),
        /^dataregistry: error: Upgrade f00002 .* gave up waiting for a table lock after 1 attempt of 0\.2 s .*The revision was rolled back/,
      );
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    assert.deepEqual(await queryRows(url, 'SELECT * FROM held'), []);
  });
});

describeOnServer('connections name their command (mysql)', 'mysql', () => {
  test(
    'every connection sends the program_name attribute `dataregistry <command>` in its handshake',
    testTimeout,
    async () => {
      const url = new URL(await freshDatabaseUrl('mysql'));
      // The server shows the attribute only with performance_schema on (MariaDB's default is off),
      // so the test reads what the client sends, through a loopback proxy.
      let sent = '';
      const target = { port: Number(url.port || 3306), host: url.hostname };
      const proxy = createServer((client) => {
        const server = connect(target.port, target.host);
        client.on('data', (chunk: Buffer) => (sent += chunk.toString('latin1')));
        client.pipe(server).pipe(client);
        client.on('error', () => server.destroy());
        server.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => proxy.close());
      const address = proxy.address();
      assert.ok(address !== null && typeof address === 'object');
      url.host = `127.0.0.1:${address.port}`;
      const result = await runCli(['current', '--db', url.href, '--dir', tempDir()]);
      assert.equal(result.code, 0, result.stderr);
      proxy.close();
      assert.ok(sent.includes('program_name'), 'the attribute is sent');
      assert.ok(sent.includes('dataregistry current'), 'named after the command');
    },
  );
});
