import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checksumRevisionText } from '../../../src/migrate/files/checksum.js';

const text =
  '-- message\n-- Revision ID: aaa\n-- Revises:\n\n-- migrate:upgrade\nCREATE TABLE t (x int);\n';
const checksum = checksumRevisionText(text);

describe('checksumRevisionText', () => {
  test('is the lowercase hex SHA-256 of the normalised text', () => {
    assert.match(checksum, /^[0-9a-f]{64}$/);
    const normalised = text.replace(/\n$/, '');
    assert.equal(checksum, createHash('sha256').update(normalised, 'utf8').digest('hex'));
  });

  test('is stable for the same text', () => {
    assert.equal(checksumRevisionText(text), checksum);
  });

  const unchanged: [string, string][] = [
    ['CRLF line endings', text.replace(/\n/g, '\r\n')],
    ['CR line endings', text.replace(/\n/g, '\r')],
    ['mixed line endings', text.replace('\n', '\r\n').replace('\n\n', '\r\r')],
    ['a UTF-8 BOM', `\uFEFF${text}`],
    ['trailing spaces and tabs on lines', text.replace(/\n/g, ' \t \n')],
    ['trailing whitespace on an otherwise blank line', text.replace('\n\n', '\n   \n')],
    ['no final newline', text.slice(0, -1)],
    ['extra trailing blank lines', `${text}\n\n  \n\t\n`],
    ['a BOM, CRLF and trailing blanks together', `\uFEFF${text.replace(/\n/g, '  \r\n')}\r\n\r\n`],
  ];
  for (const [what, variant] of unchanged) {
    test(`ignores ${what}`, () => {
      assert.equal(checksumRevisionText(variant), checksum);
    });
  }

  const changed: [string, string][] = [
    ['an edited statement', text.replace('x int', 'x bigint')],
    ['a changed case', text.replace('CREATE', 'create')],
    ['different indentation', text.replace('CREATE', '  CREATE')],
    ['a leading blank line', `\n${text}`],
    ['leading spaces on the first line', ` ${text}`],
    ['an added comment', `${text}-- note\n`],
    ['an edited comment', text.replace('message', 'massage')],
    ['a blank line added in the middle', text.replace('\n\n', '\n\n\n')],
    ['a blank line removed in the middle', text.replace('\n\n', '\n')],
    ['whitespace inside a line', text.replace('TABLE t', 'TABLE  t')],
    ['a BOM that is not at the start', text.replace('CREATE', '\uFEFFCREATE')],
    ['an added statement', `${text}DROP TABLE u;\n`],
  ];
  for (const [what, variant] of changed) {
    test(`changes with ${what}`, () => {
      assert.notEqual(checksumRevisionText(variant), checksum);
    });
  }

  test('gives the empty text and a text of blank lines the same checksum', () => {
    assert.equal(checksumRevisionText(''), checksumRevisionText('\n \r\n\t\n'));
    assert.equal(checksumRevisionText(''), createHash('sha256').update('').digest('hex'));
  });
});
