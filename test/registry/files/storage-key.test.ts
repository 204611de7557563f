// File storage keys: fileStorageKey's layout, and storageIdOfFileKey reading it back (which
// decides what purge may treat as the registry's own object).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileStorageKey, storageIdOfFileKey } from '../../../src/registry/files/storage-key.js';

const storageId = 'climate-20261125T093000123Z-a1b2c3';
const now = new Date('2026-11-26T10:00:00.000Z');

test('reads the storage id back from the keys fileStorageKey writes, for records and datasets', () => {
  const recordKey = fileStorageKey({ storageId, datasetId: null }, 'runs.csv', now, '0badc0de');
  assert.equal(recordKey, `${storageId}/20261126T100000000Z-0badc0de/runs.csv`);
  assert.equal(storageIdOfFileKey(recordKey), storageId);
  const datasetKey = fileStorageKey({ storageId, datasetId: '42' }, 'a b.nc', now);
  assert.equal(storageIdOfFileKey(datasetKey), storageId);
});

test('takes no other key for one of the registry’s', () => {
  for (const key of [
    'reports/q3.pdf',
    'runs.csv',
    `${storageId}/runs.csv`,
    `${storageId}/20261126T100000000Z-0badc0de`,
    `${storageId}/20261126T100000000Z-0badc0de/sub/runs.csv`,
    `${storageId}/2026-11-26/runs.csv`,
    `${storageId}/20261126T100000000Z-0BADC0DE/runs.csv`,
    `${storageId}/datasets/42/runs.csv`,
    `${storageId}/datasets/x/20261126T100000000Z-0badc0de/runs.csv`,
    `${storageId}/datasets/042/20261126T100000000Z-0badc0de/runs.csv`,
    `${storageId}/other/42/20261126T100000000Z-0badc0de/runs.csv`,
    `/20261126T100000000Z-0badc0de/runs.csv`,
  ]) {
    assert.equal(storageIdOfFileKey(key), undefined, key);
  }
});
