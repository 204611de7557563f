// The object store on a local folder: one file per key, written to a temporary file beside it,
// fsynced and renamed into place. Knows nothing of records; never writes outside its root folder.

import { randomBytes } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import {
  mkdir,
  open,
  readdir,
  rename,
  rmdir,
  stat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';
import { ByteMeter } from './byte-meter.js';
import { assertValidObjectKey, assertValidPrefix } from './object-key.js';
import { checkRange, objectNotFound, watchForError } from './object-errors.js';
import type {
  GetOptions,
  ListOptions,
  ObjectInfo,
  ObjectStore,
  PutOptions,
  StoredObject,
  SweepOptions,
  TemporaryFileInfo,
} from './object-store.js';

/** A file `#walkInOrder` found: an object, or a temporary file of an upload (`key` is its path). */
interface WalkedFile {
  readonly key: string;
  readonly isTemporary: boolean;
  readonly size: number;
  readonly lastModified: Date;
}

/** `.<name>.<16 hex>.tmp`: what `put` writes before the rename, and what `list` skips. */
const tempFilePattern = /^\..+\.[0-9a-f]{16}\.tmp$/;
// Keeps `.<name>.<random>.tmp` within the 255 bytes a file name may have.
const maxTempNameBytes = 200;
// Reads of `get`: 1 MiB chunks take far fewer read(2)/write(2) calls and stream callbacks than
// the default 64 KiB; downloads run at the speed of a bare node:http file server reading the same
// way (docs/benchmarks.md, "Notes behind the code: HTTP and storage").
const readChunkBytes = 2 ** 20;

export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local';
  readonly location: string;
  readonly #root: string;

  /** `folder` must exist (see `openLocalObjectStore`). */
  constructor(folder: string) {
    this.location = folder;
    this.#root = resolve(folder);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    let path: string;
    try {
      path = this.#pathOf(key);
    } catch (error) {
      body.destroy();
      throw error;
    }
    const folder = path.slice(0, path.lastIndexOf(sep));
    const name = path.slice(folder.length + 1);
    const tempPath = join(folder, `.${truncateBytes(name)}.${randomBytes(8).toString('hex')}.tmp`);
    const bodyFailure = watchForError(body);
    let handle: FileHandle | undefined;
    try {
      handle = await createTempFile(folder, tempPath);
      const meter = new ByteMeter(options.maxBytes);
      // The handle stays open for the fsync; without emitClose, pipeline settles on 'finish'.
      const file = handle.createWriteStream({ autoClose: false, emitClose: false });
      try {
        await pipeline(body, meter, file, options.signal ? { signal: options.signal } : {});
        await handle.sync();
      } finally {
        // Releases the stream's hold on the handle: FileHandle.close() would wait for it.
        file.destroy();
      }
      await handle.close();
      handle = undefined;
      await rename(tempPath, path);
      await syncFolder(folder);
      return meter.result();
    } catch (error) {
      body.destroy();
      await handle?.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
      // The folders made for this key (e.g. a new version's) would otherwise stay behind, empty.
      await this.#removeEmptyFolders(path);
      if (options.signal?.aborted) throw options.signal.reason;
      // The body's own failure (a client that disconnected…) is not the folder's fault.
      if (bodyFailure.error !== undefined && error === bodyFailure.error) throw error;
      throw toStoreError(error, 'write', key);
    }
  }

  async get(key: string, options: GetOptions = {}): Promise<{ body: Readable; size: number }> {
    const path = this.#pathOf(key);
    let handle: FileHandle;
    try {
      // Open first, then stat the open file: a concurrent replace renames a new file into place,
      // and this reader keeps the one it opened.
      handle = await open(path, 'r');
    } catch (error) {
      throw toStoreError(error, 'read', key);
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw objectNotFound(key);
      const { start, end } = checkRange(key, stats.size, options.range);
      const size = end - start + 1;
      // An empty file has no byte range to give createReadStream (end would be -1).
      const body = createReadStream('', {
        fd: handle,
        autoClose: true,
        highWaterMark: readChunkBytes,
        ...(size > 0 ? { start, end } : {}),
      });
      return { body, size };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw toStoreError(error, 'read', key);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const path = this.#pathOf(key);
    let stats: Stats;
    try {
      stats = await stat(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw toStoreError(error, 'read', key);
    }
    return stats.isFile() ? { key, size: stats.size, lastModified: stats.mtime } : undefined;
  }

  async delete(key: string): Promise<void> {
    const path = this.#pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      if (isMissing(error)) return;
      throw toStoreError(error, 'delete', key);
    }
    await this.#removeEmptyFolders(path);
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    assertValidPrefix(prefix);
    // Walk only the deepest folder the prefix names in full: 'r1/da' → r1/, keys starting 'r1/da'.
    const folderKey = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const startAfter =
      options.startAfter === undefined ? undefined : Buffer.from(options.startAfter);
    for await (const file of this.#walkInOrder(folderKey, prefix, startAfter)) {
      if (!file.isTemporary)
        yield { key: file.key, size: file.size, lastModified: file.lastModified };
    }
  }

  async *sweepTemporaryFiles(
    modifiedBefore: Date,
    options: SweepOptions = {},
  ): AsyncIterable<TemporaryFileInfo> {
    const startAfter =
      options.startAfter === undefined ? undefined : Buffer.from(options.startAfter);
    const upTo = options.upTo === undefined ? undefined : Buffer.from(options.upTo);
    for await (const file of this.#walkInOrder('', '', startAfter)) {
      if (upTo !== undefined && Buffer.compare(Buffer.from(file.key), upTo) > 0) return;
      if (!file.isTemporary || file.lastModified >= modifiedBefore) continue;
      const path = join(this.#root, ...file.key.split('/'));
      if (options.isDryRun !== true) {
        try {
          await unlink(path);
        } catch (error) {
          if (isMissing(error)) continue; // its upload finished (renamed) or failed meanwhile
          throw toStoreError(error, 'delete', file.key);
        }
        await this.#removeEmptyFolders(path);
      }
      yield { path: file.key, size: file.size, lastModified: file.lastModified };
    }
  }

  /**
   * The files under `folderKey` whose path starts with `prefix` and sorts after `startAfter`,
   * temporary ones included, in S3's key order: a folder `a` sorts as `a/` (after `a-b` and
   * `a.b`, before `ab`). Folders that sort wholly before `startAfter` are never opened.
   */
  async *#walkInOrder(
    folderKey: string,
    prefix: string,
    startAfter: Buffer | undefined,
  ): AsyncIterable<WalkedFile> {
    const folder = join(this.#root, ...folderKey.split('/'));
    let entries: { name: string; isFolder: boolean; sortKey: Buffer }[];
    try {
      const dirents = await readdir(folder, { withFileTypes: true });
      entries = await Promise.all(
        dirents.map(async (dirent) => {
          // A link to a folder is walked as the folder (stat follows links).
          const isFolder =
            dirent.isDirectory() ||
            (dirent.isSymbolicLink() &&
              ((await stat(join(folder, dirent.name)).catch(() => undefined))?.isDirectory() ??
                false));
          const sortKey = Buffer.from(`${folderKey}${dirent.name}${isFolder ? '/' : ''}`);
          return { name: dirent.name, isFolder, sortKey };
        }),
      );
    } catch (error) {
      if (isMissing(error)) return;
      throw toStoreError(error, 'list', prefix);
    }
    entries.sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
    for (const { name, isFolder, sortKey } of entries) {
      const key = folderKey + name;
      if (isFolder) {
        const subfolderKey = `${key}/`;
        if (!subfolderKey.startsWith(prefix) && !prefix.startsWith(subfolderKey)) continue;
        if (startAfter === undefined || Buffer.compare(sortKey, startAfter) > 0) {
          yield* this.#walkInOrder(subfolderKey, prefix, undefined); // all of it sorts after
        } else if (startAfter.subarray(0, sortKey.length).equals(sortKey)) {
          yield* this.#walkInOrder(subfolderKey, prefix, startAfter);
        } // else all of it sorts before startAfter
        continue;
      }
      if (!key.startsWith(prefix)) continue;
      if (startAfter !== undefined && Buffer.compare(sortKey, startAfter) <= 0) continue;
      let stats: Stats;
      try {
        stats = await stat(join(folder, name));
      } catch (error) {
        if (isMissing(error)) continue; // deleted while listing
        throw toStoreError(error, 'list', prefix);
      }
      if (!stats.isFile()) continue;
      yield {
        key,
        isTemporary: tempFilePattern.test(name),
        size: stats.size,
        lastModified: stats.mtime,
      };
    }
  }

  #pathOf(key: string): string {
    assertValidObjectKey(key);
    const path = join(this.#root, ...key.split('/'));
    // assertValidObjectKey already refuses '..' and absolute keys; this is belt and braces.
    if (!path.startsWith(this.#root + sep)) throw objectNotFound(key);
    return path;
  }

  /** After a delete: removes the folders the key leaves empty, up to (not including) the root. */
  async #removeEmptyFolders(path: string): Promise<void> {
    let folder = path.slice(0, path.lastIndexOf(sep));
    while (folder.length > this.#root.length && folder.startsWith(this.#root + sep)) {
      try {
        await rmdir(folder);
      } catch {
        return; // not empty (ENOTEMPTY) or already gone: either way, stop here
      }
      folder = folder.slice(0, folder.lastIndexOf(sep));
    }
  }
}

/** Creates the root folder if needed and returns the store; STORAGE_UNAVAILABLE if it cannot. */
export async function openLocalObjectStore(folder: string): Promise<LocalObjectStore> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw toStoreError(error, 'create', folder);
  }
  return new LocalObjectStore(folder);
}

async function createTempFile(folder: string, tempPath: string): Promise<FileHandle> {
  // A delete of the folder's last file removes the folder; retry when that races with this put.
  for (let attempt = 1; ; attempt += 1) {
    await mkdir(folder, { recursive: true });
    try {
      return await open(tempPath, 'wx');
    } catch (error) {
      if (!isMissing(error) || attempt === 3) throw error;
    }
  }
}

/** Makes the rename durable: fsync the folder that holds the new name (POSIX; a no-op elsewhere). */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function truncateBytes(name: string): string {
  const bytes = Buffer.from(name);
  if (bytes.length <= maxTempNameBytes) return name;
  return bytes
    .subarray(0, maxTempNameBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function toStoreError(error: unknown, action: string, key: string): unknown {
  if (isDataRegistryError(error)) return error;
  if (isMissing(error) && action === 'read') return objectNotFound(key);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // A folder cannot also be a file: 'a' and 'a/b' cannot both be keys of a local store.
  if (code === 'EISDIR' || (action === 'write' && (code === 'ENOTDIR' || code === 'EEXIST')))
    return new DataRegistryError(
      'VALIDATION_FAILED',
      `Object key ${JSON.stringify(key)} conflicts with another key of the local store: one ` +
        `of its folders is an object, or it is the folder of other objects.`,
      { key },
      { cause: error },
    );
  // Only system errors (with a syscall) are the folder's; ERR_STREAM_PREMATURE_CLOSE and the
  // like come from the body.
  if (code === undefined || (error as NodeJS.ErrnoException).syscall === undefined) return error;
  return new DataRegistryError(
    'STORAGE_UNAVAILABLE',
    `The storage folder failed to ${action} ${JSON.stringify(key)} (${code}); check that it ` +
      `exists, is writable and has free space.`,
    { key, errno: code },
    { cause: error },
  );
}
