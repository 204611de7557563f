import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatCreateDate,
  newRevisionId,
  revisionFileName,
  slugifyMessage,
} from '../../../src/migrate/files/revision-file-name.js';

describe('slugifyMessage', () => {
  const cases: [string, string][] = [
    ['Create records table', 'create_records_table'],
    ['Add "e-mail" column, again!', 'add_e_mail_column_again'],
    ['UPPER lower MiXeD', 'upper_lower_mixed'],
    ['add   many    spaces', 'add_many_spaces'],
    ['tabs\tand\nnewlines', 'tabs_and_newlines'],
    ['snake__case___words', 'snake_case_words'],
    ['  --leading and trailing!!  ', 'leading_and_trailing'],
    ['v2 adds 3 columns', 'v2_adds_3_columns'],
    ['Créer la table « données »', 'creer_la_table_donnees'],
    ['naïve façade', 'naive_facade'],
    ['ﬁle', 'file'],
    ['', ''],
    ['!!!', ''],
    ['数据表', ''],
  ];
  for (const [message, slug] of cases) {
    test(`turns ${JSON.stringify(message)} into ${JSON.stringify(slug)}`, () => {
      assert.equal(slugifyMessage(message), slug);
    });
  }

  test('keeps at most 40 characters', () => {
    const slug = slugifyMessage('a'.repeat(100));
    assert.equal(slug, 'a'.repeat(40));
  });

  test('does not end in an underscore when the cut falls on a separator', () => {
    const slug = slugifyMessage(`${'a'.repeat(39)} bcd`);
    assert.equal(slug, 'a'.repeat(39));
  });

  test('never holds anything but lowercase letters, digits and single inner underscores', () => {
    for (const message of [
      'Hello, World!',
      '__x__y__',
      'Ünïcödé — dash',
      'a-b.c/d\\e',
      'MIXED 123 Case',
    ]) {
      const slug = slugifyMessage(message);
      assert.match(slug, /^(?:[a-z0-9]+(?:_[a-z0-9]+)*)?$/, message);
      assert.ok(slug.length <= 40);
    }
  });
});

describe('revisionFileName', () => {
  const date = new Date('2023-01-11T11:06:25Z');

  test('writes YYYY_MM_DD_HHMM-<id>_<slug>.<extension>', () => {
    assert.equal(
      revisionFileName(date, 'd21f6449aa7a', 'Create records table', 'sql'),
      '2023_01_11_1106-d21f6449aa7a_create_records_table.sql',
    );
  });

  test('leaves the slug out when the message has no letters or digits', () => {
    assert.equal(
      revisionFileName(date, 'd21f6449aa7a', '---', 'sql'),
      '2023_01_11_1106-d21f6449aa7a.sql',
    );
    assert.equal(
      revisionFileName(date, 'd21f6449aa7a', '', 'js'),
      '2023_01_11_1106-d21f6449aa7a.js',
    );
  });

  test('uses the given extension', () => {
    assert.equal(revisionFileName(date, 'abc', 'x', 'mjs'), '2023_01_11_1106-abc_x.mjs');
  });

  test('pads month, day, hour and minute to two digits and the year to four', () => {
    assert.equal(
      revisionFileName(new Date('0999-02-03T04:05:06Z'), 'abc', 'm', 'sql'),
      '0999_02_03_0405-abc_m.sql',
    );
  });

  test('uses UTC whatever the time zone of the date was written in', () => {
    assert.equal(
      revisionFileName(new Date('2023-01-11T23:30:00-05:00'), 'abc', 'm', 'sql'),
      '2023_01_12_0430-abc_m.sql',
    );
  });

  test('sorts in creation order', () => {
    const names = [
      revisionFileName(new Date('2023-12-31T23:59:00Z'), 'fff', 'z', 'sql'),
      revisionFileName(new Date('2024-01-01T00:00:00Z'), '000', 'a', 'sql'),
      revisionFileName(new Date('2024-01-01T09:05:00Z'), '000', 'a', 'sql'),
      revisionFileName(new Date('2024-01-01T10:00:00Z'), '000', 'a', 'sql'),
    ];
    assert.deepEqual([...names].sort(), names);
  });

  test('matches the documented name pattern for a new id', () => {
    assert.match(
      revisionFileName(date, newRevisionId(), 'Create records table', 'sql'),
      /^\d{4}_\d{2}_\d{2}_\d{4}-[0-9a-f]{12}_create_records_table\.sql$/,
    );
  });
});

describe('formatCreateDate', () => {
  test('writes YYYY-MM-DD HH:MM:SS in UTC', () => {
    assert.equal(formatCreateDate(new Date('2023-01-11T11:06:25Z')), '2023-01-11 11:06:25');
    assert.equal(formatCreateDate(new Date('2024-03-04T05:06:07+02:00')), '2024-03-04 03:06:07');
  });

  test('agrees with the timestamp of the file name', () => {
    const date = new Date('2025-07-08T09:10:11Z');
    const [day, time] = formatCreateDate(date).split(' ');
    const stamp = `${day?.replaceAll('-', '_')}_${time?.slice(0, 5).replace(':', '')}`;
    assert.ok(revisionFileName(date, 'abc', 'm', 'sql').startsWith(`${stamp}-`));
  });
});

describe('newRevisionId', () => {
  test('returns 12 lowercase hex characters', () => {
    for (let i = 0; i < 20; i++) assert.match(newRevisionId(), /^[0-9a-f]{12}$/);
  });

  test('returns a different id each time', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newRevisionId()));
    assert.equal(ids.size, 100);
  });
});
