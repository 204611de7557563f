import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintRules } from '../../../src/migrate/check/index.js';

const otherRules = [
  'multiple-heads',
  'missing-parent',
  'duplicate-revision',
  'revision-cycle',
  'unparsable-revision',
  'missing-downgrade',
  'not-analysed',
  'allow-without-reason',
  'unused-allow',
];

test('docs/check.md documents every rule id, with its why and recipe', () => {
  const docs = readFileSync('docs/check.md', 'utf8');
  for (const id of [...lintRules.map((r) => r.id), ...otherRules]) {
    assert.ok(docs.includes(`\`${id}\``), `${id} in docs/check.md`);
  }
  for (const rule of lintRules) assert.ok(docs.includes(rule.why), `why of ${rule.id}`);
});

test('rule ids are unique and each rule names its why and recipe', () => {
  const ids = lintRules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of lintRules) assert.ok(rule.why.length > 20 && rule.fix.length > 20, rule.id);
});
