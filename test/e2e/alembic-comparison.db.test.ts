// import-alembic against real Alembic (Debian's `alembic`, with psycopg2 and PyMySQL), on each
// database: Alembic takes a fresh database to a middle revision; import-alembic converts the
// fixture project (test/fixtures/alembic-project), the three revisions it must not convert are
// converted by hand (hand-converted/); our `upgrade head` finishes on that same database. Its
// schema must then equal what Alembic's own `upgrade head` builds on another fresh database, both
// `history` lists must name the same revisions and parents, and Alembic must still read the
// database. Without Alembic the suite is skipped loudly; in CI (CI=true) it fails.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/connect.js';
import type { DialectName } from '../../src/db/dialect-name.js';
import { snapshotSchema } from '../../src/migrate/check/snapshot/schema-snapshot.js';
import { splitSqlStatements } from '../../src/migrate/files/split-sql-statements.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { queryRows } from '../support/inspect-database.js';
import { tempDirsForThisFile } from '../support/revision-folder.js';
import { runCli, runProcess } from '../support/run-cli.js';

const fixture = fileURLToPath(new URL('../../../test/fixtures/alembic-project', import.meta.url));
const tempDir = tempDirsForThisFile('dr-alembic-compare-');
const middle = '4d5e6f7a8b9c';
const handConverted = ['7a8b9c0d1e2f', '8b9c0d1e2f3a', '9c0d1e2f3a4b'];

/** Why real Alembic cannot run here for `dialect`, or undefined when it can. */
function alembicMissing(dialect: DialectName): string | undefined {
  const driver = { sqlite: 'sqlite3', postgresql: 'psycopg2', mysql: 'pymysql' }[dialect];
  const probe = spawnSync('alembic', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return 'no `alembic` command';
  const python = spawnSync('/usr/bin/python3', ['-c', `import alembic, ${driver}`], {
    encoding: 'utf8',
  });
  if (python.status !== 0) return `Python cannot import alembic and ${driver}`;
  return undefined;
}

/** Our URL as SQLAlchemy spells it, with the drivers Debian packages. */
function sqlalchemyUrl(url: string): string {
  if (url.startsWith('sqlite:')) return `sqlite:///${url.slice('sqlite:'.length)}`;
  if (url.startsWith('postgresql:')) return url.replace(/^postgresql:/, 'postgresql+psycopg2:');
  return url.replace(/^mysql:/, 'mysql+pymysql:');
}

async function alembic(url: string, ...args: string[]): Promise<string> {
  // PYTHONDONTWRITEBYTECODE: no __pycache__ folders left in the fixture.
  const result = await runProcess('alembic', args, {
    cwd: fixture,
    env: { ALEMBIC_FIXTURE_URL: sqlalchemyUrl(url), PYTHONDONTWRITEBYTECODE: '1' },
  });
  assert.equal(result.code, 0, `alembic ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The revisions of a `history` listing as `id <- parents` lines, sorted (marks left out). */
function revisionsOf(history: string): string[] {
  return history
    .trim()
    .split('\n')
    .map((line) => {
      const match = /^(.*?) -> (\S+?)(?: \(|,)/.exec(line);
      assert.ok(match, `a history line: ${line}`);
      // Alembic shows depends_on in parentheses among the parents; those are not parents.
      const parents = match[1]!
        .replace(/\([^)]*\)/g, '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '' && p !== '<base>');
      return `${match[2]} <- ${parents.sort().join(', ')}`;
    })
    .sort();
}

/**
 * What a person does with a marked revision: replaces the JavaScript revision import-alembic
 * wrote with an SQL file of the same header (id, parents, notes) holding the hand-written sections.
 */
function convertByHand(dir: string, id: string): void {
  const name = readdirSync(dir).find((file) => file.includes(`-${id}_`)) ?? '';
  assert.ok(name.endsWith('.mjs'), `the imported JavaScript revision of ${id}`);
  const text = readFileSync(join(dir, name), 'utf8');
  const header = text
    .slice(0, text.indexOf('\n// NOT CONVERTED'))
    .split('\n')
    .map((line) => line.replace(/^\/\//, '--'));
  const sections = readFileSync(join(fixture, 'hand-converted', `${id}.sql`), 'utf8');
  rmSync(join(dir, name));
  writeFileSync(join(dir, name.replace(/\.mjs$/, '.sql')), `${header.join('\n')}\n\n${sections}`);
}

/** The last revision before those a person converts: `alembic upgrade --sql` can run up to it. */
const lastConverted = '6f7a8b9c0d1e';

/**
 * An offline script's statements per revision (its `-- Running upgrade … -> <id>` comment),
 * normalised: whitespace collapsed, lower case, no identifier quotes; transaction control, lock
 * settings and the version-table bookkeeping (which differs by design: ours adds history rows)
 * left out.
 */
function statementsPerRevision(script: string, dialect: DialectName): Map<string, string[]> {
  const perRevision = new Map<string, string[]>();
  const parts = script.split(/^-- Running upgrade .*? -> ([^\s,]+).*$/m);
  for (let i = 1; i < parts.length; i += 2) {
    const statements = splitSqlStatements(parts[i + 1] ?? '', dialect)
      .map((statement) =>
        statement
          .replace(/^\s*--.*$/gm, '')
          .replace(/[`"]/g, '')
          .replace(/\s+/g, ' ')
          .replace(/\( /g, '(')
          .replace(/ \)/g, ')')
          .replace(/ ,/g, ',')
          .trim()
          .toLowerCase(),
      )
      .filter(
        (s) =>
          s !== '' &&
          !/^(begin|commit|start transaction|set (local|session) )/.test(s) &&
          !/\balembic_version(_history|_lock)?\b/.test(s),
      );
    perRevision.set(parts[i]!, statements);
  }
  return perRevision;
}

/**
 * Where the two scripts legitimately differ, per revision: why, and what is made equal.
 * Alembic's offline mode does not render the bind parameters given to conn.execute() (every
 * row of 4d5e6f7a8b9c's loop is `VALUES (NULL, NULL)` in its script), while ours writes each
 * row's values, as the online run sends them.
 */
const offlineDifferences: Readonly<
  Record<string, { why: string; normalise: (s: string) => string }>
> = {
  '4d5e6f7a8b9c': {
    why: "Alembic's --sql leaves out the bind parameters of conn.execute() (NULL for each)",
    normalise: (s) => s.replace(/^(insert into roles \(code, label\) values) \(.*\)$/, '$1 (…)'),
  },
};

async function schemaOf(url: string) {
  const handle = await openDatabase(url);
  try {
    return await snapshotSchema(handle, (table) => !/^alembic_version_(history|lock)$/.test(table));
  } finally {
    await handle.close();
  }
}

forEachDialect('import-alembic compared with Alembic', (ctx) => {
  const missing = alembicMissing(ctx.dialect);
  if (missing !== undefined) {
    const problem = `the comparison with real Alembic on ${ctx.dialect}: ${missing} (apt-get install alembic python3-psycopg2 python3-pymysql)`;
    if (process.env.CI === 'true') {
      void test('needs Alembic', () => {
        throw new Error(`FAILED: ${problem}`);
      });
    } else {
      process.stderr.write(`SKIPPED: ${problem}\n`);
      void describe('needs Alembic', { skip: problem }, () => {});
    }
    return;
  }

  test('Alembic to the middle, import, our upgrade head: the schema Alembic builds, the same history', async () => {
    const carriedOn = await ctx.freshDatabaseUrl();
    const byAlembic = await ctx.freshDatabaseUrl();
    await alembic(carriedOn, 'upgrade', middle);
    await alembic(byAlembic, 'upgrade', 'head');

    const versions = tempDir();
    const imported = await runCli(['import-alembic', fixture, '--dir', versions]);
    assert.equal(imported.code, 1, imported.stderr);
    handConverted.forEach((id) => convertByHand(versions, id));

    const target = ['--db', carriedOn, '--dir', versions, '--version-table', 'alembic_version'];
    assert.equal((await runCli(['current', ...target])).stdout, `${middle}\n`);
    const upgraded = await runCli(['upgrade', 'head', ...target]);
    assert.equal(upgraded.code, 0, upgraded.stderr);
    const applied = [...upgraded.stdout.matchAll(/-> (\S+),/g)].map((m) => m[1]).sort();
    assert.deepEqual(
      applied,
      ['5e6f7a8b9c0d', '6f7a8b9c0d1e', ...handConverted, 'r1a2b3c4d5e6', 'r2b3c4d5e6f7'].sort(),
      'exactly what Alembic had not applied',
    );

    assert.deepEqual(await schemaOf(carriedOn), await schemaOf(byAlembic));
    const versionRows = 'SELECT version_num FROM alembic_version';
    assert.deepEqual(
      await queryRows(carriedOn, versionRows),
      await queryRows(byAlembic, versionRows),
    );
    assert.match(
      await alembic(carriedOn, 'current'),
      /^9c0d1e2f3a4b \(head\)$/m,
      'Alembic still reads the database',
    );

    const ours = await runCli(['history', '--dir', versions]);
    assert.deepEqual(revisionsOf(ours.stdout), revisionsOf(await alembic(carriedOn, 'history')));
  });

  test(
    'upgrade base:<last converted> --sql gives the DDL and data statements of alembic upgrade --sql, revision by revision',
    // Alembic's batch mode reflects the live table to rebuild it on SQLite, so it has no --sql there.
    { skip: ctx.dialect === 'sqlite' ? 'Alembic cannot rebuild a SQLite table offline' : false },
    async () => {
      const url = await ctx.freshDatabaseUrl();
      const versions = tempDir();
      await runCli(['import-alembic', fixture, '--dir', versions]);
      const ours = await runCli([
        'upgrade',
        `base:${lastConverted}`,
        '--sql',
        '--db',
        url,
        '--dir',
        versions,
        '--version-table',
        'alembic_version',
      ]);
      assert.equal(ours.code, 0, ours.stderr);
      const theirs = await alembic(url, 'upgrade', `base:${lastConverted}`, '--sql');
      const ourRevisions = statementsPerRevision(ours.stdout, ctx.dialect);
      const theirRevisions = statementsPerRevision(theirs, ctx.dialect);
      assert.deepEqual([...ourRevisions.keys()].sort(), [...theirRevisions.keys()].sort());
      assert.ok(ourRevisions.size >= 8, 'every converted revision is compared');
      for (const [id, statements] of theirRevisions) {
        const difference = offlineDifferences[id];
        const normalise = difference?.normalise ?? ((s: string) => s);
        assert.deepEqual(
          (ourRevisions.get(id) ?? []).map(normalise),
          statements.map(normalise),
          `revision ${id}${difference === undefined ? '' : ` (${difference.why})`}`,
        );
      }
    },
  );
});
