import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintRevisions } from '../../../src/migrate/check/index.js';

test("the registry's own revisions pass check on every dialect", async () => {
  const result = await lintRevisions({ folder: 'migrations/versions' });
  assert.ok(result.revisions > 0);
  assert.deepEqual(result.findings, []);
});
