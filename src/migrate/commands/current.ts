// `current`, and the database's heads for other callers (`history --indicate-current`, `--sql`,
// `serve`'s schema status). Read-only: never creates a table, so it works without DDL rights.

import type { DatabaseHandle } from '../../db/database-handle.js';
import type { Revision } from '../graph/revision.js';
import type { Project } from '../project.js';
import { readCurrentHeads, versionTableNames } from '../run/version-table.js';
import { changedFileWarnings, readHeadsChecked, type DatabaseOptions } from './database-state.js';

export interface CurrentResult {
  /** Revisions recorded in the version table, each marked when it is a head of the graph. */
  readonly heads: readonly { readonly revision: Revision; readonly isHead: boolean }[];
  readonly warnings: readonly string[];
}

/** `current`: the database's revision(s). Read-only. */
export async function current(
  handle: DatabaseHandle,
  project: Project,
  options: DatabaseOptions = {},
): Promise<CurrentResult> {
  const names = versionTableNames(options.versionTable);
  const { heads } = await readHeadsChecked(handle, project, names);
  const graphHeads = new Set(project.graph.heads().map((r) => r.id));
  return {
    heads: heads.map((id) => ({ revision: project.graph.get(id), isHead: graphHeads.has(id) })),
    warnings: await changedFileWarnings(handle, project, names, heads),
  };
}

/**
 * The database's current heads, sorted; `[]` before the first migration.
 * APPLIED_REVISION_MISSING when the versions folder does not declare one of them.
 */
export async function currentHeads(
  handle: DatabaseHandle,
  project: Project,
  options: DatabaseOptions = {},
): Promise<string[]> {
  const names = versionTableNames(options.versionTable);
  return (await readHeadsChecked(handle, project, names)).heads;
}

/**
 * The heads the version table records, sorted, unchecked against any versions folder (a newer
 * release may have migrated the database); `[]` before the first migration.
 */
export async function readRecordedHeads(
  handle: DatabaseHandle,
  options: DatabaseOptions = {},
): Promise<string[]> {
  const names = versionTableNames(options.versionTable);
  return (await readCurrentHeads(handle.db, handle.dialect, names)) ?? [];
}
