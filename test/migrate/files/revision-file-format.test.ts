import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseSqlRevisionFile,
  renderSqlRevisionFile,
  selectSection,
  toOneLine,
  type RevisionHeader,
} from '../../../src/migrate/files/revision-file-format.js';
import { DataRegistryError } from '../../../src/shared/errors.js';

const path = 'migrations/versions/2023_01_11_1106-d21f6449aa7a_create_records_table.sql';

const example = [
  '-- create records table',
  '--',
  '-- Revision ID: d21f6449aa7a',
  '-- Revises: 9c1e2b7a4f00',
  '-- Create Date: 2023-01-11 11:06:25',
  '',
  '-- migrate:upgrade',
  'CREATE TABLE records (id integer primary key);',
  '',
  '-- migrate:downgrade',
  'DROP TABLE records;',
  '',
].join('\n');

function lines(...text: string[]): string {
  return text.join('\n');
}

/** The header lines of a base revision `aaa`, for files that only vary their sections. */
const baseHeader = ['-- message', '-- Revision ID: aaa', '-- Revises:', ''];

/** Asserts that parsing throws MALFORMED_REVISION_FILE on `line`, with `words` in the message. */
function assertMalformed(text: string, line: number, ...words: string[]): void {
  assert.throws(
    () => parseSqlRevisionFile(text, path),
    (error: unknown) => {
      assert.ok(error instanceof DataRegistryError);
      assert.equal(error.code, 'MALFORMED_REVISION_FILE');
      assert.deepEqual(error.details, { path, line });
      assert.ok(error.message.startsWith(`${path} line ${line}: `), error.message);
      for (const word of words)
        assert.ok(error.message.includes(word), `${word} in ${error.message}`);
      return true;
    },
  );
}

describe('parseSqlRevisionFile: header', () => {
  test('reads message, id, parent and create date of the documented example', () => {
    const parsed = parseSqlRevisionFile(example, path);
    assert.equal(parsed.id, 'd21f6449aa7a');
    assert.deepEqual(parsed.parents, ['9c1e2b7a4f00']);
    assert.equal(parsed.message, 'create records table');
    assert.equal(parsed.createDate, '2023-01-11 11:06:25');
    assert.equal(parsed.isTransactional, true);
  });

  test('reads an empty Revises: as a base revision with no parents', () => {
    const parsed = parseSqlRevisionFile(
      lines(...baseHeader, '-- migrate:upgrade', 'SELECT 1;'),
      path,
    );
    assert.deepEqual(parsed.parents, []);
  });

  test('reads a comma-separated Revises: as a merge point, trimming spaces', () => {
    const parsed = parseSqlRevisionFile(
      lines('-- merge', '-- Revision ID: ccc', '-- Revises: aaa,bbb , ddd', '-- migrate:upgrade'),
      path,
    );
    assert.deepEqual(parsed.parents, ['aaa', 'bbb', 'ddd']);
  });

  test('reads field names in any case and without a space before the value', () => {
    const parsed = parseSqlRevisionFile(
      lines(
        '-- REVISION ID:abc',
        '-- revises:def',
        '-- create date:2024-01-01 00:00:00',
        '-- migrate:upgrade',
      ),
      path,
    );
    assert.equal(parsed.id, 'abc');
    assert.deepEqual(parsed.parents, ['def']);
    assert.equal(parsed.createDate, '2024-01-01 00:00:00');
  });

  test('leaves createDate undefined when the line is missing or empty', () => {
    const without = parseSqlRevisionFile(lines(...baseHeader, '-- migrate:upgrade'), path);
    assert.equal(without.createDate, undefined);
    const empty = parseSqlRevisionFile(
      lines('-- Revision ID: aaa', '-- Revises:', '-- Create Date:', '-- migrate:upgrade'),
      path,
    );
    assert.equal(empty.createDate, undefined);
  });

  test('takes the first non-empty comment line as the message and ignores later ones', () => {
    const parsed = parseSqlRevisionFile(
      lines(
        '',
        '--',
        '--   add index  ',
        '-- more words',
        '-- Author: ann',
        ...baseHeader.slice(1),
        '-- migrate:upgrade',
      ),
      path,
    );
    assert.equal(parsed.message, 'add index');
  });

  test('gives an empty message when the header starts with a field', () => {
    const parsed = parseSqlRevisionFile(
      lines('-- Revision ID: aaa', '-- Revises:', '-- a later comment', '-- migrate:upgrade'),
      path,
    );
    assert.equal(parsed.message, '');
  });

  test('reads -- migrate:no-transaction in the header as a non-transactional revision', () => {
    const parsed = parseSqlRevisionFile(
      lines(
        ...baseHeader,
        '-- migrate:no-transaction',
        '-- migrate:upgrade',
        'CREATE INDEX CONCURRENTLY i ON t (x);',
      ),
      path,
    );
    assert.equal(parsed.isTransactional, false);
  });

  test('accepts a UTF-8 BOM and CRLF line endings', () => {
    const parsed = parseSqlRevisionFile(`\uFEFF${example.replace(/\n/g, '\r\n')}`, path);
    assert.equal(parsed.id, 'd21f6449aa7a');
    assert.equal(parsed.message, 'create records table');
    assert.equal(parsed.createDate, '2023-01-11 11:06:25');
    assert.deepEqual(
      parsed.sections.map((s) => s.sql),
      ['CREATE TABLE records (id integer primary key);\n', 'DROP TABLE records;\n'],
    );
  });

  test('accepts old Mac CR line endings', () => {
    const parsed = parseSqlRevisionFile(example.replace(/\n/g, '\r'), path);
    assert.equal(parsed.id, 'd21f6449aa7a');
    assert.equal(parsed.sections.length, 2);
  });

  test('ignores header-like lines inside a section', () => {
    const parsed = parseSqlRevisionFile(
      lines(
        ...baseHeader,
        '-- migrate:upgrade',
        '-- Revision ID: zzz',
        '-- Revises: yyy',
        'SELECT 1;',
      ),
      path,
    );
    assert.equal(parsed.id, 'aaa');
    assert.deepEqual(parsed.parents, []);
  });
});

describe('parseSqlRevisionFile: sections', () => {
  test('returns the sections in file order with their 1-based line and SQL', () => {
    const parsed = parseSqlRevisionFile(example, path);
    assert.deepEqual(parsed.sections, [
      {
        direction: 'upgrade',
        dialect: undefined,
        line: 7,
        sql: 'CREATE TABLE records (id integer primary key);\n',
      },
      { direction: 'downgrade', dialect: undefined, line: 10, sql: 'DROP TABLE records;\n' },
    ]);
  });

  test('accepts a file with only an upgrade section', () => {
    const parsed = parseSqlRevisionFile(
      lines(...baseHeader, '-- migrate:upgrade', 'SELECT 1;'),
      path,
    );
    assert.deepEqual(parsed.sections, [
      { direction: 'upgrade', dialect: undefined, line: 5, sql: 'SELECT 1;' },
    ]);
  });

  test('gives an empty section an empty SQL text', () => {
    const parsed = parseSqlRevisionFile(
      lines(...baseHeader, '-- migrate:upgrade', '-- migrate:downgrade'),
      path,
    );
    assert.deepEqual(
      parsed.sections.map((s) => s.sql),
      ['', ''],
    );
  });

  test('reads dialect tags, in any case, beside the plain sections', () => {
    const parsed = parseSqlRevisionFile(
      lines(
        ...baseHeader,
        '-- migrate:upgrade',
        'SELECT 1;',
        '-- migrate:upgrade PostgreSQL',
        'SELECT 2;',
        '-- migrate:upgrade mysql',
        '-- migrate:downgrade sqlite',
        'SELECT 3;',
      ),
      path,
    );
    assert.deepEqual(
      parsed.sections.map((s) => [s.direction, s.dialect, s.line]),
      [
        ['upgrade', undefined, 5],
        ['upgrade', 'postgresql', 7],
        ['upgrade', 'mysql', 9],
        ['downgrade', 'sqlite', 10],
      ],
    );
  });

  test('accepts directives with extra spaces, no space after --, or in upper case', () => {
    const parsed = parseSqlRevisionFile(
      lines(...baseHeader, '  --migrate:UPGRADE  ', '--   migrate:  downgrade   sqlite'),
      path,
    );
    assert.deepEqual(
      parsed.sections.map((s) => [s.direction, s.dialect]),
      [
        ['upgrade', undefined],
        ['downgrade', 'sqlite'],
      ],
    );
  });

  test('accepts a file whose only upgrade section is tagged with a dialect', () => {
    const parsed = parseSqlRevisionFile(
      lines(...baseHeader, '-- migrate:upgrade sqlite', 'SELECT 1;'),
      path,
    );
    assert.equal(parsed.sections.length, 1);
  });
});

describe('parseSqlRevisionFile: malformed files', () => {
  test('rejects a file without a Revision ID: line, on the line of the first section', () => {
    assertMalformed(lines('-- msg', '-- Revises:', '', '-- migrate:upgrade'), 4, 'Revision ID');
  });

  test('rejects an empty Revision ID:, on its own line', () => {
    assertMalformed(
      lines('-- msg', '-- Revision ID:', '-- Revises:', '-- migrate:upgrade'),
      2,
      'Revision ID',
    );
  });

  test('rejects a Revision ID: holding two ids', () => {
    assertMalformed(
      lines('-- Revision ID: aaa bbb', '-- Revises:', '-- migrate:upgrade'),
      1,
      'one revision id',
      'aaa bbb',
    );
    assertMalformed(
      lines('-- Revision ID: aaa,bbb', '-- Revises:', '-- migrate:upgrade'),
      1,
      'aaa,bbb',
    );
  });

  test('rejects a file without a Revises: line', () => {
    assertMalformed(
      lines('-- msg', '-- Revision ID: aaa', '', '-- migrate:upgrade'),
      4,
      'Revises:',
      'base revision',
    );
  });

  test('reports a missing field on the last line when the file has no section', () => {
    assertMalformed(lines('-- msg', '-- Revision ID: aaa', ''), 3, 'Revises:');
  });

  test('rejects a parent id holding whitespace', () => {
    assertMalformed(
      lines('-- Revision ID: ccc', '-- Revises: aaa bbb', '-- migrate:upgrade'),
      2,
      'aaa bbb',
      'commas',
    );
  });

  test('rejects a parent listed twice', () => {
    assertMalformed(
      lines('-- Revision ID: ccc', '-- Revises: aaa, aaa', '-- migrate:upgrade'),
      2,
      'aaa',
      'twice',
    );
  });

  test('rejects a repeated header field, naming the line of the first', () => {
    assertMalformed(
      lines('-- Revision ID: aaa', '-- Revises:', '-- Revision ID: bbb', '-- migrate:upgrade'),
      3,
      'second',
      'Revision ID',
      'line 1',
    );
    assertMalformed(
      lines('-- Revision ID: aaa', '-- Revises:', '-- revises: bbb', '-- migrate:upgrade'),
      3,
      'line 2',
    );
    assertMalformed(
      lines(
        '-- Revision ID: aaa',
        '-- Revises:',
        '-- Create Date: x',
        '-- Create Date: y',
        '-- migrate:upgrade',
      ),
      4,
      'Create Date',
    );
  });

  test('rejects a file without an upgrade section, on its last line', () => {
    assertMalformed(lines(...baseHeader), 4, '-- migrate:upgrade', 'none');
    assertMalformed(
      lines(...baseHeader, '-- migrate:downgrade', 'DROP TABLE t;'),
      6,
      '-- migrate:upgrade',
    );
  });

  test('rejects a repeated section, naming the line of the first', () => {
    assertMalformed(
      lines(...baseHeader, '-- migrate:upgrade', 'SELECT 1;', '-- migrate:upgrade', 'SELECT 2;'),
      7,
      'repeats',
      'line 5',
    );
  });

  test('rejects a repeated dialect section, in whatever case it is written', () => {
    assertMalformed(
      lines(
        ...baseHeader,
        '-- migrate:downgrade mysql',
        '-- migrate:upgrade',
        '-- migrate:downgrade MySQL',
      ),
      7,
      'repeats',
      'line 5',
    );
  });

  test('rejects an unknown dialect tag, listing the known ones', () => {
    assertMalformed(
      lines(...baseHeader, '-- migrate:upgrade oracle'),
      5,
      'unknown dialect tag',
      'oracle',
      'postgresql, mysql, sqlite',
    );
    assertMalformed(lines(...baseHeader, '-- migrate:upgrade postgres'), 5, '`postgres`');
  });

  test('rejects an unknown directive or extra words after the dialect', () => {
    assertMalformed(
      lines(...baseHeader, '-- migrate:upgrad'),
      5,
      'migrate:upgrade',
      '-- migrate:upgrad',
    );
    assertMalformed(lines(...baseHeader, '-- migrate:'), 5, 'migrate:no-transaction');
    assertMalformed(lines(...baseHeader, '-- migrate:upgrade sqlite now'), 5, 'sqlite now');
    assertMalformed(
      lines(...baseHeader, '-- migrate:no-transaction please'),
      5,
      'no-transaction please',
    );
  });

  test('rejects -- migrate:no-transaction after the first section', () => {
    assertMalformed(
      lines(...baseHeader, '-- migrate:upgrade', '-- migrate:no-transaction'),
      6,
      'no-transaction',
      'header',
    );
  });

  test('rejects code before the first section, quoting it', () => {
    assertMalformed(
      lines(
        '-- msg',
        '-- Revision ID: aaa',
        '-- Revises:',
        'CREATE TABLE t (x int);',
        '-- migrate:upgrade',
      ),
      4,
      'before any section',
      'CREATE TABLE t (x int);',
    );
  });

  test('clips long code before the first section in the message', () => {
    const code = `SELECT ${'x'.repeat(100)}`;
    assert.throws(
      () => parseSqlRevisionFile(lines(code, ...baseHeader, '-- migrate:upgrade'), path),
      (error: unknown) =>
        error instanceof DataRegistryError &&
        error.message.includes(`${code.slice(0, 40)}…`) &&
        !error.message.includes(code),
    );
  });

  test('names the path and line even when the file is empty', () => {
    assertMalformed('', 1, 'Revision ID');
  });
});

describe('selectSection', () => {
  const parsed = parseSqlRevisionFile(
    lines(
      ...baseHeader,
      '-- migrate:upgrade',
      'plain up',
      '-- migrate:upgrade postgresql',
      'pg up',
      '-- migrate:downgrade mysql',
      'my down',
    ),
    path,
  );

  test("picks the dialect's own section when the file has one", () => {
    assert.equal(selectSection(parsed, 'upgrade', 'postgresql')?.sql, 'pg up');
    assert.equal(selectSection(parsed, 'downgrade', 'mysql')?.sql, 'my down');
  });

  test('falls back to the plain section on other dialects', () => {
    assert.equal(selectSection(parsed, 'upgrade', 'mysql')?.sql, 'plain up');
    assert.equal(selectSection(parsed, 'upgrade', 'sqlite')?.sql, 'plain up');
  });

  test('returns undefined when neither a dialect nor a plain section exists', () => {
    assert.equal(selectSection(parsed, 'downgrade', 'sqlite'), undefined);
    assert.equal(selectSection(parsed, 'downgrade', 'postgresql'), undefined);
  });

  test('never takes a section of the other direction', () => {
    const onlyUpgrade = parseSqlRevisionFile(lines(...baseHeader, '-- migrate:upgrade', 'x'), path);
    assert.equal(selectSection(onlyUpgrade, 'downgrade', 'sqlite'), undefined);
  });
});

describe('renderSqlRevisionFile', () => {
  test('renders the documented layout', () => {
    const text = renderSqlRevisionFile({
      id: 'd21f6449aa7a',
      parents: ['9c1e2b7a4f00'],
      message: 'create records table',
      createDate: '2023-01-11 11:06:25',
    });
    assert.ok(
      text.startsWith(
        lines(
          '-- create records table',
          '--',
          '-- Revision ID: d21f6449aa7a',
          '-- Revises: 9c1e2b7a4f00',
          '-- Create Date: 2023-01-11 11:06:25',
          '',
          '-- migrate:upgrade',
        ),
      ),
      text,
    );
    assert.ok(text.includes('\n-- migrate:downgrade\n'));
    assert.ok(text.endsWith('\n'));
    assert.ok(!text.includes('no-transaction'));
  });

  const roundTrips: [string, RevisionHeader][] = [
    ['a base revision', { id: 'aaa000000001', parents: [], message: 'init' }],
    [
      'a revision with one parent',
      { id: 'b1', parents: ['a1'], message: 'add x', createDate: '2024-02-29 23:59:59' },
    ],
    ['a merge point', { id: 'm1', parents: ['a1', 'b2', 'c3'], message: 'merge heads' }],
    ['an empty message', { id: 'e1', parents: ['a1'], message: '' }],
    [
      'a non-transactional revision',
      { id: 'n1', parents: ['a1'], message: 'index', isTransactional: false },
    ],
    [
      'an explicitly transactional revision',
      { id: 't1', parents: [], message: 't', isTransactional: true },
    ],
    [
      'a message with colons and quotes',
      { id: 'q1', parents: [], message: "Add 'e-mail': unique; again" },
    ],
    [
      'a message with non-ASCII text',
      { id: 'u1', parents: [], message: 'Ajouter la colonne « créé »' },
    ],
  ];
  for (const [what, header] of roundTrips) {
    test(`parses back to the same header for ${what}`, () => {
      const parsed = parseSqlRevisionFile(renderSqlRevisionFile(header), path);
      assert.equal(parsed.id, header.id);
      assert.deepEqual(parsed.parents, header.parents);
      assert.equal(parsed.message, header.message);
      assert.equal(parsed.createDate, header.createDate);
      assert.equal(parsed.isTransactional, header.isTransactional ?? true);
      assert.deepEqual(
        parsed.sections.map((s) => [s.direction, s.dialect]),
        [
          ['upgrade', undefined],
          ['downgrade', undefined],
        ],
      );
    });
  }

  test('renders empty sections apart from one comment line each', () => {
    const parsed = parseSqlRevisionFile(
      renderSqlRevisionFile({ id: 'a', parents: [], message: 'm' }),
      path,
    );
    for (const section of parsed.sections) {
      const code = section.sql.split('\n').filter((line) => line.trim() !== '');
      assert.equal(code.length, 1);
      assert.ok(code[0]?.startsWith('-- '));
    }
  });

  test('collapses whitespace and newlines in the message to single spaces', () => {
    const text = renderSqlRevisionFile({
      id: 'a',
      parents: [],
      message: '  two\nlines\r\n\tand  tabs ',
    });
    assert.ok(text.startsWith('-- two lines and tabs\n'));
    assert.equal(parseSqlRevisionFile(text, path).message, 'two lines and tabs');
  });

  test('writes no trailing spaces on the message and Revises: lines of a base revision', () => {
    const text = renderSqlRevisionFile({ id: 'a', parents: [], message: '' });
    assert.deepEqual(
      text.split('\n').filter((line) => line !== line.trimEnd()),
      [],
    );
  });

  test('refuses a message that would read as a -- migrate: directive', () => {
    for (const message of ['migrate: add users', 'Migrate:upgrade']) {
      assert.throws(
        () => renderSqlRevisionFile({ id: 'a', parents: [], message }),
        (error: unknown) =>
          error instanceof DataRegistryError &&
          error.code === 'INVALID_ARGUMENT' &&
          error.message.includes(message) &&
          error.message.includes('reword'),
        message,
      );
    }
  });

  test('refuses a message that would read as a header field', () => {
    for (const message of ['Revises: the old schema', 'revision id: x', 'Create Date : today']) {
      assert.throws(
        () => renderSqlRevisionFile({ id: 'a', parents: [], message }),
        (error: unknown) => error instanceof DataRegistryError && error.code === 'INVALID_ARGUMENT',
        message,
      );
    }
  });

  test('refuses ids and parents that would not parse back', () => {
    const bad: RevisionHeader[] = [
      { id: '', parents: [], message: 'm' },
      { id: 'a b', parents: [], message: 'm' },
      { id: 'a', parents: ['b,c'], message: 'm' },
      { id: 'a', parents: [''], message: 'm' },
      { id: 'a', parents: ['b', 'b'], message: 'm' },
    ];
    for (const header of bad) {
      assert.throws(
        () => renderSqlRevisionFile(header),
        (error: unknown) => error instanceof DataRegistryError && error.code === 'INVALID_ARGUMENT',
        JSON.stringify(header),
      );
    }
  });
});

describe('toOneLine', () => {
  test('collapses every whitespace run to one space and trims the ends', () => {
    assert.equal(toOneLine(' a \n\n b\t\tc\r\n'), 'a b c');
    assert.equal(toOneLine('   '), '');
  });
});

describe('the not-converted mark', () => {
  const marked = (position: 'header' | 'section') =>
    lines(
      '-- backfill',
      '-- Revision ID: b2',
      '-- Revises: a1',
      ...(position === 'header'
        ? ['-- migrate:not-converted versions/b2.py line 9: reads rows']
        : []),
      '',
      '-- migrate:upgrade',
      'SELECT 1;',
      ...(position === 'section' ? ['-- migrate:not-converted late'] : []),
    );

  test('is read from the header with its reason; a file without it has none', () => {
    assert.equal(
      parseSqlRevisionFile(marked('header'), path).notConverted,
      'versions/b2.py line 9: reads rows',
    );
    assert.equal(parseSqlRevisionFile(example, path).notConverted, undefined);
  });

  test('after the first section is a malformed file, naming the line', () => {
    assert.throws(
      () => parseSqlRevisionFile(marked('section'), path),
      (error: unknown) =>
        error instanceof DataRegistryError &&
        error.code === 'MALFORMED_REVISION_FILE' &&
        /line 7: expected `-- migrate:not-converted` in the header/.test(error.message),
    );
  });
});
