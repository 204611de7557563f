import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DialectName } from '../../../src/db/dialect-name.js';
import { alembicFile, convert, upgradeBody } from './alembic-fixture.js';

const sqlOf = (dialect: DialectName, ...lines: string[]) =>
  convert(alembicFile(upgradeBody(...lines)), [dialect]).statements('upgrade', dialect);

describe('import-alembic renders op.create_table as SQLAlchemy does on each database', () => {
  const createUsers = [
    'op.create_table(',
    '    "users",',
    '    sa.Column("id", sa.Integer(), primary_key=True),',
    '    sa.Column("email", sa.String(length=200), nullable=False, unique=True),',
    '    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="CASCADE")),',
    '    sa.Column("score", sa.Numeric(10, 2), server_default="0"),',
    '    sa.Column("seen", sa.DateTime(timezone=True), server_default=sa.func.now(), index=True),',
    '    sa.Column("ok", sa.Boolean(), server_default=sa.text("true")),',
    '    sa.UniqueConstraint("email", "team_id", name="uq_users_email_team"),',
    ')',
  ];

  test('PostgreSQL: SERIAL for the integer primary key, timestamps with or without zone', () => {
    assert.deepEqual(sqlOf('postgresql', ...createUsers), [
      [
        'CREATE TABLE users (',
        '    id SERIAL NOT NULL,',
        '    email VARCHAR(200) NOT NULL,',
        '    team_id INTEGER,',
        "    score NUMERIC(10, 2) DEFAULT '0',",
        '    seen TIMESTAMP WITH TIME ZONE DEFAULT now(),',
        '    ok BOOLEAN DEFAULT true,',
        '    PRIMARY KEY (id),',
        '    CONSTRAINT uq_users_email_team UNIQUE (email, team_id),',
        '    UNIQUE (email),',
        '    FOREIGN KEY(team_id) REFERENCES teams (id) ON DELETE CASCADE',
        ')',
      ].join('\n'),
      'CREATE INDEX ix_users_seen ON users (seen)',
    ]);
  });

  test('MySQL: AUTO_INCREMENT, BOOL and DATETIME', () => {
    const [table] = sqlOf('mysql', ...createUsers);
    assert.match(table!, /id INTEGER NOT NULL AUTO_INCREMENT,/);
    assert.match(table!, /seen DATETIME DEFAULT now\(\),/);
    assert.match(table!, /ok BOOL DEFAULT true,/);
  });

  test('SQLite: expression defaults in parentheses, no SERIAL', () => {
    const [table] = sqlOf('sqlite', ...createUsers);
    assert.match(table!, /id INTEGER NOT NULL,/);
    assert.match(table!, /seen DATETIME DEFAULT \(CURRENT_TIMESTAMP\),/);
    assert.match(table!, /ok BOOLEAN DEFAULT \(true\),/);
  });

  test('names that need quoting are quoted per dialect', () => {
    const lines = [
      'op.create_table("user", sa.Column("order", sa.Integer, primary_key=True, autoincrement=False))',
    ];
    assert.match(
      sqlOf('postgresql', ...lines)[0]!,
      /CREATE TABLE "user" \(\n {4}"order" INTEGER NOT NULL,/,
    );
    assert.match(
      sqlOf('mysql', ...lines)[0]!,
      /CREATE TABLE `user` \(\n {4}`order` INTEGER NOT NULL,/,
    );
  });

  test('without --dialect, one section per dialect when the SQL differs, one plain section when not', () => {
    const converted = convert(
      alembicFile(
        upgradeBody('op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))').replace(
          '    pass',
          '    op.drop_table("t")',
        ),
      ),
    );
    const upgrades = converted.parsed.sections
      .filter((s) => s.direction === 'upgrade')
      .map((s) => s.dialect);
    const downgrades = converted.parsed.sections
      .filter((s) => s.direction === 'downgrade')
      .map((s) => s.dialect);
    assert.deepEqual(upgrades, ['postgresql', 'mysql', 'sqlite']);
    assert.deepEqual(downgrades, [undefined]);
  });
});

describe('import-alembic renders the other op.* directives', () => {
  const cases: [string, DialectName, string[]][] = [
    ['op.drop_table("t")', 'mysql', ['DROP TABLE t']],
    [
      'op.add_column("t", sa.Column("c", sa.String(10), nullable=False, server_default="x"))',
      'postgresql',
      ["ALTER TABLE t ADD COLUMN c VARCHAR(10) DEFAULT 'x' NOT NULL"],
    ],
    [
      'op.add_column("t", sa.Column("c", sa.Integer, index=True))',
      'sqlite',
      ['ALTER TABLE t ADD COLUMN c INTEGER', 'CREATE INDEX ix_t_c ON t (c)'],
    ],
    ['op.drop_column("t", "c")', 'sqlite', ['ALTER TABLE t DROP COLUMN c']],
    [
      'op.alter_column("t", "c", nullable=False)',
      'postgresql',
      ['ALTER TABLE t ALTER COLUMN c SET NOT NULL'],
    ],
    [
      'op.alter_column("t", "c", type_=sa.Text())',
      'postgresql',
      ['ALTER TABLE t ALTER COLUMN c TYPE TEXT'],
    ],
    [
      'op.alter_column("t", "c", new_column_name="d")',
      'postgresql',
      ['ALTER TABLE t RENAME c TO d'],
    ],
    [
      'op.alter_column("t", "c", server_default=None)',
      'postgresql',
      ['ALTER TABLE t ALTER COLUMN c DROP DEFAULT'],
    ],
    [
      'op.alter_column("t", "c", nullable=True, existing_type=sa.String(5))',
      'mysql',
      ['ALTER TABLE t MODIFY c VARCHAR(5) NULL'],
    ],
    [
      'op.alter_column("t", "c", new_column_name="d", existing_type=sa.Integer(), existing_nullable=False)',
      'mysql',
      ['ALTER TABLE t CHANGE c d INTEGER NOT NULL'],
    ],
    ['op.rename_table("a", "b")', 'postgresql', ['ALTER TABLE a RENAME TO b']],
    ['op.rename_table("a", "b")', 'mysql', ['ALTER TABLE a RENAME TO b']],
    [
      'op.create_index(op.f("ix_t_c"), "t", ["c", "d"], unique=True)',
      'sqlite',
      ['CREATE UNIQUE INDEX ix_t_c ON t (c, d)'],
    ],
    [
      'op.create_index("ix_lower", "t", [sa.text("lower(c)")])',
      'postgresql',
      ['CREATE INDEX ix_lower ON t (lower(c))'],
    ],
    ['op.drop_index("ix_t_c", table_name="t")', 'mysql', ['DROP INDEX ix_t_c ON t']],
    ['op.drop_index("ix_t_c")', 'postgresql', ['DROP INDEX ix_t_c']],
    [
      'op.create_unique_constraint("uq_t_c", "t", ["c"])',
      'postgresql',
      ['ALTER TABLE t ADD CONSTRAINT uq_t_c UNIQUE (c)'],
    ],
    [
      'op.create_foreign_key("fk_t_u", "t", "u", ["u_id"], ["id"], ondelete="SET NULL")',
      'mysql',
      [
        'ALTER TABLE t ADD CONSTRAINT fk_t_u FOREIGN KEY(u_id) REFERENCES u (id) ON DELETE SET NULL',
      ],
    ],
    [
      'op.drop_constraint("fk_t_u", "t", type_="foreignkey")',
      'mysql',
      ['ALTER TABLE t DROP FOREIGN KEY fk_t_u'],
    ],
    [
      'op.drop_constraint("uq_t_c", "t", type_="unique")',
      'postgresql',
      ['ALTER TABLE t DROP CONSTRAINT uq_t_c'],
    ],
    [
      'op.create_check_constraint("ck_t_c", "t", "c > 0")',
      'mysql',
      ['ALTER TABLE t ADD CONSTRAINT ck_t_c CHECK (c > 0)'],
    ],
  ];
  for (const [python, dialect, expected] of cases) {
    test(`${python} on ${dialect}`, () => assert.deepEqual(sqlOf(dialect, python), expected));
  }

  test('batch_alter_table: SQLite in place for what it can do', () => {
    const inPlace = [
      'with op.batch_alter_table("t") as batch_op:',
      '    batch_op.add_column(sa.Column("c", sa.Integer))',
      '    batch_op.create_index("ix_t_c", ["c"])',
      '    batch_op.alter_column("c", new_column_name="d")',
    ];
    assert.deepEqual(sqlOf('sqlite', ...inPlace), [
      'ALTER TABLE t ADD COLUMN c INTEGER',
      'CREATE INDEX ix_t_c ON t (c)',
      'ALTER TABLE t RENAME COLUMN c TO d',
    ]);
    assert.deepEqual(
      sqlOf(
        'postgresql',
        'with op.batch_alter_table("t") as b:',
        '    b.alter_column("c", nullable=False)',
        '    b.drop_constraint("uq", type_="unique")',
      ),
      ['ALTER TABLE t ALTER COLUMN c SET NOT NULL', 'ALTER TABLE t DROP CONSTRAINT uq'],
    );
  });

  test('batch_alter_table on SQLite rebuilds a table the revisions before define, as Alembic does, once per block', () => {
    const statements = sqlOf(
      'sqlite',
      'op.create_table("t",',
      '    sa.Column("id", sa.Integer, primary_key=True),',
      '    sa.Column("c", sa.String(20), index=True),',
      '    sa.Column("gone", sa.Integer),',
      '    sa.UniqueConstraint("id", "c", name="uq_t"),',
      ')',
      'with op.batch_alter_table("t") as b:',
      '    b.alter_column("c", existing_type=sa.String(20), type_=sa.Integer, nullable=False, new_column_name="n")',
      '    b.drop_column("gone")',
      '    b.add_column(sa.Column("extra", sa.Text))',
      '    b.drop_constraint("uq_t", type_="unique")',
      '    b.create_check_constraint("ck_t_n", "n > 0")',
    );
    assert.deepEqual(statements.slice(2), [
      'CREATE TABLE _alembic_tmp_t (\n    id INTEGER NOT NULL,\n    n INTEGER NOT NULL,\n    extra TEXT,\n    PRIMARY KEY (id),\n    CONSTRAINT ck_t_n CHECK (n > 0)\n)',
      'INSERT INTO _alembic_tmp_t (id, n) SELECT id, CAST(c AS INTEGER) FROM t',
      'DROP TABLE t',
      'ALTER TABLE _alembic_tmp_t RENAME TO t',
      'CREATE INDEX ix_t_c ON t (n)',
    ]);
  });

  test('a SQLite rebuild is not converted where the table is not known or other tables reference it', () => {
    const cases: [string[], RegExp][] = [
      [
        ['with op.batch_alter_table("t") as b:', '    b.alter_column("c", nullable=False)'],
        /rebuilds t: the definition of t is not known: no converted revision before it creates t/,
      ],
      [
        [
          'op.create_table("t", sa.Column("c", sa.Integer))',
          'op.execute("ALTER TABLE t ADD COLUMN d integer")',
          'with op.batch_alter_table("t") as b:',
          '    b.alter_column("c", nullable=False)',
        ],
        /the definition of t is not known: it is changed by SQL the importer does not read \(line 19\)/,
      ],
      [
        [
          'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
          'op.create_table("u", sa.Column("t_id", sa.Integer, sa.ForeignKey("t.id")))',
          'with op.batch_alter_table("t") as b:',
          '    b.alter_column("id", type_=sa.BigInteger)',
        ],
        /u reference it, so the rebuild needs PRAGMA foreign_keys = OFF/,
      ],
    ];
    for (const [lines, reason] of cases) {
      const converted = convert(alembicFile(upgradeBody(...lines)), ['sqlite']);
      assert.match(converted.problem?.reason ?? '', reason);
      assert.equal(convert(alembicFile(upgradeBody(...lines)), ['postgresql']).problem, undefined);
    }
  });

  test('a directive SQLite cannot run is reported for SQLite, and rendered with --dialect postgresql', () => {
    const source = alembicFile(upgradeBody('op.create_unique_constraint("uq", "t", ["c"])'));
    assert.match(convert(source).problem?.reason ?? '', /on SQLite.*\(upgrade\(\) on sqlite\)/);
    assert.equal(convert(source, ['postgresql']).problem, undefined);
  });
});
