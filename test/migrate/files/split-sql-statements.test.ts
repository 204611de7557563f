import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { splitSqlStatements } from '../../../src/migrate/files/split-sql-statements.js';
import { dialectNames } from '../../../src/db/dialect-name.js';

describe('splitSqlStatements: plain statements', () => {
  for (const dialect of dialectNames) {
    test(`splits on top-level semicolons and trims each statement (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('  SELECT 1 ;\n\tSELECT 2;  ', dialect), [
        'SELECT 1',
        'SELECT 2',
      ]);
    });

    test(`keeps a last statement that has no semicolon (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('SELECT 1; SELECT 2', dialect), ['SELECT 1', 'SELECT 2']);
    });

    test(`returns nothing for empty or blank text (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('', dialect), []);
      assert.deepEqual(splitSqlStatements(' \n\t\r\n ', dialect), []);
    });

    test(`drops empty statements between repeated semicolons (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements(';;; SELECT 1;; ;\n;', dialect), ['SELECT 1']);
    });

    test(`drops statements made only of comments (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('-- nothing here\n/* nor; here */;', dialect), []);
      assert.deepEqual(splitSqlStatements('SELECT 1; -- done\n', dialect), ['SELECT 1']);
    });

    test(`drops comments before a statement but keeps comments inside it (${dialect})`, () => {
      assert.deepEqual(
        splitSqlStatements('-- lead\n/* block */ SELECT 1 /* in; */ + 2 -- tail;\n;', dialect),
        ['SELECT 1 /* in; */ + 2 -- tail;'],
      );
    });

    test(`keeps line breaks inside a statement and accepts CRLF (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('SELECT 1\r\n  FROM t\r\n;\r\nSELECT 2\r\n', dialect), [
        'SELECT 1\r\n  FROM t',
        'SELECT 2',
      ]);
    });

    test(`does not split inside a single-quoted string (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements("INSERT INTO t VALUES ('a;b'); SELECT 2", dialect), [
        "INSERT INTO t VALUES ('a;b')",
        'SELECT 2',
      ]);
    });

    test(`reads doubled quotes as an escaped quote (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements("INSERT INTO t VALUES ('it''s;'); SELECT 2", dialect), [
        "INSERT INTO t VALUES ('it''s;')",
        'SELECT 2',
      ]);
    });

    test(`does not split inside a double-quoted name, doubled quotes included (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('SELECT "a;""b" FROM t; SELECT 2', dialect), [
        'SELECT "a;""b" FROM t',
        'SELECT 2',
      ]);
    });

    test(`does not split inside a -- line comment (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('SELECT 1 -- one; two\n+ 1; SELECT 2', dialect), [
        'SELECT 1 -- one; two\n+ 1',
        'SELECT 2',
      ]);
    });

    test(`does not split inside a block comment (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('SELECT 1 /* a; b */ + 1; SELECT 2', dialect), [
        'SELECT 1 /* a; b */ + 1',
        'SELECT 2',
      ]);
    });

    test(`ignores quotes inside comments (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements("-- it's\nSELECT 1; /* don't */ SELECT 2", dialect), [
        'SELECT 1',
        'SELECT 2',
      ]);
    });

    test(`ignores comment markers inside strings (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements("SELECT '--'; SELECT '/*'; SELECT 3", dialect), [
        "SELECT '--'",
        "SELECT '/*'",
        'SELECT 3',
      ]);
    });

    test(`keeps the rest of the text in one statement after an unterminated string (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements("SELECT 'open; SELECT 2", dialect), [
        "SELECT 'open; SELECT 2",
      ]);
    });

    test(`keeps the rest of the text in one statement after an unterminated block comment (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('SELECT 1 /* open; SELECT 2', dialect), [
        'SELECT 1 /* open; SELECT 2',
      ]);
    });

    test(`still splits a plain BEGIN; transaction statement (${dialect})`, () => {
      assert.deepEqual(splitSqlStatements('BEGIN; INSERT INTO t VALUES (1); COMMIT;', dialect), [
        'BEGIN',
        'INSERT INTO t VALUES (1)',
        'COMMIT',
      ]);
    });

    test(`does not count BEGIN, END or CASE outside a routine (${dialect})`, () => {
      assert.deepEqual(
        splitSqlStatements(
          'CREATE VIEW v AS SELECT CASE WHEN x THEN 1 END AS c FROM t; SELECT 2; END; SELECT 3',
          dialect,
        ),
        [
          'CREATE VIEW v AS SELECT CASE WHEN x THEN 1 END AS c FROM t',
          'SELECT 2',
          'END',
          'SELECT 3',
        ],
      );
    });

    test(`does not mistake begin_at or end_at columns for keywords (${dialect})`, () => {
      assert.deepEqual(
        splitSqlStatements('CREATE TABLE t (begin_at int, ends int); SELECT 2', dialect),
        ['CREATE TABLE t (begin_at int, ends int)', 'SELECT 2'],
      );
    });
  }
});

describe('splitSqlStatements: PostgreSQL', () => {
  test('does not split inside an E string with a backslash-escaped quote', () => {
    assert.deepEqual(splitSqlStatements("SELECT E'a\\';b'; SELECT 2", 'postgresql'), [
      "SELECT E'a\\';b'",
      'SELECT 2',
    ]);
  });

  test('reads a lowercase e prefix as an escape string too', () => {
    assert.deepEqual(splitSqlStatements("SELECT e'a\\';b'; SELECT 2", 'postgresql'), [
      "SELECT e'a\\';b'",
      'SELECT 2',
    ]);
  });

  test('treats a backslash in a standard string as an ordinary character', () => {
    assert.deepEqual(splitSqlStatements("SELECT 'a\\'; SELECT 2", 'postgresql'), [
      "SELECT 'a\\'",
      'SELECT 2',
    ]);
  });

  test('treats a backslash in a double-quoted name as an ordinary character', () => {
    assert.deepEqual(splitSqlStatements('SELECT "a\\"; SELECT 2', 'postgresql'), [
      'SELECT "a\\"',
      'SELECT 2',
    ]);
  });

  test('does not split inside a $$ dollar-quoted body', () => {
    const sql =
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 'x'; $$ LANGUAGE sql; SELECT 2";
    assert.deepEqual(splitSqlStatements(sql, 'postgresql'), [
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 'x'; $$ LANGUAGE sql",
      'SELECT 2',
    ]);
  });

  test('does not split inside a $tag$ body, even around an inner $$', () => {
    const sql =
      'CREATE FUNCTION f() RETURNS text AS $body$ SELECT $$;$$; $body$ LANGUAGE sql; SELECT 2';
    assert.deepEqual(splitSqlStatements(sql, 'postgresql'), [
      'CREATE FUNCTION f() RETURNS text AS $body$ SELECT $$;$$; $body$ LANGUAGE sql',
      'SELECT 2',
    ]);
  });

  test('ignores unbalanced quotes and END inside a plpgsql dollar-quoted body', () => {
    const sql = [
      'CREATE OR REPLACE FUNCTION touch() RETURNS trigger AS $fn$',
      'BEGIN',
      "  NEW.note := 'it''s; done';",
      '  RETURN NEW;',
      'END;',
      '$fn$ LANGUAGE plpgsql;',
      'SELECT 2;',
    ].join('\n');
    const statements = splitSqlStatements(sql, 'postgresql');
    assert.equal(statements.length, 2);
    assert.ok(statements[0]?.endsWith('$fn$ LANGUAGE plpgsql'));
    assert.equal(statements[1], 'SELECT 2');
  });

  test('does not split inside a DO block', () => {
    assert.deepEqual(splitSqlStatements('DO $$ BEGIN PERFORM 1; END $$; SELECT 2', 'postgresql'), [
      'DO $$ BEGIN PERFORM 1; END $$',
      'SELECT 2',
    ]);
  });

  test('keeps the rest of the text in one statement after an unterminated dollar quote', () => {
    assert.deepEqual(splitSqlStatements('DO $$ SELECT 1; SELECT 2', 'postgresql'), [
      'DO $$ SELECT 1; SELECT 2',
    ]);
  });

  test('does not read a positional parameter $1 as a dollar quote', () => {
    assert.deepEqual(splitSqlStatements('SELECT $1; SELECT $2', 'postgresql'), [
      'SELECT $1',
      'SELECT $2',
    ]);
  });

  test('does not read a $ inside a name as a dollar quote', () => {
    assert.deepEqual(splitSqlStatements('SELECT a$b$ FROM t; SELECT 2', 'postgresql'), [
      'SELECT a$b$ FROM t',
      'SELECT 2',
    ]);
  });

  test('does not split inside a BEGIN ATOMIC … END function body', () => {
    const sql =
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3';
    assert.deepEqual(splitSqlStatements(sql, 'postgresql'), [
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END',
      'SELECT 3',
    ]);
  });

  test('nests block comments', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1 /* a /* b; */ c; */; SELECT 2', 'postgresql'), [
      'SELECT 1 /* a /* b; */ c; */',
      'SELECT 2',
    ]);
  });

  test('reads -- directly followed by text as a comment', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1 --x; y\n; SELECT 2', 'postgresql'), [
      'SELECT 1 --x; y',
      'SELECT 2',
    ]);
  });

  test('does not read # as a comment', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1 # 3; SELECT 2', 'postgresql'), [
      'SELECT 1 # 3',
      'SELECT 2',
    ]);
  });

  test('splits inside backticks, which are not quotes on PostgreSQL', () => {
    assert.deepEqual(splitSqlStatements('SELECT `a;b`', 'postgresql'), ['SELECT `a', 'b`']);
  });
});

describe('splitSqlStatements: MySQL', () => {
  test('reads a backslash-escaped quote inside a string', () => {
    assert.deepEqual(splitSqlStatements("SELECT 'a\\';b'; SELECT 2", 'mysql'), [
      "SELECT 'a\\';b'",
      'SELECT 2',
    ]);
  });

  test('reads an escaped backslash before the closing quote', () => {
    assert.deepEqual(splitSqlStatements("INSERT INTO t VALUES ('a\\\\'); SELECT 2", 'mysql'), [
      "INSERT INTO t VALUES ('a\\\\')",
      'SELECT 2',
    ]);
  });

  test('reads backslash escapes inside double-quoted strings', () => {
    assert.deepEqual(splitSqlStatements('SELECT "a\\";b"; SELECT 2', 'mysql'), [
      'SELECT "a\\";b"',
      'SELECT 2',
    ]);
  });

  test('does not split inside a backtick identifier, doubled backticks included', () => {
    assert.deepEqual(splitSqlStatements('SELECT `a;``b` FROM `t;`; SELECT 2', 'mysql'), [
      'SELECT `a;``b` FROM `t;`',
      'SELECT 2',
    ]);
  });

  test('does not split inside a # comment', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1; # a; b\nSELECT 2', 'mysql'), [
      'SELECT 1',
      'SELECT 2',
    ]);
  });

  test('reads -- as a comment only when whitespace follows', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1--2;\nSELECT 3 -- c; d\n; SELECT 4', 'mysql'), [
      'SELECT 1--2',
      'SELECT 3 -- c; d',
      'SELECT 4',
    ]);
  });

  test('reads -- at the very end of the text as a comment', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1; --', 'mysql'), ['SELECT 1']);
  });

  test('does not nest block comments', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1 /* a /* b */; SELECT 2', 'mysql'), [
      'SELECT 1 /* a /* b */',
      'SELECT 2',
    ]);
  });

  test('keeps an executable /*! comment as a statement, semicolons inside it included', () => {
    assert.deepEqual(splitSqlStatements('/*!40101 SET @a = 1; */; SELECT 2', 'mysql'), [
      '/*!40101 SET @a = 1; */',
      'SELECT 2',
    ]);
  });

  test('does not split inside a dollar-quoted-looking text, since MySQL has none', () => {
    assert.deepEqual(splitSqlStatements('SELECT $$a;b$$', 'mysql'), ['SELECT $$a', 'b$$']);
  });

  test('does not split inside a CREATE PROCEDURE … BEGIN … END body', () => {
    const sql = 'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END; SELECT 9';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END',
      'SELECT 9',
    ]);
  });

  test('does not split inside a CREATE TRIGGER … FOR EACH ROW BEGIN … END body', () => {
    const sql = [
      'CREATE TRIGGER records_bi BEFORE INSERT ON records FOR EACH ROW BEGIN',
      '  SET NEW.created_at = NOW();',
      '  SET NEW.name = LOWER(NEW.name);',
      'END;',
      'SELECT 9;',
    ].join('\n');
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE TRIGGER records_bi BEFORE INSERT ON records FOR EACH ROW BEGIN\n' +
        '  SET NEW.created_at = NOW();\n  SET NEW.name = LOWER(NEW.name);\nEND',
      'SELECT 9',
    ]);
  });

  test('splits a single-statement trigger without BEGIN at its semicolon', () => {
    const sql = 'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1; SELECT 2';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1',
      'SELECT 2',
    ]);
  });

  test('does not split inside a CREATE FUNCTION body that holds a CASE expression', () => {
    const sql =
      'CREATE FUNCTION f() RETURNS INT DETERMINISTIC BEGIN DECLARE x INT; ' +
      'SET x = (SELECT CASE WHEN 1 THEN 2 ELSE 3 END); RETURN x; END; SELECT 9';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE FUNCTION f() RETURNS INT DETERMINISTIC BEGIN DECLARE x INT; ' +
        'SET x = (SELECT CASE WHEN 1 THEN 2 ELSE 3 END); RETURN x; END',
      'SELECT 9',
    ]);
  });

  test('does not split inside a CREATE EVENT … DO BEGIN … END body', () => {
    const sql = 'CREATE EVENT purge ON SCHEDULE EVERY 1 HOUR DO BEGIN DELETE FROM t; END; SELECT 2';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE EVENT purge ON SCHEDULE EVERY 1 HOUR DO BEGIN DELETE FROM t; END',
      'SELECT 2',
    ]);
  });

  test('counts nested BEGIN … END blocks', () => {
    const sql =
      'CREATE PROCEDURE p() BEGIN DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN SET @done = 1; END; ' +
      'BEGIN SELECT 3; END; SELECT 1; END; SELECT 9';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() BEGIN DECLARE CONTINUE HANDLER FOR NOT FOUND BEGIN SET @done = 1; END; ' +
        'BEGIN SELECT 3; END; SELECT 1; END',
      'SELECT 9',
    ]);
  });

  test('closes labelled blocks at END label', () => {
    const sql =
      'CREATE PROCEDURE p() outer_block: BEGIN inner_block: BEGIN SELECT 1; END inner_block; ' +
      'SELECT 2; END outer_block; SELECT 9';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() outer_block: BEGIN inner_block: BEGIN SELECT 1; END inner_block; ' +
        'SELECT 2; END outer_block',
      'SELECT 9',
    ]);
  });

  test('does not close the body at END IF, END LOOP, END WHILE or END REPEAT', () => {
    const sql =
      'CREATE PROCEDURE p() BEGIN IF x THEN SELECT 1; END IF; l: LOOP SELECT 2; END LOOP l; ' +
      'WHILE x DO SELECT 3; END WHILE; REPEAT SELECT 4; UNTIL x END REPEAT; END; SELECT 9';
    const statements = splitSqlStatements(sql, 'mysql');
    assert.equal(statements.length, 2);
    assert.ok(statements[0]?.endsWith('UNTIL x END REPEAT; END'));
    assert.equal(statements[1], 'SELECT 9');
  });

  test('does not close the body at END CASE of a CASE statement', () => {
    const sql =
      'CREATE PROCEDURE p() BEGIN CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; ' +
      'SELECT 3; END; SELECT 9';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() BEGIN CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; SELECT 3; END',
      'SELECT 9',
    ]);
  });

  test('closes a CASE expression at its END inside a body', () => {
    const sql =
      'CREATE PROCEDURE p() BEGIN SELECT CASE WHEN 1 THEN 2 END AS c; SELECT 3; END; SELECT 9';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() BEGIN SELECT CASE WHEN 1 THEN 2 END AS c; SELECT 3; END',
      'SELECT 9',
    ]);
  });

  test('does not read a qualified column named end or begin as a block keyword', () => {
    const sql =
      'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.end = 1; ' +
      'SET NEW.begin = 2; END; SELECT 9';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.end = 1; SET NEW.begin = 2; END',
      'SELECT 9',
    ]);
  });

  test('reads quoted, unquoted and CURRENT_USER definers before the routine kind', () => {
    for (const definer of ['`root`@`localhost`', "'root'@'%'", 'root@localhost', 'CURRENT_USER']) {
      const sql = `CREATE DEFINER = ${definer} PROCEDURE p() BEGIN SELECT 1; END; SELECT 9`;
      assert.deepEqual(
        splitSqlStatements(sql, 'mysql'),
        [`CREATE DEFINER = ${definer} PROCEDURE p() BEGIN SELECT 1; END`, 'SELECT 9'],
        definer,
      );
    }
  });

  test('keeps semicolons inside strings and comments of a routine body', () => {
    const sql =
      "CREATE PROCEDURE p() BEGIN SELECT 'END;'; -- END;\n /* END; */ SELECT `END;`; END; SELECT 9";
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      "CREATE PROCEDURE p() BEGIN SELECT 'END;'; -- END;\n /* END; */ SELECT `END;`; END",
      'SELECT 9',
    ]);
  });

  test('splits a BEGIN WORK / START TRANSACTION statement normally', () => {
    assert.deepEqual(splitSqlStatements('begin work; select 1; commit', 'mysql'), [
      'begin work',
      'select 1',
      'commit',
    ]);
    assert.deepEqual(splitSqlStatements('START TRANSACTION; SELECT 1; COMMIT', 'mysql'), [
      'START TRANSACTION',
      'SELECT 1',
      'COMMIT',
    ]);
  });
});

describe('splitSqlStatements: MySQL DELIMITER lines', () => {
  test('switches the delimiter for a routine and back, dropping the DELIMITER lines', () => {
    const sql = [
      'DELIMITER //',
      'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//',
      'DELIMITER ;',
      'SELECT 9;',
    ].join('\n');
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END',
      'SELECT 9',
    ]);
  });

  test('ends a word at a custom delimiter written right after it (END$$)', () => {
    const sql = 'DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\nSELECT 9;';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() BEGIN SELECT 1; END',
      'SELECT 9',
    ]);
  });

  test('drops a semicolon written before the custom delimiter (END;//)', () => {
    const sql = 'DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END;//\nDELIMITER ;\n';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() BEGIN SELECT 1; END',
    ]);
  });

  test('accepts a lowercase delimiter command, a two-character ;; delimiter and CRLF', () => {
    const sql =
      'delimiter ;;\r\nCREATE PROCEDURE p() BEGIN SELECT 1; END;;\r\ndelimiter ;\r\nSELECT 2';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'CREATE PROCEDURE p() BEGIN SELECT 1; END',
      'SELECT 2',
    ]);
  });

  test('does not split on ; while a custom delimiter is in force', () => {
    const sql = 'SELECT 1;\n  DELIMITER //\nSELECT 2; SELECT 3//\nSELECT 4//';
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), [
      'SELECT 1',
      'SELECT 2; SELECT 3',
      'SELECT 4',
    ]);
  });

  test('does not read a custom delimiter inside a string or comment', () => {
    const sql = "DELIMITER //\nSELECT '//' -- a // b\n//\nDELIMITER ;";
    assert.deepEqual(splitSqlStatements(sql, 'mysql'), ["SELECT '//' -- a // b"]);
  });

  test('reads DELIMITER as a word when it is not at the start of a statement', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1 FROM\ndelimiter x; SELECT 2', 'mysql'), [
      'SELECT 1 FROM\ndelimiter x',
      'SELECT 2',
    ]);
  });

  test('reads a DELIMITER line without an argument as an ordinary statement', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1;\nDELIMITER', 'mysql'), [
      'SELECT 1',
      'DELIMITER',
    ]);
  });

  test('splits mysqldump-style executable trigger comments under DELIMITER ;;', () => {
    const sql = [
      'DELIMITER ;;',
      '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER t_bi BEFORE INSERT ON t',
      'FOR EACH ROW BEGIN SET NEW.a = 1; END */;;',
      'DELIMITER ;',
    ].join('\n');
    const statements = splitSqlStatements(sql, 'mysql');
    assert.equal(statements.length, 1);
    assert.ok(statements[0]?.startsWith('/*!50003 CREATE*/'));
    assert.ok(statements[0]?.endsWith('END */'));
  });
});

describe('splitSqlStatements: SQLite', () => {
  test('does not split inside a CREATE TRIGGER … BEGIN … END body', () => {
    const sql =
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE a SET x = 1; DELETE FROM b; END; SELECT 2';
    assert.deepEqual(splitSqlStatements(sql, 'sqlite'), [
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE a SET x = 1; DELETE FROM b; END',
      'SELECT 2',
    ]);
  });

  test('reads TEMP and IF NOT EXISTS in a trigger head, in lowercase too', () => {
    const sql =
      'create temp trigger if not exists tr after insert on t begin select 1; end; select 2';
    assert.deepEqual(splitSqlStatements(sql, 'sqlite'), [
      'create temp trigger if not exists tr after insert on t begin select 1; end',
      'select 2',
    ]);
  });

  test('closes a CASE expression inside a trigger body at its END', () => {
    const sql =
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = CASE WHEN 1 THEN 2 END; SELECT 1; END; SELECT 2';
    assert.deepEqual(splitSqlStatements(sql, 'sqlite'), [
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = CASE WHEN 1 THEN 2 END; SELECT 1; END',
      'SELECT 2',
    ]);
  });

  test('keeps strings and comments holding END; inside a trigger body', () => {
    const sql = [
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN',
      '  -- keep; going END;',
      "  UPDATE a SET x = 'end;'; /* END; */",
      'END;',
      'SELECT 2;',
    ].join('\n');
    assert.deepEqual(splitSqlStatements(sql, 'sqlite'), [
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  -- keep; going END;\n  UPDATE a SET x = 'end;'; /* END; */\nEND",
      'SELECT 2',
    ]);
  });

  test('splits two triggers in a row', () => {
    const sql =
      'CREATE TRIGGER a AFTER INSERT ON t BEGIN SELECT 1; END;\nCREATE TRIGGER b AFTER DELETE ON t BEGIN SELECT 2; END;';
    assert.deepEqual(splitSqlStatements(sql, 'sqlite'), [
      'CREATE TRIGGER a AFTER INSERT ON t BEGIN SELECT 1; END',
      'CREATE TRIGGER b AFTER DELETE ON t BEGIN SELECT 2; END',
    ]);
  });

  test('splits a trigger inside an explicit BEGIN; … COMMIT; transaction', () => {
    const sql = 'BEGIN;\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;\nCOMMIT;';
    assert.deepEqual(splitSqlStatements(sql, 'sqlite'), [
      'BEGIN',
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END',
      'COMMIT',
    ]);
  });

  test('splits BEGIN TRANSACTION and END TRANSACTION statements', () => {
    assert.deepEqual(
      splitSqlStatements('BEGIN TRANSACTION; CREATE TABLE t (x); END TRANSACTION;', 'sqlite'),
      ['BEGIN TRANSACTION', 'CREATE TABLE t (x)', 'END TRANSACTION'],
    );
  });

  test('does not split inside a [bracketed] identifier', () => {
    assert.deepEqual(splitSqlStatements('SELECT [a;b] FROM t; SELECT 2', 'sqlite'), [
      'SELECT [a;b] FROM t',
      'SELECT 2',
    ]);
  });

  test('does not split inside a backtick identifier', () => {
    assert.deepEqual(splitSqlStatements('SELECT `a;b` FROM t; SELECT 2', 'sqlite'), [
      'SELECT `a;b` FROM t',
      'SELECT 2',
    ]);
  });

  test('treats a backslash in a string as an ordinary character', () => {
    assert.deepEqual(splitSqlStatements("SELECT 'a\\'; SELECT 2", 'sqlite'), [
      "SELECT 'a\\'",
      'SELECT 2',
    ]);
  });

  test('does not read E strings: a backslash before a quote still closes the string', () => {
    assert.deepEqual(splitSqlStatements("SELECT E'a\\'; SELECT 2", 'sqlite'), [
      "SELECT E'a\\'",
      'SELECT 2',
    ]);
  });

  test('does not read # as a comment', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1 # 2; SELECT 3', 'sqlite'), [
      'SELECT 1 # 2',
      'SELECT 3',
    ]);
  });
});
