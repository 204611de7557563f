import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintRevisions } from '../../../src/migrate/check/index.js';
import {
  makeTempDir,
  removeDir,
  writeRevision,
  type TestRevision,
} from '../../support/revision-folder.js';

const create = (table: string) => `CREATE TABLE ${table} (id integer PRIMARY KEY);`;

async function graphFindings(
  revisions: readonly TestRevision[],
  extraFiles: Record<string, string> = {},
) {
  const dir = makeTempDir('dataregistry-check-graph-');
  try {
    revisions.forEach((revision, index) =>
      writeRevision(dir, { downgrade: '-- irreversible: a test fixture', ...revision }, index),
    );
    for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(dir, name), text);
    return (await lintRevisions({ folder: dir, dialects: ['sqlite'] })).findings;
  } finally {
    removeDir(dir);
  }
}

describe('graph findings', () => {
  test('a linear chain with downgrades has no finding', async () => {
    const findings = await graphFindings([
      { id: 'a1', upgrade: create('a'), downgrade: 'DROP TABLE a;' },
      { id: 'b2', parents: ['a1'], upgrade: create('b'), downgrade: 'DROP TABLE b;' },
    ]);
    assert.deepEqual(findings, []);
  });

  test('two heads are an error naming both, with merge heads as the fix', async () => {
    const findings = await graphFindings([
      { id: 'a1', upgrade: create('a') },
      { id: 'b2', parents: ['a1'], upgrade: create('b') },
      { id: 'c3', parents: ['a1'], upgrade: create('c') },
    ]);
    const heads = findings.filter((f) => f.rule === 'multiple-heads');
    assert.equal(heads.length, 1);
    assert.match(heads[0]?.message ?? '', /b2 .*c3 /);
    assert.match(heads[0]?.fix ?? '', /dataregistry merge heads/);
    assert.equal(heads[0]?.severity, 'error');
  });

  test('a missing parent and a duplicate id are both reported in one run', async () => {
    const findings = await graphFindings([
      { id: 'a1', upgrade: create('a') },
      { id: 'b2', parents: ['zz'], upgrade: create('b') },
      { id: 'a1', parents: [], upgrade: create('c') },
    ]);
    const rules = findings.map((f) => f.rule);
    assert.ok(rules.includes('missing-parent'), rules.join());
    assert.ok(rules.includes('duplicate-revision'), rules.join());
    const missing = findings.find((f) => f.rule === 'missing-parent');
    assert.equal(missing?.line, 4, 'the line of "Revises:"');
  });

  test('a cycle is reported', async () => {
    const findings = await graphFindings([
      { id: 'a1', upgrade: create('a') },
      { id: 'b2', parents: ['a1', 'c3'], upgrade: create('b') },
      { id: 'c3', parents: ['b2'], upgrade: create('c') },
    ]);
    assert.ok(
      findings.some((f) => f.rule === 'revision-cycle'),
      JSON.stringify(findings),
    );
  });

  test('every unparsable file is reported, not just the first', async () => {
    const findings = await graphFindings([{ id: 'a1', upgrade: create('a') }], {
      'x1.sql': '-- no header at all\n\n-- migrate:upgrade\nSELECT 1;\n',
      'x2.sql': 'SELECT 1;\n',
    });
    const files = findings.filter((f) => f.rule === 'unparsable-revision').map((f) => f.file);
    assert.equal(files.length, 2, JSON.stringify(findings));
  });

  test('a revision without a downgrade section, or an empty one that says nothing, is an error', async () => {
    const findings = await graphFindings([
      { id: 'a1', upgrade: create('a'), downgrade: '' },
      {
        id: 'b2',
        parents: ['a1'],
        upgrade: create('b'),
        downgrade: '-- irreversible: b is shared with another service',
      },
    ]);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.revision]),
      [['missing-downgrade', 'a1']],
    );
  });
});
