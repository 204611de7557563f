// The header cache of the versions folder: used while a file's stat data are unchanged, ignored
// once the file changes, never trusted for a file changed moments ago, and harmless when broken.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVersionsFolder } from '../../../src/migrate/files/versions-folder.js';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'header-cache-'));
  roots.push(root);
  const dir = join(root, 'versions');
  const file = join(root, 'cache', 'headers.json');
  const options = (settledAfterMs = 0) => ({ headerCache: { file, salt: 'test', settledAfterMs } });
  return { dir, file, options };
}

function revisionText(id: string, parents: string, upgrade: string): string {
  return [
    `-- revision ${id}`,
    '--',
    `-- Revision ID: ${id}`,
    `-- Revises: ${parents}`,
    '',
    '-- migrate:upgrade',
    upgrade,
    '',
    '-- migrate:downgrade',
    'DROP TABLE t;',
    '',
  ].join('\n');
}

/** The folder with one revision file; returns the file's path. */
function writeFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, '2024_01_01_0001-aa0001_first.sql');
  writeFileSync(path, revisionText('aa0001', '', 'CREATE TABLE t (id integer);'));
  return path;
}

test('a second load takes headers and checksums from the cache, and runs the current text', async () => {
  const { dir, file, options } = workspace();
  writeFolder(dir);

  const first = await loadVersionsFolder(dir, options());
  assert.equal(first[0]?.revision.id, 'aa0001');
  const stored = JSON.parse(readFileSync(file, 'utf8')) as {
    entries: Record<string, unknown[]>;
  };
  const entry = stored.entries['2024_01_01_0001-aa0001_first.sql'];
  assert.ok(entry, 'the file is cached');
  assert.equal(entry[6], first[0]?.checksum);

  // Proof that the cache is read: a message written only into the cache comes back.
  entry[3] = 'from the cache';
  writeFileSync(file, JSON.stringify(stored));
  const second = await loadVersionsFolder(dir, options());
  assert.equal(second[0]?.revision.message, 'from the cache');
  assert.equal(second[0]?.checksum, first[0]?.checksum);
  const body = await second[0].loadBody('upgrade', 'sqlite');
  assert.deepEqual(body, { kind: 'sql', statements: ['CREATE TABLE t (id integer)'] });
});

test('an edited file is parsed again, whatever the cache says', async () => {
  const { dir, options } = workspace();
  const path = writeFolder(dir);
  await loadVersionsFolder(dir, options());

  writeFileSync(path, revisionText('aa0001', 'ff0000', 'CREATE TABLE t (id bigint);'));
  const [edited] = await loadVersionsFolder(dir, options());
  assert.deepEqual(edited?.revision.parents, ['ff0000']);
  assert.deepEqual(await edited.loadBody('upgrade', 'sqlite'), {
    kind: 'sql',
    statements: ['CREATE TABLE t (id bigint)'],
  });
});

test('a file changed moments ago is not cached', async () => {
  const { dir, file, options } = workspace();
  writeFolder(dir);
  await loadVersionsFolder(dir, options(60_000));
  assert.throws(() => readFileSync(file, 'utf8'), { code: 'ENOENT' });
});

test('a file that changes between loading and running is refused, not run from stale headers', async () => {
  const { dir, options } = workspace();
  const path = writeFolder(dir);
  await loadVersionsFolder(dir, options());
  const [loaded] = await loadVersionsFolder(dir, options());
  writeFileSync(path, revisionText('aa0001', '', 'CREATE TABLE t (id text);'));
  await assert.rejects(loaded!.loadBody('upgrade', 'sqlite'), {
    code: 'MALFORMED_REVISION_FILE',
    message: /changed while this command was running; run it again/,
  });
});

test('a corrupt, foreign or unwritable cache only costs speed', async () => {
  const { dir, file, options } = workspace();
  const path = writeFolder(dir);
  mkdirSync(join(file, '..'), { recursive: true });

  writeFileSync(file, '{ not json');
  assert.equal((await loadVersionsFolder(dir, options()))[0]?.revision.id, 'aa0001');
  assert.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')), 'rewritten whole');

  const foreign = { headerCache: { file, salt: 'another version', settledAfterMs: 0 } };
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, unknown[]> };
  for (const entry of Object.values(stored.entries)) entry[1] = 'zz9999';
  writeFileSync(file, JSON.stringify(stored));
  assert.equal((await loadVersionsFolder(dir, foreign))[0]?.revision.id, 'aa0001');

  const blocked = { headerCache: { file: join(path, 'cannot', 'be', 'here.json'), salt: 't' } };
  assert.equal((await loadVersionsFolder(dir, blocked))[0]?.revision.id, 'aa0001');
});
