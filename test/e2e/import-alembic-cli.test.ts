// `dataregistry import-alembic` as users run it: the report, exit statuses, --dry-run, and the
// fixture Alembic project (test/fixtures/alembic-project) converted into a versions folder.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/run-cli.js';
import { tempDirsForThisFile } from '../support/revision-folder.js';

const fixture = fileURLToPath(new URL('../../../test/fixtures/alembic-project', import.meta.url));
const tempDir = tempDirsForThisFile('dr-import-alembic-');

describe('dataregistry import-alembic', () => {
  test('converts the fixture project, reports each revision, and exits 1 for the three that need a person', async () => {
    const out = join(tempDir(), 'versions');
    const result = await runCli(['import-alembic', fixture, '--dir', out]);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.filter((l) => l.startsWith('converted ')).length, 8);
    const marked = lines.filter((l) => l.startsWith('NOT CONVERTED '));
    assert.deepEqual(
      marked.map((l) => l.split(/\s+/)[2]),
      ['7a8b9c0d1e2f', '8b9c0d1e2f3a', '9c0d1e2f3a4b'],
    );
    assert.match(marked[1]!, /line 21: `audit_table_name` comes from `myproject\.naming/);
    assert.match(result.stdout, /note: branch labels reports kept as a header note/);
    assert.match(result.stdout, /note: depends_on 4d5e6f7a8b9c kept/);
    assert.match(
      lines.at(-1)!,
      /^11 revisions: 8 converted, 3 marked not converted, 0 not imported \(written to /,
    );
    assert.match(result.stderr, /^dataregistry: error: 3 of 11 revisions need a person/);
    assert.equal(readdirSync(out).length, 11, 'the marked revisions are written too');
    assert.deepEqual(
      readdirSync(out)
        .filter((name) => name.endsWith('.mjs'))
        .map((name) => name.slice(16, 28)),
      ['7a8b9c0d1e2f', '8b9c0d1e2f3a', '9c0d1e2f3a4b'],
      'as JavaScript revisions',
    );
    assert.ok(
      readdirSync(out).includes(
        '2023_02_01_0900-add_unique_dataset_name_datasets_each_name_unique_per_owner.sql',
      ),
    );
  });

  test('history of the converted folder names every revision with its parents', async () => {
    const out = join(tempDir(), 'versions');
    await runCli(['import-alembic', fixture, '--dir', out]);
    const history = await runCli(['history', '--dir', out]);
    assert.equal(history.code, 0, history.stderr);
    assert.match(
      history.stdout,
      /^4d5e6f7a8b9c, r2b3c4d5e6f7 -> 5e6f7a8b9c0d \(mergepoint\), merge the reports branch$/m,
    );
    assert.match(history.stdout, /^add_unique_dataset_name -> 3c4d5e6f7a8b \(branchpoint\), /m);
    assert.match(history.stdout, /^<base> -> 1a2b3c4d5e6f, create users table$/m);
  });

  test('the SQLite table rebuilds it writes for batch_alter_table pass check, with the indexes created again', async () => {
    const out = join(tempDir(), 'versions');
    await runCli(['import-alembic', fixture, '--dir', out]);
    const name = readdirSync(out).find((file) => file.includes('-r2b3c4d5e6f7_'))!;
    const text = readFileSync(join(out, name), 'utf8');
    const sqlite = text.slice(text.indexOf('-- migrate:upgrade sqlite'));
    assert.match(
      sqlite,
      /^CREATE TABLE _alembic_tmp_reports \(\n {4}id INTEGER NOT NULL,\n {4}title VARCHAR\(200\) NOT NULL,\n {4}kind VARCHAR\(80\),\n {4}PRIMARY KEY \(id\)\n\);\nINSERT INTO _alembic_tmp_reports \(id, title\) SELECT id, CAST\(title AS VARCHAR\(200\)\) FROM reports;\nDROP TABLE reports;\nALTER TABLE _alembic_tmp_reports RENAME TO reports;\nCREATE INDEX ix_reports_kind ON reports \(kind\);$/m,
    );
    const check = await runCli([
      'check',
      '--dir',
      out,
      '--dialect',
      'sqlite',
      '--no-round-trip',
      '--format',
      'json',
    ]);
    const { findings } = JSON.parse(check.stdout) as {
      findings: { rule: string; revision: string }[];
    };
    assert.ok(findings.length > 0, 'check ran over the folder');
    assert.deepEqual(
      findings.filter((f) => f.rule === 'sqlite-table-rebuild'),
      [],
      'no finding of sqlite-table-rebuild',
    );
  });

  test('--dry-run prints the same report and writes nothing', async () => {
    const out = join(tempDir(), 'versions');
    const result = await runCli(['import-alembic', fixture, '--dir', out, '--dry-run']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /\(dry run: nothing written\)/);
    assert.equal(existsSync(out), false);
  });

  test('exits 0 when every revision converts (a versions folder given directly)', async () => {
    const source = tempDir();
    cpSync(
      join(fixture, 'migrations/versions/1a2b3c4d5e6f_create_users_table.py'),
      join(source, 'first.py'),
    );
    const out = tempDir();
    const result = await runCli([
      'import-alembic',
      source,
      '--dir',
      out,
      '--dialect',
      'postgresql',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^1 revisions: 1 converted, 0 marked not converted, 0 not imported/m,
    );
    const [file] = readdirSync(out);
    assert.match(
      readFileSync(join(out, file!), 'utf8'),
      /^-- migrate:upgrade\nCREATE TABLE users \(\n {4}id SERIAL NOT NULL,/m,
    );
  });

  test('a file that is not valid Python is not imported, the others are', async () => {
    const source = tempDir();
    cpSync(
      join(fixture, 'migrations/versions/1a2b3c4d5e6f_create_users_table.py'),
      join(source, 'first.py'),
    );
    writeFileSync(join(source, 'broken.py'), 'revision = "x"\ndef upgrade(:\n    pass\n');
    writeFileSync(join(source, 'child.py'), 'revision = "y"\ndown_revision = "x"\n');
    const out = tempDir();
    const result = await runCli(['import-alembic', source, '--dir', out]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^not imported {3}\S*broken\.py line 2: not valid Python here/m);
    assert.match(
      result.stdout,
      /note: parent x is not among the imported revisions: the folder will not load until a file declares it/,
    );
    assert.equal(readdirSync(out).length, 2);
  });

  test('a second import into the same folder reports every revision unchanged and rewrites nothing', async () => {
    const out = tempDir();
    await runCli(['import-alembic', fixture, '--dir', out]);
    const before = readdirSync(out).map((name) => [name, readFileSync(join(out, name), 'utf8')]);
    const again = await runCli(['import-alembic', fixture, '--dir', out]);
    assert.equal(again.code, 1, 'the three marked revisions still need a person');
    const lines = again.stdout.split('\n').filter((l) => /^(converted|NOT CONVERTED) /.test(l));
    assert.equal(lines.length, 11);
    assert.ok(
      lines.every((l) => l.endsWith('(unchanged: not written again)')),
      again.stdout,
    );
    assert.match(again.stdout, /; already in the folder: 11 unchanged \(written to /);
    assert.deepEqual(
      readdirSync(out).map((name) => [name, readFileSync(join(out, name), 'utf8')]),
      before,
    );
  });

  test('same ids with other content are refused, naming them, unless --force; a revision finished by hand is kept', async () => {
    const out = tempDir();
    await runCli(['import-alembic', fixture, '--dir', out]);
    const named = (id: string) =>
      join(
        out,
        readdirSync(out).find((n) => n.includes(`-${id}_`))!,
      );
    // A person finished 7a8b9c0d1e2f (the mark is gone) and edited 1a2b3c4d5e6f.
    const finished = readFileSync(named('7a8b9c0d1e2f'), 'utf8').replace(
      /^export const notConverted.*\n/m,
      '',
    );
    writeFileSync(named('7a8b9c0d1e2f'), finished);
    const edited = `${readFileSync(named('1a2b3c4d5e6f'), 'utf8')}-- edited by hand\n`;
    writeFileSync(named('1a2b3c4d5e6f'), edited);

    const refused = await runCli(['import-alembic', fixture, '--dir', out]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /already holds a revision of this import with other content: 1a2b3c4d5e6f \(2023_01_11_1106-1a2b3c4d5e6f_create_users_table\.sql\); nothing was written\. Give --force/,
    );
    assert.equal(readFileSync(named('1a2b3c4d5e6f'), 'utf8'), edited);

    const forced = await runCli(['import-alembic', fixture, '--dir', out, '--force']);
    assert.equal(forced.code, 1, 'two marked revisions still need a person');
    assert.match(forced.stdout, /^converted {6}1a2b3c4d5e6f .* \(replaced, --force\)$/m);
    assert.match(forced.stdout, /^converted {6}7a8b9c0d1e2f .* \(kept: finished by hand\)$/m);
    assert.match(
      forced.stdout,
      /9 converted, 2 marked not converted, 0 not imported; already in the folder: 9 unchanged, 1 kept, 1 replaced/,
    );
    assert.doesNotMatch(readFileSync(named('1a2b3c4d5e6f'), 'utf8'), /edited by hand/);
    assert.equal(readFileSync(named('7a8b9c0d1e2f'), 'utf8'), finished);
    assert.equal(readdirSync(out).length, 11);
  });

  test('bad usage exits 2 in one line: no --dir, a source that is no project, an unknown dialect', async () => {
    const cases = [
      [['import-alembic', fixture], /--dir <folder>/],
      [
        ['import-alembic', tempDir(), '--dir', tempDir()],
        /holds neither alembic\.ini nor revision files/,
      ],
      [
        ['import-alembic', fixture, '--dir', tempDir(), '--dialect', 'oracle'],
        /--dialect oracle is not one of/,
      ],
    ] as const;
    for (const [args, message] of cases) {
      const result = await runCli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    }
  });
});
