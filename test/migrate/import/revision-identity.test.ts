import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  readAlembicRevision,
  UnreadableRevision,
} from '../../../src/migrate/import/alembic/read-alembic-revision.js';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importAlembic } from '../../../src/migrate/import/alembic/import-alembic.js';
import { tempDirsForThisFile } from '../../support/revision-folder.js';
import { alembicFile, convert, loadNotConverted, upgradeBody } from './alembic-fixture.js';

const tempDir = tempDirsForThisFile('dr-import-id-');
const read = (text: string) => readAlembicRevision('v.py', text);

describe('import-alembic keeps each revision’s identity', () => {
  test('ids are any string; down_revision None, a string or a merge tuple', () => {
    assert.deepEqual(
      read(alembicFile('', { revision: 'add_unique_dataset_name', down: 'None' })).parents,
      [],
    );
    assert.equal(
      read(alembicFile('', { revision: 'add_unique_dataset_name' })).id,
      'add_unique_dataset_name',
    );
    assert.deepEqual(read(alembicFile('', { down: "'ae10'" })).parents, ['ae10']);
    assert.deepEqual(read(alembicFile('', { down: "('a1', 'b2',)" })).parents, ['a1', 'b2']);
  });

  test('typed assignments (revision: str = …) and branch_labels / depends_on as strings or tuples', () => {
    const text = [
      '"""msg"""',
      'revision: str = "r1"',
      'down_revision: Union[str, None] = "r0"',
      "branch_labels = ('reports', 'x')",
      "depends_on = 'zz'",
    ].join('\n');
    const revision = read(text);
    assert.deepEqual(
      [revision.id, revision.parents, revision.branchLabels, revision.dependsOn],
      ['r1', ['r0'], ['reports', 'x'], ['zz']],
    );
  });

  test('the message is the docstring’s first line; Create Date is kept to the second', () => {
    const revision = read(alembicFile(''));
    assert.equal(revision.message, 'add things');
    assert.equal(revision.createDate, '2023-01-11 11:06:25');
  });

  test('the file parses back with the same id, parents, message and date, and notes', () => {
    const text = alembicFile(upgradeBody('pass'), { down: "('a1', 'b2')" }).replace(
      'branch_labels = None',
      "branch_labels = ('reports',)",
    );
    const converted = convert(text);
    assert.deepEqual(
      [
        converted.parsed.id,
        converted.parsed.parents,
        converted.parsed.message,
        converted.parsed.createDate,
      ],
      ['abc123', ['a1', 'b2'], 'add things', '2023-01-11 11:06:25'],
    );
    assert.match(converted.text, /^-- Branch Labels: reports$/m);
    assert.equal(converted.parsed.notConverted, undefined);
  });

  test('a file without a revision id, or not valid Python, cannot be read', () => {
    assert.throws(
      () => read('"""x"""\ndown_revision = None\n'),
      (e: unknown) => e instanceof UnreadableRevision && /revision = /.test(e.reason),
    );
    assert.throws(
      () => read(alembicFile('def upgrade(:\n    pass')),
      (e: unknown) =>
        e instanceof UnreadableRevision && /not valid Python/.test(e.reason) && e.line === 17,
    );
    assert.throws(
      () => read('revision = make_id()\n'),
      (e: unknown) => e instanceof UnreadableRevision && /not a literal/.test(e.reason),
    );
  });
});

describe('import-alembic guesses nothing', () => {
  const cases: [string, string, RegExp, number][] = [
    [
      'a loop over rows read from the database',
      upgradeBody(
        'conn = op.get_bind()',
        'rows = conn.execute(text("SELECT id FROM t")).fetchall()',
        'for row in rows:',
        '    conn.execute(text("UPDATE t SET x = :id"), {"id": row.id})',
      ),
      /what the database returns/,
      19,
    ],
    [
      'a call into project code',
      ['from myapp.models import table_name', upgradeBody('op.drop_table(table_name())')].join(
        '\n',
      ),
      /`table_name` comes from `myapp\.models\.table_name` \(imported on line 17\)/,
      19,
    ],
    [
      'a value known only at run time',
      ['import uuid', upgradeBody('op.execute(f"INSERT INTO t VALUES (\'{uuid.uuid4()}\')")')].join(
        '\n',
      ),
      /`uuid` comes from `uuid`/,
      19,
    ],
    [
      "Alembic's context",
      upgradeBody(
        'if op.get_context().dialect.name == "postgresql":',
        '    op.execute("SELECT 1")',
      ),
      /op\.get_context\(\)|Alembic/,
      18,
    ],
    ['a name never assigned', upgradeBody('op.execute(SQL)'), /`SQL` is not assigned/, 18],
    [
      'an ORM session',
      upgradeBody('session = sa.orm.Session(bind=op.get_bind())', 'session.commit()'),
      /session/,
      19,
    ],
  ];
  for (const [what, body, reason, line] of cases) {
    test(`${what} is marked not converted, with its line and why`, async () => {
      const converted = convert(alembicFile(body));
      assert.ok(converted.problem, 'a problem is reported');
      assert.match(converted.problem.reason, reason);
      assert.equal(converted.problem.line, line);
      const module = await loadNotConverted(alembicFile(body));
      assert.equal(module.revision, 'abc123');
      assert.match(
        String(module.notConverted),
        new RegExp(`^versions/abc123_add_things\\.py line ${line}: `),
      );
      assert.match(module.text, /^\/\/ \| def upgrade\(\):$/m, 'the Python is kept as a comment');
    });
  }

  test('a marked revision keeps every character: CR in its SQL, U+2028 in its Python source', async () => {
    const source = alembicFile(
      upgradeBody(
        `op.execute("SELECT 'a\\r\\nb'")  # a comment with \u2028 inside`,
        'op.execute(unknown_sql)',
      ),
    );
    const module = await loadNotConverted(source, ['postgresql']);
    assert.deepEqual(await module.statements('upgrade', 'postgresql'), ["SELECT 'a\r\nb'"]);
    assert.match(module.text, /^\/\/ \| {2}inside$/m, 'the rest of the line stays in a comment');
  });

  test('a marked revision is a JavaScript revision that runs what was read before the line that stopped it', async () => {
    const source = alembicFile(
      upgradeBody(
        'op.execute("SELECT 1; SELECT \'`${x}`\'")',
        'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
        'op.execute(unknown_sql)',
      ),
    );
    const module = await loadNotConverted(source);
    assert.deepEqual(await module.statements('upgrade', 'postgresql'), [
      'SELECT 1',
      "SELECT '`${x}`'",
      'CREATE TABLE t (\n    id SERIAL NOT NULL,\n    PRIMARY KEY (id)\n)',
    ]);
    assert.match(
      (await module.statements('upgrade', 'mysql'))[2] ?? '',
      /id INTEGER NOT NULL AUTO_INCREMENT/,
    );
    assert.match(
      module.text,
      /^\/\/ upgrade\(\): read up to line 20: `unknown_sql` is not assigned/m,
    );
    assert.deepEqual(await module.statements('downgrade', 'sqlite'), []);
    const one = await loadNotConverted(source, ['sqlite']);
    assert.deepEqual(
      (await one.statements('upgrade', 'postgresql')).length,
      3,
      'one list for the one dialect',
    );
  });
});

describe('import-alembic keeps files whole', () => {
  test('a docstring that starts with its fields gives an empty message, not a broken header', () => {
    const text = alembicFile('').replace('"""add things\n\n', '"""');
    const converted = convert(text);
    assert.equal(converted.parsed.message, '');
    assert.equal(converted.parsed.id, 'abc123');
  });

  test('SQL holding a `-- migrate:` line is not converted (it would read as a section)', () => {
    const converted = convert(
      alembicFile(upgradeBody('op.execute("SELECT 1\\n-- migrate:downgrade\\n")')),
    );
    assert.match(converted.problem?.reason ?? '', /SQL holding a `-- migrate:` line/);
  });
});

test('an id our header cannot hold is reported for its file, and the others are imported', async () => {
  const source = tempDir();
  writeFileSync(join(source, 'a.py'), alembicFile('', { revision: 'has space' }));
  writeFileSync(join(source, 'b.py'), alembicFile('', { revision: 'fine' }));
  const out = join(source, 'out');
  const result = await importAlembic({ source, outDir: out });
  const [bad, good] = result.revisions;
  assert.equal(bad?.outcome, 'unreadable');
  assert.match(bad?.outcome === 'unreadable' ? bad.reason : '', /`has space` is not a revision id/);
  assert.equal(good?.outcome, 'converted');
  assert.equal(readdirSync(out).length, 1);
});
