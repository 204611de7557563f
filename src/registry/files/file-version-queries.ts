// The Kysely queries that write file versions: a new version superseding the live one, deleting
// one version or the file, restoring a deleted file; and the kept versions of a file. Each write
// runs under the owner's lock (lockOwner). No decisions here beyond the numbering.
//
// The states of a row (see the `add file versions` revision): live — `deleted_at` null, at most
// one per name, the file's latest version; kept — superseded by a newer version, `superseded_at`
// and `deleted_at` set; deleted — `deleted_at` set, `superseded_at` null (purge removes it).

import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { RegistryDatabase } from '../database.js';
import { idFromRow, idParameter } from '../shared/entity-id.js';
import { fileColumns, lockOwner, resolvedVersion, toStoredFile } from './file-queries.js';
import type { FileOwner, StoredFile } from './stored-file.js';

type Db = Kysely<RegistryDatabase>;
type Trx = Transaction<RegistryDatabase>;
type Owner = Pick<FileOwner, 'recordId' | 'datasetId'>;

export interface NewFileRow {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
  readonly storageKey: string;
  readonly now: string;
  /** The API key's name; null when /api needs no key. */
  readonly createdBy: string | null;
}

/** The live version of a name as a write sees it, under the owner's lock. */
export interface LiveVersion {
  readonly id: string;
  readonly version: number;
  readonly sha256: string;
  readonly storageKey: string;
}

/** The rows of one file name, live or not; the record id first, as files_name_version_idx. */
function ofName(owner: Owner, name: string) {
  return (eb: ExpressionBuilder<RegistryDatabase, 'files'>) =>
    eb.and([
      eb('files.record_id', '=', idParameter(owner.recordId)),
      owner.datasetId === null
        ? eb('files.dataset_id', 'is', null)
        : eb('files.dataset_id', '=', idParameter(owner.datasetId)),
      eb('files.name', '=', name),
    ]);
}

/**
 * The live version of a name. Read in a write's transaction under the owner's lock, it decides;
 * read outside one, it is only a first look (an upload session refusing early what its complete
 * would refuse).
 */
export async function selectLiveVersion(db: Db | Trx, owner: Owner, name: string) {
  const row = await db
    .selectFrom('files')
    .select(['files.id', 'files.sha256', 'files.storage_key', resolvedVersion])
    .where(ofName(owner, name))
    .where('files.deleted_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: idFromRow(row.id),
    version: Number(row.resolved_version),
    sha256: row.sha256,
    storageKey: row.storage_key,
  } satisfies LiveVersion;
}

/** The highest version number the name has had among the rows still present; 0 for none. */
async function selectHighestVersion(trx: Trx, owner: Owner, name: string): Promise<number> {
  const row = await trx
    .selectFrom('files')
    .select((eb) => eb.fn.max('files.version').as('highest'))
    .where(ofName(owner, name))
    .executeTakeFirst();
  return Number(row?.highest ?? 0);
}

/**
 * Inside a transaction: writes `row` as the name's new live version, numbered one past every
 * version the name still has, and keeps the version it supersedes (its object stays).
 * `checkLive` runs on the live version under the lock before anything is written, and may throw
 * to write nothing (a conditional upload).
 */
export async function insertVersion(
  trx: Trx,
  owner: Owner,
  row: NewFileRow,
  checkLive: (live: LiveVersion | undefined) => void = () => undefined,
): Promise<{ readonly version: number; readonly superseded: LiveVersion | undefined }> {
  await lockOwner(trx, owner);
  const live = await selectLiveVersion(trx, owner, row.name);
  checkLive(live);
  const version =
    Math.max(await selectHighestVersion(trx, owner, row.name), live?.version ?? 0) + 1;
  if (live !== undefined) {
    await trx
      .updateTable('files')
      .set({ deleted_at: row.now, superseded_at: row.now, version: live.version })
      .where('id', '=', idParameter(live.id))
      .where('deleted_at', 'is', null)
      .execute();
  }
  await trx
    .insertInto('files')
    .values({
      record_id: idParameter(owner.recordId),
      dataset_id: owner.datasetId === null ? null : idParameter(owner.datasetId),
      name: row.name,
      size: row.size,
      sha256: row.sha256,
      content_type: row.contentType,
      storage_key: row.storageKey,
      created_at: row.now,
      created_by: row.createdBy,
      deleted_at: null,
      version,
      superseded_at: null,
    })
    .execute();
  return { version, superseded: live };
}

/**
 * Deletes the file: its live version is marked deleted, and with no live version its kept ones
 * are hidden too. Resolves to false when the name has no live version.
 */
export async function markFileDeleted(
  trx: Trx,
  owner: Owner,
  name: string,
  now: string,
): Promise<boolean> {
  await lockOwner(trx, owner);
  const live = await selectLiveVersion(trx, owner, name);
  if (live === undefined) return false;
  await markLiveDeleted(trx, live, now);
  return true;
}

async function markLiveDeleted(trx: Trx, live: LiveVersion, now: string): Promise<void> {
  await trx
    .updateTable('files')
    .set({ deleted_at: now, version: live.version })
    .where('id', '=', idParameter(live.id))
    .where('deleted_at', 'is', null)
    .execute();
}

export type VersionDeletion = 'deleted' | 'file-not-found' | 'version-not-found';

/**
 * Deletes one version of a live file. The live version's deletion makes the newest kept version
 * live again (none left: the file is deleted, and can be restored).
 */
export async function markVersionDeleted(
  trx: Trx,
  owner: Owner,
  name: string,
  version: number,
  now: string,
): Promise<VersionDeletion> {
  await lockOwner(trx, owner);
  const live = await selectLiveVersion(trx, owner, name);
  if (live === undefined) return 'file-not-found';
  if (live.version === version) {
    // The live row first: the live-name index allows one live row per name after each statement.
    await markLiveDeleted(trx, live, now);
    const previous = await trx
      .selectFrom('files')
      .select('files.id')
      .where(ofName(owner, name))
      .where('files.superseded_at', 'is not', null)
      .orderBy('files.version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (previous !== undefined) {
      await trx
        .updateTable('files')
        .set({ deleted_at: null, superseded_at: null })
        .where('id', '=', previous.id)
        .execute();
    }
    return 'deleted';
  }
  const result = await trx
    .updateTable('files')
    .set({ deleted_at: now, superseded_at: null })
    .where(ofName(owner, name))
    .where('files.superseded_at', 'is not', null)
    .where('files.version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? 'deleted' : 'version-not-found';
}

export type Restoration =
  | { readonly kind: 'restored'; readonly file: StoredFile }
  | { readonly kind: 'live' }
  | { readonly kind: 'nothing-to-restore' };

/**
 * Makes the name's most recently deleted version live again, with the kept versions it had; only
 * when the name has no live version. A version whose object is gone (`isStored` says no: an
 * older server removed the object of what it deleted or replaced) cannot come back; the newest
 * kept version that still has its object does instead, so that nothing still stored is out of
 * reach.
 */
export async function restoreLatestDeleted(
  trx: Trx,
  owner: Owner,
  name: string,
  isStored: (storageKey: string) => Promise<boolean>,
): Promise<Restoration> {
  await lockOwner(trx, owner);
  if ((await selectLiveVersion(trx, owner, name)) !== undefined) return { kind: 'live' };
  const latestDeleted = await trx
    .selectFrom('files')
    .select([...fileColumns, resolvedVersion])
    .where(ofName(owner, name))
    .where('files.deleted_at', 'is not', null)
    .where('files.superseded_at', 'is', null)
    .orderBy('files.deleted_at', 'desc')
    .orderBy('files.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const candidates =
    latestDeleted !== undefined && (await isStored(latestDeleted.storage_key))
      ? [latestDeleted]
      : await trx
          .selectFrom('files')
          .select([...fileColumns, resolvedVersion])
          .where(ofName(owner, name))
          .where('files.superseded_at', 'is not', null)
          .orderBy('files.version', 'desc')
          .execute();
  for (const candidate of candidates) {
    if (candidate !== latestDeleted && !(await isStored(candidate.storage_key))) continue;
    const file = toStoredFile(candidate);
    await trx
      .updateTable('files')
      .set({ deleted_at: null, superseded_at: null, version: file.version })
      .where('id', '=', candidate.id)
      .execute();
    return { kind: 'restored', file };
  }
  return { kind: 'nothing-to-restore' };
}

/** One kept (superseded, not deleted) version of the name. */
export async function selectKeptVersion(
  db: Db,
  owner: Owner,
  name: string,
  version: number,
): Promise<StoredFile | undefined> {
  const row = await db
    .selectFrom('files')
    .select([...fileColumns, resolvedVersion])
    .where(ofName(owner, name))
    .where('files.superseded_at', 'is not', null)
    .where('files.version', '=', version)
    .executeTakeFirst();
  return row && toStoredFile(row);
}

/** The name's kept versions below `belowVersion`, newest first. */
export async function selectKeptVersions(
  db: Db,
  owner: Owner,
  name: string,
  belowVersion: number,
  limit: number,
): Promise<(StoredFile & { readonly id: string })[]> {
  const rows = await db
    .selectFrom('files')
    .select([...fileColumns, resolvedVersion])
    .where(ofName(owner, name))
    .where('files.superseded_at', 'is not', null)
    .where('files.version', '<', belowVersion)
    .orderBy('files.version', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const file = toStoredFile(row);
    return { ...file, id: String(file.version) };
  });
}
