// Builds versions folders for tests: literal revision files in a fresh temporary folder.

import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRevision {
  readonly id: string;
  readonly parents?: readonly string[];
  readonly message?: string;
  readonly upgrade: string;
  readonly downgrade?: string;
  /** Extra sections or header lines appended verbatim (e.g. per-dialect sections). */
  readonly extra?: string;
  readonly noTransaction?: boolean;
}

export function makeTempDir(prefix = 'dataregistry-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A maker of temporary folders that are all removed when the calling test file finishes; call it
 * once at the top of the file.
 */
export function tempDirsForThisFile(prefix?: string): () => string {
  const made: string[] = [];
  after(() => made.splice(0).forEach(removeDir));
  return () => {
    const dir = makeTempDir(prefix);
    made.push(dir);
    return dir;
  };
}

/** Writes one revision file; files are named so that they sort in the order written. */
export function writeRevision(dir: string, revision: TestRevision, index: number): string {
  const message = revision.message ?? `revision ${revision.id}`;
  const name = `2024_01_01_${String(index).padStart(4, '0')}-${revision.id}_${message.replace(/\W+/g, '_')}.sql`;
  const text = [
    `-- ${message}`,
    '--',
    `-- Revision ID: ${revision.id}`,
    `-- Revises: ${(revision.parents ?? []).join(', ')}`,
    '-- Create Date: 2024-01-01 00:00:00',
    ...(revision.noTransaction ? ['-- migrate:no-transaction'] : []),
    '',
    '-- migrate:upgrade',
    revision.upgrade,
    '',
    '-- migrate:downgrade',
    revision.downgrade ?? '',
    '',
    revision.extra ?? '',
  ].join('\n');
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A linear chain: each revision creates table t_<id> and its downgrade drops it. */
export function writeTableChain(dir: string, ids: readonly string[]): void {
  ids.forEach((id, index) =>
    writeRevision(
      dir,
      {
        id,
        parents: index === 0 ? [] : [ids[index - 1]!],
        message: `create t_${id}`,
        upgrade: `CREATE TABLE t_${id} (id integer primary key, v varchar(50));\nCREATE INDEX ix_${id} ON t_${id}(v);`,
        downgrade: `DROP TABLE t_${id};`,
      },
      index,
    ),
  );
}
