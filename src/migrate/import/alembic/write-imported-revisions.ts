// Where the converted revisions meet the versions folder they go into. A revision id already in
// the folder is `unchanged` (the same file with the same text: not written again), `kept` (the
// importer would mark it not converted, and the folder holds it without the mark: a person
// finished it), or a clash, refused unless `force` (then `replaced`). Revisions of the folder the
// import does not name are left alone. Writes every file or none.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { DataRegistryError, isDataRegistryError } from '../../../shared/errors.js';
import { loadVersionsFolder } from '../../files/versions-folder.js';

export type ExistingOutcome = 'unchanged' | 'kept' | 'replaced';

/** One file the import would write. */
export interface PlannedFile {
  readonly id: string;
  readonly path: string;
  readonly text: string;
  readonly isMarked: boolean;
}

/** What is in the folder for the ids the import writes, and what happens to each. */
export type ExistingRevisions = ReadonlyMap<
  string,
  { readonly outcome: ExistingOutcome; readonly path: string }
>;

/**
 * Compares the planned files with the folder's revisions.
 *
 * @throws DataRegistryError FILE_EXISTS naming every clash (its id and both files), unless
 *   `force`; nothing is written then.
 */
export async function compareWithFolder(
  outDir: string,
  planned: readonly PlannedFile[],
  force: boolean,
): Promise<ExistingRevisions> {
  const existing = await revisionsIn(outDir);
  const result = new Map<string, { outcome: ExistingOutcome; path: string }>();
  const clashes: string[] = [];
  for (const file of planned) {
    const there = existing.get(file.id);
    if (there === undefined) continue;
    if (there.path === file.path && readFileSync(there.path, 'utf8') === file.text) {
      result.set(file.id, { outcome: 'unchanged', path: there.path });
    } else if (file.isMarked && there.notConverted === undefined) {
      result.set(file.id, { outcome: 'kept', path: there.path });
    } else {
      result.set(file.id, { outcome: 'replaced', path: there.path });
      clashes.push(`${file.id} (${basename(there.path)})`);
    }
  }
  if (clashes.length > 0 && !force) {
    throw new DataRegistryError(
      'FILE_EXISTS',
      `${outDir} already holds ${clashes.length === 1 ? 'a revision' : `${clashes.length} revisions`} of this import with other content: ${clashes.join(', ')}; nothing was written. Give --force to replace ${clashes.length === 1 ? 'it' : 'them'} with the new conversion (edits made there are lost), or another --dir.`,
      { revisions: clashes },
    );
  }
  return result;
}

async function revisionsIn(
  outDir: string,
): Promise<Map<string, { path: string; notConverted: string | undefined }>> {
  try {
    const sources = await loadVersionsFolder(outDir);
    return new Map(
      sources.map(({ revision }) => [
        revision.id,
        { path: revision.path, notConverted: revision.notConverted },
      ]),
    );
  } catch (error) {
    if (isDataRegistryError(error) && error.code === 'VERSIONS_FOLDER_NOT_FOUND') return new Map();
    throw error;
  }
}

/**
 * Writes every file or none (an existing file stops it before anything is written); the
 * `replaced` files are overwritten, or removed once every write has succeeded when the new file
 * has another name.
 */
export async function writeAll(
  outDir: string,
  writes: readonly { path: string; text: string }[],
  replaced: ReadonlySet<string>,
): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  try {
    for (const { path, text } of writes) {
      writeFileSync(path, text, { flag: replaced.has(path) ? 'w' : 'wx' });
      written.push(path);
    }
  } catch (error) {
    for (const path of written) if (!replaced.has(path)) rmSync(path, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const path = (error as NodeJS.ErrnoException).path ?? '';
      throw new DataRegistryError(
        'FILE_EXISTS',
        `${path} already exists; nothing was written. Remove it from ${outDir} or give another --dir.`,
        { path, file: basename(path) },
      );
    }
    throw error;
  }
  const kept = new Set(writes.map((w) => w.path));
  for (const path of replaced) if (!kept.has(path)) rmSync(path, { force: true });
}
