import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintUpgrade, rulesOf } from './lint-fixture.js';

const sqlite = { dialects: ['sqlite'] as const };

describe('SQLite rules', () => {
  test('sqlite-add-column: the forms SQLite refuses', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c integer UNIQUE;', sqlite), [
      'sqlite-add-column',
    ]);
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN c integer DEFAULT (random());', sqlite),
      ['sqlite-add-column'],
    );
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c integer NOT NULL;', sqlite), [
      'required-column',
      'sqlite-add-column',
    ]);
  });

  test('sqlite-add-column: refused even on a table created in the same revision', async () => {
    const sql =
      'CREATE TABLE v (id integer PRIMARY KEY);\nALTER TABLE v ADD COLUMN c integer UNIQUE;';
    assert.deepEqual(await rulesOf(sql, sqlite), ['sqlite-add-column']);
  });

  test('sqlite-add-column: not for a nullable column or NOT NULL with a constant default', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t ADD COLUMN c integer;', sqlite), []);
    assert.deepEqual(
      await rulesOf("ALTER TABLE t ADD COLUMN c text NOT NULL DEFAULT 'x';", sqlite),
      [],
    );
    assert.deepEqual(
      await rulesOf('ALTER TABLE t ADD COLUMN c integer NOT NULL DEFAULT -1;', sqlite),
      [],
    );
  });
});

describe('SQLite drop column', () => {
  test('sqlite-drop-column: an indexed column, a PRIMARY KEY column', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t DROP COLUMN b;', sqlite), [
      'drop-column',
      'sqlite-drop-column',
    ]);
    assert.deepEqual(await rulesOf('ALTER TABLE t DROP COLUMN id;', sqlite), [
      'drop-column',
      'sqlite-drop-column',
    ]);
  });

  test('sqlite-drop-column: not for a plain column', async () => {
    assert.deepEqual(await rulesOf('ALTER TABLE t DROP COLUMN s;', sqlite), ['drop-column']);
  });

  test("SQLite's DROP INDEX name is read: the drop of its column below is then allowed", async () => {
    const sql =
      'DROP INDEX t_b;\n-- check:allow drop-column unused since 2.3\nALTER TABLE t DROP COLUMN b;';
    assert.deepEqual(await rulesOf(sql, sqlite), []);
    assert.deepEqual(await rulesOf('DROP INDEX IF EXISTS main.t_b;', sqlite), []);
  });

  test('PRAGMA statements are read, not reported as not analysed', async () => {
    assert.deepEqual(
      await rulesOf('PRAGMA optimize;\nPRAGMA main.cache_size = -2000;', sqlite),
      [],
    );
  });

  test('sqlite-drop-column: any DROP COLUMN on SQLite before 3.35', async () => {
    const findings = await lintUpgrade(
      '-- check:allow drop-column unused\nALTER TABLE t DROP COLUMN s;',
      {
        ...sqlite,
        serverVersions: { sqlite: '3.34.1' },
      },
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['sqlite-drop-column'],
    );
    assert.match(findings[0]?.message ?? '', /3\.34\.1 has no ALTER TABLE … DROP COLUMN/);
  });
});

/** A rebuild of t (index t_b on b) in SQLite's documented order, with `extra` statements mixed in. */
function rebuildOfT(options: { indexAgain?: boolean; renameFirst?: boolean } = {}): string {
  const columns =
    'id integer PRIMARY KEY, a varchar(20) NOT NULL, b integer, n numeric(10,2), s text';
  if (options.renameFirst === true) {
    return [
      'ALTER TABLE t RENAME TO t_old;',
      `CREATE TABLE t (${columns});`,
      'INSERT INTO t (id, a, b, n, s) SELECT id, a, b, n, s FROM t_old;',
      'DROP TABLE t_old;',
      'CREATE INDEX t_b ON t (b);',
    ].join('\n');
  }
  return [
    `CREATE TABLE t_new (${columns});`,
    'INSERT INTO t_new (id, a, b, n, s) SELECT id, a, b, n, s FROM t;',
    'DROP TABLE t;',
    'ALTER TABLE t_new RENAME TO t;',
    ...(options.indexAgain === false ? [] : ['CREATE INDEX t_b ON t (b);']),
    'PRAGMA foreign_key_check;',
  ].join('\n');
}

describe('sqlite-table-rebuild', () => {
  test('the documented order, indexes created again, nothing referencing: no finding at all', async () => {
    assert.deepEqual(await rulesOf(rebuildOfT(), sqlite), []);
  });

  test('an index of the old table not created again', async () => {
    const findings = await lintUpgrade(rebuildOfT({ indexAgain: false }), sqlite);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['sqlite-table-rebuild'],
    );
    assert.match(findings[0]?.message ?? '', /drops index t_b and does not create it again/);
  });

  test('the old table renamed away first', async () => {
    const rules = await rulesOf(rebuildOfT({ renameFirst: true }), sqlite);
    assert.ok(rules.includes('sqlite-table-rebuild'), rules.join());
  });

  test('a referenced table rebuilt inside the revision transaction', async () => {
    const sql = `CREATE TABLE c (id integer PRIMARY KEY, t_id integer REFERENCES t(id));\n${rebuildOfT()}`;
    // c is created in the same section, before the rebuild, so the model knows it references t.
    const findings = await lintUpgrade(sql, sqlite);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['sqlite-table-rebuild'],
    );
    assert.match(findings[0]?.message ?? '', /c reference t: with foreign keys enforced/);
  });

  test('a referenced table rebuilt with foreign keys off in a no-transaction revision, checked after', async () => {
    const sql = [
      'CREATE TABLE c (id integer PRIMARY KEY, t_id integer, FOREIGN KEY (t_id) REFERENCES t(id));',
      'PRAGMA foreign_keys = OFF;',
      'BEGIN;',
      rebuildOfT(),
      'COMMIT;',
      'PRAGMA foreign_keys = ON;',
    ].join('\n');
    assert.deepEqual(await rulesOf(sql, { ...sqlite, noTransaction: true }), []);
    const unchecked = sql.replace('PRAGMA foreign_key_check;\n', '');
    const findings = await lintUpgrade(unchecked, { ...sqlite, noTransaction: true });
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['sqlite-table-rebuild'],
    );
    assert.match(findings[0]?.message ?? '', /no PRAGMA foreign_key_check/);
  });

  test('a no-transaction rebuild without its own BEGIN … COMMIT around copy, drop and rename', async () => {
    const sql = ['PRAGMA foreign_keys = OFF;', 'BEGIN;', rebuildOfT(), 'COMMIT;'].join('\n');
    assert.deepEqual(await rulesOf(sql, { ...sqlite, noTransaction: true }), []);
    for (const unsafe of [
      sql.replace('BEGIN;\n', ''),
      sql.replace('DROP TABLE t;', 'COMMIT;\nDROP TABLE t;'),
      sql
        .replace('BEGIN;', 'BEGIN IMMEDIATE TRANSACTION;')
        .replace('DROP TABLE t;', 'END;\nDROP TABLE t;'),
    ]) {
      const findings = await lintUpgrade(unsafe, { ...sqlite, noTransaction: true });
      assert.deepEqual(
        findings.map((f) => f.rule),
        ['sqlite-table-rebuild'],
        unsafe,
      );
      assert.match(findings[0]?.message ?? '', /runs outside a transaction/);
    }
  });

  test('in a downgrade, an index or view the section drops before the rebuild is not lost', async () => {
    const downgrade = `DROP INDEX t_b;\n${rebuildOfT({ indexAgain: false })}`;
    const findings = await lintUpgrade('ALTER TABLE t ADD COLUMN c integer;', {
      ...sqlite,
      downgrade,
    });
    assert.deepEqual(
      findings.map((f) => f.rule),
      [],
    );
    const lost = await lintUpgrade('ALTER TABLE t ADD COLUMN c integer;', {
      ...sqlite,
      downgrade: rebuildOfT({ indexAgain: false }),
    });
    assert.match(lost[0]?.message ?? '', /drops index t_b/);
  });

  test('a view dropped before the rebuild and not created again after it', async () => {
    const view = 'CREATE VIEW va AS SELECT id, a FROM t;';
    const lost = await lintUpgrade(`${view}\nDROP VIEW va;\n${rebuildOfT()}`, sqlite);
    assert.deepEqual(
      lost.map((f) => f.rule),
      ['sqlite-table-rebuild'],
    );
    assert.match(
      lost[0]?.message ?? '',
      /View va is dropped before the rebuild of t and not created again/,
    );
    const unrelated = 'CREATE VIEW vu AS SELECT id FROM u;\nDROP VIEW vu;';
    assert.deepEqual(await rulesOf(`${unrelated}\n${rebuildOfT()}`, sqlite), []);
  });

  test("an expression index's columns: lost in a rebuild, and in use for DROP COLUMN", async () => {
    const index = 'CREATE INDEX t_lower_a ON t (lower(a));';
    const lost = await lintUpgrade(`${index}\n${rebuildOfT()}`, sqlite);
    assert.deepEqual(
      lost.map((f) => f.rule),
      ['sqlite-table-rebuild'],
    );
    assert.match(lost[0]?.message ?? '', /drops index t_lower_a/);
    assert.deepEqual(await rulesOf(`${index}\n${rebuildOfT()}\n${index}`, sqlite), []);
    const drop = await lintUpgrade(`${index}\nALTER TABLE t DROP COLUMN a;`, sqlite);
    assert.match(
      drop.find((f) => f.rule === 'sqlite-drop-column')?.message ?? '',
      /index t_lower_a uses it/,
    );
  });

  test('PRAGMA foreign_keys in a transactional revision does nothing, and says so', async () => {
    const findings = await lintUpgrade(`PRAGMA foreign_keys = OFF;\n${rebuildOfT()}`, sqlite);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['sqlite-table-rebuild'],
    );
    assert.match(findings[0]?.message ?? '', /does nothing inside a transaction/);
  });

  test('a drop that re-creates the table without copying its rows is still drop-table', async () => {
    const sql = 'DROP TABLE t;\nCREATE TABLE t (id integer PRIMARY KEY);';
    assert.deepEqual(await rulesOf(sql, sqlite), ['drop-table']);
  });

  test('on PostgreSQL the same rebuild still reports the drop: writes during the copy are lost', async () => {
    const rules = await rulesOf(rebuildOfT().replace('PRAGMA foreign_key_check;', ''), {
      dialects: ['postgresql'],
    });
    assert.ok(rules.includes('drop-table'), rules.join());
  });
});

describe('views, triggers, CHECK constraints and partial indexes', () => {
  test('sqlite-drop-column: a column a view, a trigger, a CHECK or a partial index uses', async () => {
    const cases = [
      ['CREATE VIEW va AS SELECT id, s FROM t WHERE a > 1;', 'view va uses it'],
      ['CREATE VIEW vs AS SELECT * FROM t;', 'view vs uses it'],
      [
        'CREATE TRIGGER ts AFTER UPDATE ON t BEGIN UPDATE u SET id = new.s; END;',
        'trigger ts uses it',
      ],
      [
        'CREATE TABLE c (id integer PRIMARY KEY, s text, CHECK (length(s) < 10));',
        'a CHECK constraint',
      ],
      ['CREATE INDEX t_part ON t (b) WHERE s IS NOT NULL;', 'partial index'],
    ] as const;
    for (const [setup, reason] of cases) {
      const table = setup.includes('TABLE c') ? 'c' : 't';
      // c is new in the section, so only t's drop needs an allow for drop-column.
      const allow = table === 't' ? '-- check:allow drop-column unused\n' : '';
      const sql = `${setup}\n${allow}ALTER TABLE ${table} DROP COLUMN s;`;
      const findings = await lintUpgrade(sql, sqlite);
      assert.deepEqual(
        findings.map((f) => f.rule),
        ['sqlite-drop-column'],
        setup,
      );
      assert.ok(findings[0]?.message.includes(reason), `${setup}: ${findings[0]?.message}`);
    }
  });

  test('not once the view or trigger is dropped, nor for a view of other columns', async () => {
    const sql = [
      'CREATE VIEW va AS SELECT id, s FROM t;',
      'CREATE TRIGGER ts AFTER UPDATE ON t BEGIN UPDATE u SET id = new.s; END;',
      'CREATE VIEW vb AS SELECT id, a FROM t;',
      'DROP VIEW va;',
      'DROP TRIGGER IF EXISTS ts;',
      '-- check:allow drop-column unused',
      'ALTER TABLE t DROP COLUMN s;',
    ].join('\n');
    assert.deepEqual(await rulesOf(sql, sqlite), []);
  });

  test('sqlite-table-rebuild: a view still naming the table, a trigger not created again', async () => {
    const view = await lintUpgrade(
      `CREATE VIEW va AS SELECT id, a FROM t;\n${rebuildOfT()}`,
      sqlite,
    );
    assert.deepEqual(
      view.map((f) => f.rule),
      ['sqlite-table-rebuild'],
    );
    assert.match(
      view[0]?.message ?? '',
      /View va names t: .*refuses ALTER TABLE t_new RENAME TO t/,
    );
    const viewDropped = `CREATE VIEW va AS SELECT id, a FROM t;\nDROP VIEW va;\n${rebuildOfT()}\nCREATE VIEW va AS SELECT id, a FROM t;`;
    assert.deepEqual(await rulesOf(viewDropped, sqlite), []);
    const trigger = 'CREATE TRIGGER tb AFTER INSERT ON t BEGIN SELECT 1; END;';
    const lost = await lintUpgrade(`${trigger}\n${rebuildOfT()}`, sqlite);
    assert.deepEqual(
      lost.map((f) => f.rule),
      ['sqlite-table-rebuild'],
    );
    assert.match(lost[0]?.message ?? '', /Trigger tb goes with table t/);
    assert.deepEqual(await rulesOf(`${trigger}\n${rebuildOfT()}\n${trigger}`, sqlite), []);
  });
});
