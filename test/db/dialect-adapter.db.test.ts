// The dialect adapters' contract on real databases: the migration lock (across handles, across
// processes, across transactions), error classification, literals, placeholders inlined for
// offline SQL, statements ended for the dialect's own client, timestamps and connection
// failures. One body, run on every dialect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/connect.js';
import type { DatabaseHandle } from '../../src/db/database-handle.js';
import type { LockHolder, HeldLock, TableLockHolder } from '../../src/db/dialect-adapter.js';
import type { DialectName } from '../../src/db/dialect-name.js';
import { inlineParameters } from '../../src/db/inline-parameters.js';
import { isDataRegistryError, type DataRegistryError } from '../../src/shared/errors.js';
import { makeTempDir } from '../support/revision-folder.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { runNativeClient } from '../support/native-client.js';
import { databaseUrl } from '../support/test-databases.js';

const lockName = 'dataregistry_version';
const holderA: LockHolder = {
  host: 'host-a',
  pid: 11111,
  since: new Date('2026-01-02T03:04:05.678Z'),
};
const holderB: LockHolder = {
  host: 'host-b',
  pid: 22222,
  since: new Date('2026-01-02T03:04:06.000Z'),
};

forEachDialect('the dialect adapter', (ctx) => {
  test('a lock is exclusive across two handles, and the loser learns who holds it', async () => {
    await withHandles(await ctx.freshDatabaseUrl(), 2, async ([a, b]) => {
      const lock = await acquire(a, holderA);
      const attempt = await b.dialect.tryAcquireLock(lockName, holderB);
      assert.equal(attempt.acquired, false);
      assert.deepEqual(!attempt.acquired && attempt.holder, holderA);
      await lock.release();
    });
  });

  test('a released lock can be taken again, release is idempotent, and close releases locks', async () => {
    const url = await ctx.freshDatabaseUrl();
    await withHandles(url, 2, async ([a, b]) => {
      const first = await acquire(a, holderA);
      await first.release();
      await first.release();
      const second = await acquire(b, holderB);
      const retry = await a.dialect.tryAcquireLock(lockName, holderA);
      assert.equal(retry.acquired, false);
      assert.deepEqual(!retry.acquired && retry.holder, holderB);
      await second.release();
      await acquire(a, holderA); // left held: closing the handle must release it
    });
    await withHandle(url, async (c) => {
      const again = await acquire(c, holderB);
      await again.release();
    });
  });

  test('only one of many handles racing for the lock gets it', async () => {
    await withHandles(await ctx.freshDatabaseUrl(), 5, async (handles) => {
      const attempts = await Promise.all(
        handles.map((handle, index) =>
          handle.dialect.tryAcquireLock(lockName, { ...holderA, pid: index + 1 }),
        ),
      );
      assert.equal(attempts.filter((attempt) => attempt.acquired).length, 1);
      for (const attempt of attempts) if (attempt.acquired) await attempt.lock.release();
    });
  });

  test('the lock holds across many transactions on its handle', async () => {
    await withHandles(await ctx.freshDatabaseUrl(), 2, async ([a, b]) => {
      const lock = await acquire(a, holderA);
      await sql`CREATE TABLE numbers (id integer primary key)`.execute(a.db);
      for (const id of [1, 2, 3]) {
        await a.db
          .transaction()
          .execute((trx) => sql`INSERT INTO numbers VALUES (${id})`.execute(trx));
      }
      await assert.rejects(
        a.db.transaction().execute(async (trx) => {
          await sql`INSERT INTO numbers VALUES (4)`.execute(trx);
          throw new Error('roll back');
        }),
        /roll back/,
      );
      await a.db.connection().execute((connection) => sql`SELECT 1`.execute(connection));
      const attempt = await b.dialect.tryAcquireLock(lockName, holderB);
      assert.equal(attempt.acquired, false);
      const count = await sql<{ n: unknown }>`SELECT count(*) AS n FROM numbers`.execute(b.db);
      assert.equal(Number(count.rows[0]?.n), 3);
      await lock.release();
      await (await acquire(b, holderB)).release();
    });
  });

  test('a lock blocks another process, and ends when that process dies', async () => {
    const url = await ctx.freshDatabaseUrl();
    await withHandle(url, async (a) => {
      const lock = await acquire(a, holderA);
      const blocked = await lockInChildProcess(url);
      assert.deepEqual(blocked.first, { acquired: false, holder: holderA });
      await blocked.exited;
      await lock.release();

      const child = await lockInChildProcess(url);
      assert.equal(child.first.acquired, true);
      const attempt = await a.dialect.tryAcquireLock(lockName, holderA);
      assert.equal(attempt.acquired, false);
      assert.equal(!attempt.acquired && attempt.holder?.pid, child.pid);
      child.kill();
      await child.exited;
      // The server (or, for SQLite, the operating system) notices the dead connection promptly.
      const retaken = await retryUntilAcquired(a, holderA);
      await retaken.release();
    });
  });

  test('classifies duplicate keys, foreign-key violations and missing tables', async () => {
    await withHandle(await ctx.freshDatabaseUrl(), async (h) => {
      await sql`CREATE TABLE parent (id integer primary key)`.execute(h.db);
      await sql`CREATE TABLE child (id integer primary key, parent_id integer, FOREIGN KEY (parent_id) REFERENCES parent (id))`.execute(
        h.db,
      );
      await sql`INSERT INTO parent VALUES (1)`.execute(h.db);
      await sql`INSERT INTO child VALUES (1, 1)`.execute(h.db);
      const classify = async (statement: string) =>
        h.dialect.classifyError(await errorOf(sql.raw(statement).execute(h.db)));
      assert.equal(await classify('INSERT INTO parent VALUES (1)'), 'unique-violation');
      assert.equal(await classify('INSERT INTO child VALUES (2, 99)'), 'foreign-key-violation');
      assert.equal(await classify('DELETE FROM parent'), 'foreign-key-violation');
      assert.equal(await classify('SELECT * FROM no_such_table'), 'undefined-table');
      assert.equal(await classify('SELECT no_such_column FROM parent'), 'other');
      assert.equal(h.dialect.classifyError(new Error('anything')), 'other');
    });
  });

  test('an unreachable database is DATABASE_UNAVAILABLE, a connection error, with the password masked', async () => {
    const url = await unreachableUrl(ctx.dialect);
    const error = await openError(url);
    assert.equal(error.code, 'DATABASE_UNAVAILABLE');
    assert.ok(!error.message.includes(secret), error.message);
    assert.ok(!error.message.includes('\n'), error.message);
    assert.match(
      error.message,
      /^Cannot connect to \S+: .+\. .+\? Check --db or DATA_REGISTRY_DB_CONNECTION\.$/,
    );
    if (ctx.dialect === 'sqlite') {
      assert.ok(error.message.includes(url), error.message);
    } else {
      assert.ok(error.message.includes(`:***@127.0.0.1:`), error.message);
      assert.match(error.message, /ECONNREFUSED.*Is the server running\?/);
    }
    await withHandle(await ctx.freshDatabaseUrl(), (h) => {
      assert.equal(h.dialect.classifyError(error.cause), 'connection');
      return Promise.resolve();
    });
  });

  test(
    'a database that does not exist is DATABASE_UNAVAILABLE, saying so',
    { skip: ctx.dialect === 'sqlite' && 'SQLite creates missing files' },
    async () => {
      if (ctx.dialect === 'sqlite') return;
      const error = await openError(databaseUrl(ctx.dialect, 'dr_test_missing_database'));
      assert.equal(error.code, 'DATABASE_UNAVAILABLE');
      assert.match(error.message, /dr_test_missing_database/);
      assert.match(error.message, /Does the database exist/);
    },
  );

  test('renderLiteral round-trips awkward values through the database', async () => {
    await withHandle(await ctx.freshDatabaseUrl(), async (h) => {
      const values = [
        "it's",
        'a\\b',
        "\\'; DROP TABLE x; --",
        'trailing backslash \\',
        "''",
        'unicode: héllo wörld ✓ 日本 😀',
        'new\nline and\ttab',
        '',
      ];
      for (const value of values) {
        const result = await sql
          .raw<{ v: unknown }>(`SELECT ${h.dialect.renderLiteral(value)} AS v`)
          .execute(h.db);
        assert.equal(result.rows[0]?.v, value);
      }
      const numbers = await sql
        .raw<{ n: unknown; z: unknown }>(
          `SELECT ${h.dialect.renderLiteral(42)} AS n, ${h.dialect.renderLiteral(null)} AS z`,
        )
        .execute(h.db);
      assert.equal(Number(numbers.rows[0]?.n), 42);
      assert.equal(numbers.rows[0]?.z, null);
    });
  });

  test('inlineParameters, by the placeholder style, writes queries that do what they do parameterised', async () => {
    await withHandle(await ctx.freshDatabaseUrl(), async (h) => {
      await sql`CREATE TABLE notes (id integer primary key, body varchar(100), amount integer, at varchar(30), note varchar(100))`.execute(
        h.db,
      );
      const at = new Date('2026-01-02T03:04:05.678Z');
      const rows = [
        { id: 1, body: "it's ? and $1", amount: 42, at, note: null },
        { id: 2, body: 'a\\b `x` "y" $2', amount: -7, at, note: '' },
      ];
      const queries = [
        h.db.insertInto('notes').values(rows).compile(),
        // A `?` and a `$1` inside a literal of the SQL text are no placeholders.
        h.db
          .updateTable('notes')
          .set({ note: sql.lit('? $1') })
          .where('id', '=', 2)
          .compile(),
      ];
      for (const query of queries) {
        assert.ok(query.parameters.length > 0, query.sql);
        await sql.raw(inlineParameters(query, h.dialect)).execute(h.db);
      }
      const stored = await sql<
        Record<string, unknown>
      >`SELECT id, body, amount, at, note FROM notes ORDER BY id`.execute(h.db);
      assert.deepEqual(
        stored.rows.map((row) => ({ ...row, id: Number(row.id), amount: Number(row.amount) })),
        [
          { ...rows[0], at: at.toISOString() },
          { ...rows[1], at: at.toISOString(), note: '? $1' },
        ],
      );
    });
  });

  test("terminateStatement ends statements so that the dialect's own client runs them whole", async () => {
    const url = await ctx.freshDatabaseUrl();
    await withHandle(url, async (h) => {
      const statements = [
        'CREATE TABLE words (v varchar(20))',
        ...shoutingTrigger[ctx.dialect],
        "INSERT INTO words (v) VALUES ('a;b')",
      ];
      const result = await runNativeClient(
        url,
        statements.map((statement) => h.dialect.terminateStatement(statement)).join('\n'),
      );
      assert.equal(result.code, 0, result.stderr);
      const words = await sql<{ v: string }>`SELECT v FROM words`.execute(h.db);
      assert.deepEqual(
        words.rows.map((row) => row.v),
        ['a;b!'],
      );
    });
  });

  test('currentTimestampSql is the current UTC time as ISO 8601 with milliseconds', async () => {
    await withHandle(await ctx.freshDatabaseUrl(), async (h) => {
      const result = await sql
        .raw<{ t: unknown }>(`SELECT ${h.dialect.currentTimestampSql} AS t`)
        .execute(h.db);
      const text = result.rows[0]?.t;
      assert.equal(typeof text, 'string');
      assert.match(String(text), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const offMinutes = Math.abs(Date.parse(String(text)) - Date.now()) / 60_000;
      assert.ok(offMinutes < 60, `${String(text)} is not the current UTC time`);
    });
  });

  test('a lock wait bounded by tableLockTimeoutSql fails as lock-timeout, and meanwhile names the session holding the lock', async () => {
    await withHandles(await ctx.freshDatabaseUrl(), 2, async ([holding, waiting]) => {
      await sql`CREATE TABLE held (id integer primary key)`.execute(holding.db);
      await holding.db.connection().execute(async (holder) => {
        // An open transaction that read the table (SQLite: one that holds the write lock).
        await sql.raw(ctx.dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN').execute(holder);
        await sql`SELECT * FROM held`.execute(holder);
        const holderId = await holding.dialect.readSessionId(holder);
        await waiting.db.connection().execute(async (waiter) => {
          const bound = waiting.dialect.tableLockTimeoutSql(300);
          for (const statement of bound.session) await sql.raw(statement).execute(waiter);
          const waiterId = await waiting.dialect.readSessionId(waiter);
          let settled = false;
          const ddl = errorOf(sql`ALTER TABLE held ADD COLUMN extra integer`.execute(waiter));
          void ddl.then(() => (settled = true));
          let holders: readonly TableLockHolder[] = [];
          while (waiterId !== undefined && !settled && holders.length === 0) {
            holders = await waiting.dialect.readLockHolders(waiterId);
          }
          assert.equal(waiting.dialect.classifyError(await ddl), 'lock-timeout');
          if (ctx.dialect === 'sqlite') {
            assert.equal(holderId, undefined, 'SQLite names no session');
          } else {
            assert.ok(holderId !== undefined && waiterId !== undefined && holderId !== waiterId);
            assert.deepEqual(
              holders.map((holder) => holder.sessionId),
              [holderId],
            );
            assert.ok((holders[0]?.transactionAgeMs ?? -1) >= 0, 'the transaction age is known');
          }
          for (const statement of bound.resetSession) await sql.raw(statement).execute(waiter);
        });
        await sql.raw('ROLLBACK').execute(holder);
      });
      assert.deepEqual(await holding.dialect.readInvalidIndexes(), []);
    });
  });
});

/** A trigger that appends `!` to every word inserted: statements with semicolons inside. */
const shoutingTrigger: Record<DialectName, string[]> = {
  postgresql: [
    "CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.v := NEW.v || '!'; RETURN NEW; END $$",
    'CREATE TRIGGER shout BEFORE INSERT ON words FOR EACH ROW EXECUTE FUNCTION shout()',
  ],
  mysql: [
    "CREATE TRIGGER shout BEFORE INSERT ON words FOR EACH ROW BEGIN SET NEW.v = CONCAT(NEW.v, '!'); END",
  ],
  sqlite: [
    "CREATE TRIGGER shout AFTER INSERT ON words BEGIN UPDATE words SET v = v || '!' WHERE rowid = NEW.rowid; END",
  ],
};

const secret = 'pa55-w0rd-never-shown';

/** Two or more handles on one database, each opened separately. */
type Handles = readonly [DatabaseHandle, DatabaseHandle, ...DatabaseHandle[]];

async function withHandles(
  url: string,
  count: number,
  work: (handles: Handles) => Promise<void>,
): Promise<void> {
  const handles: DatabaseHandle[] = [];
  try {
    for (let i = 0; i < Math.max(count, 2); i += 1) handles.push(await openDatabase(url));
    await work(handles as unknown as Handles);
  } finally {
    await Promise.all(handles.map((handle) => handle.close()));
  }
}

async function withHandle(
  url: string,
  work: (handle: DatabaseHandle) => Promise<void>,
): Promise<void> {
  const handle = await openDatabase(url);
  try {
    await work(handle);
  } finally {
    await handle.close();
  }
}

async function acquire(handle: DatabaseHandle, holder: LockHolder): Promise<HeldLock> {
  const attempt = await handle.dialect.tryAcquireLock(lockName, holder);
  assert.ok(attempt.acquired, `expected to acquire the lock, but ${JSON.stringify(attempt)}`);
  return attempt.lock;
}

async function retryUntilAcquired(handle: DatabaseHandle, holder: LockHolder): Promise<HeldLock> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const attempt = await handle.dialect.tryAcquireLock(lockName, holder);
    if (attempt.acquired) return attempt.lock;
    assert.ok(Date.now() < deadline, 'the lock of a killed process was never released');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the statement to fail');
}

async function openError(url: string): Promise<DataRegistryError> {
  const error = await errorOf(openDatabase(url));
  assert.ok(isDataRegistryError(error), String(error));
  return error;
}

async function unreachableUrl(dialect: string): Promise<string> {
  if (dialect === 'sqlite') return `sqlite:${makeTempDir()}`; // a folder is no database file
  const port = await closedLoopbackPort();
  const user = dialect === 'mysql' ? 'root' : 'postgres';
  return `${dialect}://${user}:${secret}@127.0.0.1:${port}/x`;
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise((resolve) => server.close(resolve));
  return address.port;
}

interface ChildLock {
  readonly pid: number;
  readonly first: { acquired: boolean; holder?: unknown };
  readonly exited: Promise<unknown>;
  kill(): void;
}

const connectModule = new URL('../../src/db/connect.js', import.meta.url).href;

/**
 * Starts a process that tries the lock once and reports; when it gets the lock it keeps it until
 * killed, otherwise it exits.
 */
async function lockInChildProcess(url: string): Promise<ChildLock> {
  const script = `
    const { openDatabase } = await import(${JSON.stringify(connectModule)});
    const handle = await openDatabase(process.env.LOCK_TEST_URL);
    const attempt = await handle.dialect.tryAcquireLock(${JSON.stringify(lockName)}, { host: 'child', pid: process.pid, since: new Date() });
    const holder = attempt.acquired ? undefined : attempt.holder;
    console.log(JSON.stringify({ acquired: attempt.acquired, holder }));
    if (attempt.acquired) setInterval(() => {}, 1000);
    else await handle.close();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, LOCK_TEST_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    exited.then(() => assert.fail('the child process exited without reporting')),
  ])) as [string];
  const parsed = JSON.parse(line) as {
    acquired: boolean;
    holder?: { host: string; pid: number; since: string };
  };
  const first = parsed.holder
    ? {
        acquired: parsed.acquired,
        holder: { ...parsed.holder, since: new Date(parsed.holder.since) },
      }
    : { acquired: parsed.acquired };
  return { pid: child.pid ?? -1, first, exited, kill: () => child.kill('SIGKILL') };
}
