import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkPageLimit,
  decodeCursor,
  encodeCursor,
  toPage,
} from '../../../src/registry/shared/page-cursor.js';
import { checkId } from '../../../src/registry/shared/entity-id.js';
import { isDataRegistryError } from '../../../src/shared/errors.js';

const invalid = (field: string) => (error: unknown) =>
  isDataRegistryError(error) &&
  error.code === 'VALIDATION_FAILED' &&
  error.message.includes(`\`${field}\``);

test('decodes the cursors it encodes, for the same kind of list', () => {
  for (const id of ['1', '42', '9223372036854775807']) {
    assert.equal(decodeCursor('records', encodeCursor('records', id), 'cursor'), id);
    assert.equal(decodeCursor('datasets', encodeCursor('datasets', id), 'cursor'), id);
  }
});

test('refuses cursors of another list, forged or malformed, naming the field', () => {
  const forged = (text: string) => Buffer.from(text).toString('base64url');
  for (const cursor of [
    encodeCursor('datasets', '5'),
    forged('records:0'),
    forged('records:-1'),
    forged('records:1 OR 1=1'),
    forged('records:01'),
    forged('records:12345678901234567890'),
    forged('records:'),
    '',
    'not base64!',
    "'; DROP TABLE records; --",
    'A'.repeat(65),
  ]) {
    assert.throws(() => decodeCursor('records', cursor, 'cursor'), invalid('cursor'), cursor);
  }
});

test('takes page limits from 1 to 1000, 100 by default', () => {
  assert.equal(checkPageLimit(undefined, 'limit'), 100);
  assert.equal(checkPageLimit(1, 'limit'), 1);
  assert.equal(checkPageLimit(1000, 'limit'), 1000);
  for (const limit of [0, -1, 1001, 1.5, NaN]) {
    assert.throws(() => checkPageLimit(limit, 'limit'), invalid('limit'), String(limit));
  }
});

test('makes a page of limit items with a cursor only when an extra row came back', () => {
  const rows = [{ id: '3' }, { id: '7' }, { id: '9' }];
  const full = toPage('records', rows, 2);
  assert.deepEqual(full.items, rows.slice(0, 2));
  assert.equal(decodeCursor('records', full.nextCursor!, 'cursor'), '7');
  assert.deepEqual(toPage('records', rows, 3), { items: rows, nextCursor: null });
  assert.deepEqual(toPage('records', [], 3), { items: [], nextCursor: null });
});

test('accepts ids from 1 to 2^63 - 1 written in decimal', () => {
  for (const id of ['1', '10', '9223372036854775807']) assert.equal(checkId(id, 'id'), id);
  for (const id of [
    '0',
    '01',
    '-1',
    '+1',
    '1.0',
    '1e3',
    ' 1',
    '9223372036854775808',
    '99999999999999999999',
    '',
  ]) {
    assert.throws(() => checkId(id, 'id'), invalid('id'), id);
  }
});
