import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveStorageId } from '../../../src/registry/records/storage-id.js';

const at = new Date('2026-11-25T09:30:00.123Z');

test('derives the storage id from a slug of the name, the creation time and a suffix', () => {
  const cases: [string, string][] = [
    ['Climate runs', 'climate-runs'],
    ['Café Data!', 'cafe-data'],
    ["Robert'); DROP TABLE records;--", 'robert-drop-table-records'],
    ['../../etc/passwd', 'etc-passwd'],
    ['数据', 'record'],
    ['🧪', 'record'],
    ['---', 'record'],
    ['snake_case_name', 'snake-case-name'],
    ['x'.repeat(100), 'x'.repeat(48)],
    [`${'a'.repeat(47)} b`, 'a'.repeat(47)],
  ];
  for (const [name, slug] of cases) {
    assert.equal(deriveStorageId(name, at, 'a1b2c3'), `${slug}-20261125T093000123Z-a1b2c3`, name);
  }
});

test('is safe in URLs and S3 keys and at most 80 characters', () => {
  for (const name of ['x'.repeat(200), 'Ünïcødé ⁄ slashes / and \\ back', '%2F%2e%2e', ' ']) {
    const id = deriveStorageId(name, at);
    assert.match(id, /^[a-z0-9-]+-\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    assert.equal(encodeURIComponent(id), id);
    assert.ok(id.length <= 80, id);
  }
});

test('draws a different suffix each time, so equal slugs in one millisecond differ', () => {
  const ids = new Set(Array.from({ length: 50 }, () => deriveStorageId('same', at)));
  assert.ok(ids.size > 45);
});

test('keeps drawing well-formed, different suffixes past the first thousands', () => {
  const suffixes = Array.from({ length: 10_000 }, () => deriveStorageId('same', at).slice(-6));
  assert.ok(suffixes.every((suffix) => /^[0-9a-f]{6}$/.test(suffix)));
  // 10,000 draws from 16.7 million values: a handful of repeats at most, not thousands.
  assert.ok(new Set(suffixes).size > 9_900);
});
