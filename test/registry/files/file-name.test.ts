import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkContentType, checkFileName } from '../../../src/registry/files/file-name.js';
import { fileStorageKey } from '../../../src/registry/files/storage-key.js';

test('accepts names of 1 to 255 UTF-8 bytes with any printable character but / and \\', () => {
  for (const name of [
    'a',
    'données 2026.csv',
    '🧪'.repeat(63),
    '€'.repeat(85),
    "'; DROP TABLE files; --",
    '..hidden',
    '.env',
    'a:b*?<>|"',
    '%00',
    'x'.repeat(255),
  ]) {
    assert.equal(checkFileName(name, 'filename'), name);
  }
});

test('refuses empty, long, dotted, slashed and control-character names, naming the field', () => {
  const cases: [string, RegExp][] = [
    ['', /must not be empty/],
    ['x'.repeat(256), /256 bytes/],
    ['€'.repeat(85) + 'x', /256 bytes/],
    ['.', /`\.` or `\.\.`/],
    ['..', /`\.` or `\.\.`/],
    ['a/b', /contains `\/` at position 1/],
    ['a\\b', /contains `\\` at position 1/],
    ['nul\u0000', /U\+0000/],
    ['line\nbreak', /U\+000A/],
    ['del\u007f', /U\+007F/],
    ['c1\u0085', /U\+0085/],
    ['lone \ud800', /U\+D800/],
    [' leading', /whitespace/],
    ['trailing ', /whitespace/],
    ['trailing\u00a0', /whitespace/],
  ];
  for (const [name, message] of cases) {
    assert.throws(
      () => checkFileName(name, 'filename'),
      (error: Error & { code?: string }) =>
        error.code === 'VALIDATION_FAILED' &&
        message.test(error.message) &&
        /`filename`/.test(error.message),
      JSON.stringify(name),
    );
  }
});

test('defaults the content type to application/octet-stream and refuses what is not a media type', () => {
  assert.equal(checkContentType(undefined, 'content_type'), 'application/octet-stream');
  assert.equal(checkContentType('  ', 'content_type'), 'application/octet-stream');
  assert.equal(
    checkContentType('text/csv; charset=utf-8', 'content_type'),
    'text/csv; charset=utf-8',
  );
  for (const bad of ['csv', 'text/csv\r\nX-Evil: 1', 'text/é', `text/${'x'.repeat(300)}`]) {
    assert.throws(() => checkContentType(bad, 'content_type'), /`content_type`/, bad);
  }
});

test('keys each version apart, under the record storage id, the dataset id for datasets, and the name last', () => {
  const now = new Date('2026-11-26T10:00:00.000Z');
  const owner = { storageId: 'climate-20261125T093000123Z-a1b2c3', datasetId: null };
  assert.equal(
    fileStorageKey(owner, 'runs.csv', now, '0badc0de'),
    'climate-20261125T093000123Z-a1b2c3/20261126T100000000Z-0badc0de/runs.csv',
  );
  assert.equal(
    fileStorageKey({ ...owner, datasetId: '7' }, 'runs.csv', now, '0badc0de'),
    'climate-20261125T093000123Z-a1b2c3/datasets/7/20261126T100000000Z-0badc0de/runs.csv',
  );
  assert.notEqual(fileStorageKey(owner, 'x', now), fileStorageKey(owner, 'x', now));
});
