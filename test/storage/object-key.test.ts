import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertValidObjectKey, assertValidPrefix } from '../../src/storage/object-key.js';

test('accepts relative keys of ordinary segments', () => {
  for (const key of [
    'a',
    'r-1/data.csv',
    'r-1/ds/x y (1).txt',
    '.env',
    'a..b',
    '…/名前',
    'a/b/c/d',
  ])
    assert.doesNotThrow(() => assertValidObjectKey(key), key);
});

test('refuses keys that could escape the root or are not canonical', () => {
  const hostile = [
    '',
    '/abs',
    '..',
    '../x',
    'a/../../x',
    'a/..',
    '.',
    './a',
    'a/./b',
    'a//b',
    'a/',
    'a\\b',
    '..\\x',
    'a\0b',
    'a\nb',
    'a\u007fb',
    `a/${'é'.repeat(128)}`,
  ];
  for (const key of hostile)
    assert.throws(
      () => assertValidObjectKey(key),
      { code: 'VALIDATION_FAILED' },
      JSON.stringify(key),
    );
});

test('prefixes may be empty or end in a slash, and are otherwise keys', () => {
  for (const prefix of ['', 'r-1/', 'r-1', 'r-1/da', 'a/b/'])
    assert.doesNotThrow(() => assertValidPrefix(prefix), prefix);
  for (const prefix of ['/', '../', 'a//', 'a/../', '/abs/', 'a\\'])
    assert.throws(() => assertValidPrefix(prefix), { code: 'VALIDATION_FAILED' }, prefix);
});
