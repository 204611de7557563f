import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alembicFile, convert, upgradeBody } from './alembic-fixture.js';

const upgradeOf = (...lines: string[]) =>
  convert(alembicFile(upgradeBody(...lines))).statements('upgrade', 'postgresql');

describe('import-alembic reads the SQL strings of op.execute as Python writes them', () => {
  test('single, double and triple quotes, and raw strings, keep their text', () => {
    assert.deepEqual(
      upgradeOf(
        `op.execute('SELECT 1')`,
        `op.execute("SELECT 'two'")`,
        `op.execute("""SELECT\n    3""")`,
        `op.execute(r"SELECT '\\d'")`,
      ),
      ['SELECT 1', "SELECT 'two'", 'SELECT\n    3', "SELECT '\\d'"],
    );
  });

  test('escape sequences are decoded as Python decodes them', () => {
    assert.deepEqual(upgradeOf(`op.execute("SELECT '\\x41\\u00e9\\101\\t' AS \\"x\\"")`), [
      `SELECT 'A\u00e9A\t' AS "x"`,
    ]);
  });

  test('a backslash at the end of a line continues the string (the next line’s indent kept)', () => {
    assert.deepEqual(upgradeOf(`op.execute("SELECT \\`, `1")`), ['SELECT     1']);
  });

  test('adjacent literals, + between literals and parenthesised multi-line strings are one string', () => {
    assert.deepEqual(
      upgradeOf(
        `op.execute("SELECT " 'a' "b")`,
        `op.execute("SELECT " + "2")`,
        `op.execute(`,
        `    # a comment inside`,
        `    "SELECT "`,
        `    "3"  # noqa`,
        `)`,
      ),
      ['SELECT ab', 'SELECT 2', 'SELECT 3'],
    );
  });

  test('an f-string without placeholders, and one with constants, is plain text', () => {
    const source = alembicFile(
      [
        'TABLE = "users"',
        upgradeBody(`op.execute(f"SELECT {{1}}")`, `op.execute(f"DROP TABLE {TABLE}")`),
      ].join('\n'),
    );
    assert.deepEqual(convert(source).statements('upgrade', 'postgresql'), [
      'SELECT {1}',
      'DROP TABLE users',
    ]);
  });

  test('text(), sa.text() and conn = op.get_bind(); conn.execute(text(…)) are read', () => {
    assert.deepEqual(
      upgradeOf(
        `op.execute(sa.text("SELECT 1"))`,
        `op.execute(text("SELECT 2"))`,
        `conn = op.get_bind()`,
        `conn.execute(text("SELECT 3"))`,
        `conn.execute(sa.text("SELECT 4"))`,
        `op.get_bind().execute("SELECT 5")`,
      ),
      ['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 4', 'SELECT 5'],
    );
  });

  test('SQL held in a module-level constant or a local variable is read', () => {
    const source = alembicFile(
      [
        'SQL = """',
        'CREATE TABLE t (id int)',
        '"""',
        upgradeBody('op.execute(SQL)', 'local = "DROP TABLE t"', 'op.execute(local)'),
      ].join('\n'),
    );
    assert.deepEqual(convert(source).statements('upgrade', 'sqlite'), [
      'CREATE TABLE t (id int)',
      'DROP TABLE t',
    ]);
  });

  test('several statements in one string are split as our files split them, in order', () => {
    assert.deepEqual(
      upgradeOf(
        `op.execute("CREATE TABLE a (x int); CREATE TABLE b (y text)")`,
        `op.execute("DROP TABLE a")`,
      ),
      ['CREATE TABLE a (x int)', 'CREATE TABLE b (y text)', 'DROP TABLE a'],
    );
  });

  test('a string ending in a comment gets its semicolon on the next line', () => {
    assert.deepEqual(upgradeOf(`op.execute("SELECT 1 -- why")`, `op.execute("SELECT 2")`), [
      'SELECT 1 -- why',
      'SELECT 2',
    ]);
  });

  test('upgrade() and downgrade() both convert, each in its own section', () => {
    const converted = convert(
      alembicFile(
        'def upgrade():\n    op.execute("CREATE TABLE t (x int)")\n\ndef downgrade():\n    op.execute("DROP TABLE t")',
      ),
    );
    assert.deepEqual(converted.statements('upgrade', 'mysql'), ['CREATE TABLE t (x int)']);
    assert.deepEqual(converted.statements('downgrade', 'mysql'), ['DROP TABLE t']);
    assert.equal(converted.problem, undefined);
    assert.equal(
      converted.parsed.sections.length,
      2,
      'raw SQL is dialect-neutral: one plain section each',
    );
  });

  test('% and .format() over constants', () => {
    const source = alembicFile(
      [
        'T = "roles"',
        upgradeBody(
          `op.execute("CREATE INDEX ix_%s ON %s (x)" % (T, T))`,
          `op.execute("DROP TABLE %(t)s" % {"t": T})`,
          `op.execute("SELECT {} {name} {0}".format(1, name=T))`,
        ),
      ].join('\n'),
    );
    assert.deepEqual(convert(source).statements('upgrade', 'postgresql'), [
      'CREATE INDEX ix_roles ON roles (x)',
      'DROP TABLE roles',
      'SELECT 1 roles 1',
    ]);
  });
});

describe('import-alembic follows what projects do around their SQL', () => {
  test('a for loop over literal rows executes one statement per row, values quoted per dialect', () => {
    const source = alembicFile(
      [
        'ROWS = [',
        '    ("a", 1),',
        `    ("it's", None),`,
        '    ("back\\\\slash", True),',
        ']',
        upgradeBody(
          'conn = op.get_bind()',
          'for name, n in ROWS:',
          '    conn.execute(text("INSERT INTO t (name, n) VALUES (:name, :n)"), {"name": name, "n": n})',
        ),
      ].join('\n'),
    );
    const converted = convert(source);
    assert.deepEqual(converted.statements('upgrade', 'postgresql'), [
      "INSERT INTO t (name, n) VALUES ('a', 1)",
      "INSERT INTO t (name, n) VALUES ('it''s', NULL)",
      "INSERT INTO t (name, n) VALUES ('back\\slash', true)",
    ]);
    assert.deepEqual(
      converted.statements('upgrade', 'mysql')[2],
      "INSERT INTO t (name, n) VALUES ('back\\\\slash', 1)",
    );
  });

  test('bind parameters are found as SQLAlchemy finds them: :: casts left alone, \\: a colon', () => {
    assert.deepEqual(
      upgradeOf(
        `op.get_bind().execute(text("SELECT a::text, :x, '10\\\\:30'"), {"x": 5})`,
        `op.get_bind().execute(text("SELECT :y"), y="keyword")`,
      ),
      ["SELECT a::text, 5, '10:30'", "SELECT 'keyword'"],
    );
  });

  test('a bind parameter without a value is not converted, even inside quotes (SQLAlchemy would refuse it)', () => {
    const converted = convert(alembicFile(upgradeBody(`op.execute("SELECT ':x'")`)));
    assert.match(converted.problem?.reason ?? '', /the bind parameter :x has no value/);
    const plain = convert(
      alembicFile(upgradeBody('conn = op.get_bind()', `conn.execute("SELECT ':x'")`)),
    );
    assert.equal(
      plain.problem,
      undefined,
      'a plain string given to the connection is sent as it is',
    );
  });

  test('op.bulk_insert with literal rows is one INSERT per row', () => {
    const converted = convert(
      alembicFile(
        upgradeBody(
          `t = sa.table("t", sa.column("id", sa.Integer), sa.column("name", sa.String))`,
          `op.bulk_insert(t, [{"id": 1, "name": "one"}, {"id": 2, "name": None}])`,
        ),
      ),
    );
    assert.deepEqual(converted.statements('upgrade', 'sqlite'), [
      "INSERT INTO t (id, name) VALUES (1, 'one')",
      'INSERT INTO t (id, name) VALUES (2, NULL)',
    ]);
  });

  test('a helper function of the same file runs with the literals it is called with', () => {
    const source = alembicFile(
      [
        'def _index(table, column, unique=False):',
        '    op.create_index(f"ix_{table}_{column}", table, [column], unique=unique)',
        '',
        'def _sql(n):',
        '    return f"SELECT {n}"',
        '',
        upgradeBody(
          '_index("users", "email", unique=True)',
          '_index("users", "name")',
          'op.execute(_sql(7))',
        ),
      ].join('\n'),
    );
    assert.deepEqual(convert(source).statements('upgrade', 'postgresql'), [
      'CREATE UNIQUE INDEX ix_users_email ON users (email)',
      'CREATE INDEX ix_users_name ON users (name)',
      'SELECT 7',
    ]);
  });

  test('an if on a constant takes the branch the constant chooses', () => {
    const source = alembicFile(
      [
        'WITH_INDEX = False',
        upgradeBody(
          'if WITH_INDEX:',
          '    op.execute("SELECT 1")',
          'else:',
          '    op.execute("SELECT 2")',
        ),
      ].join('\n'),
    );
    assert.deepEqual(convert(source).statements('upgrade', 'postgresql'), ['SELECT 2']);
  });
});
