// The state file of a direct upload, `.<name>.dataregistry-upload.json` next to the source file:
// which upload session holds the file's parts, so that running the same `upload` again resumes
// it. Written when the session opens, removed when it completes. The parts themselves are never
// recorded here: the server (S3) is asked which it holds.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SourceFile } from './source-file.js';

export interface UploadState {
  readonly version: 1;
  /** The registry's URL, record and file name the session belongs to. */
  readonly server: string;
  readonly record_id: string;
  readonly filename: string;
  /** The source file as it was when the session opened: a change means starting over. */
  readonly size: number;
  readonly modified_ms: number;
  readonly upload_id: string;
  readonly created_at: string;
}

export function uploadStatePathOf(sourcePath: string): string {
  return join(dirname(sourcePath), `.${basename(sourcePath)}.dataregistry-upload.json`);
}

/** The state file's content, or undefined when there is none (or it cannot be understood). */
export async function readUploadState(sourcePath: string): Promise<UploadState | undefined> {
  let text: string;
  try {
    text = await readFile(uploadStatePathOf(sourcePath), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as Partial<UploadState>;
    return state.version === 1 && typeof state.upload_id === 'string'
      ? (state as UploadState)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a saved session is for this server, record and unchanged file. */
export function isStateFor(
  state: UploadState,
  server: string,
  recordId: string,
  source: SourceFile,
): boolean {
  return (
    state.server === server &&
    state.record_id === recordId &&
    state.filename === source.name &&
    state.size === source.size &&
    state.modified_ms === source.modifiedMs
  );
}

/** Writes the state file; false (not an error) when the folder is not writable. */
export async function writeUploadState(sourcePath: string, state: UploadState): Promise<boolean> {
  try {
    await writeFile(uploadStatePathOf(sourcePath), `${JSON.stringify(state, null, 2)}\n`);
    return true;
  } catch {
    return false;
  }
}

export async function removeUploadState(sourcePath: string): Promise<void> {
  await rm(uploadStatePathOf(sourcePath), { force: true });
}
