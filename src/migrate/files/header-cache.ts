// A cache of parsed SQL revision headers and checksums, kept between runs in one JSON file, so
// that a command on a long chain stats every file instead of reading and parsing every file.
// An entry is trusted only while the file's size, mtime, ctime and inode are unchanged (as git's
// index trusts a file's stat data); files changed moments ago are not cached at all, because a
// second change within the file system's timestamp granularity would go unseen.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

/** What is kept of one parsed SQL revision file. */
export interface CachedHeader {
  readonly id: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly createDate: string | undefined;
  readonly isTransactional: boolean;
  /** The reason of a `-- migrate:not-converted` mark, if the file has one. */
  readonly notConverted?: string | undefined;
  readonly checksum: string;
}

export interface HeaderCacheOptions {
  /** The cache file. Its folder is created when the cache is first written. */
  readonly file: string;
  /** Entries written under another salt are ignored: pass the version of the parsing code. */
  readonly salt: string;
  /**
   * Files modified less than this long ago (ms) are not cached. Default 2000: coarser than the
   * timestamps of the file systems in common use.
   */
  readonly settledAfterMs?: number;
}

export interface HeaderCache {
  /** The entry for `name` if its stat data still match. */
  get(name: string, stats: Stats): CachedHeader | undefined;
  /** Records `name`; `stats` must have been taken before the file was read. */
  set(name: string, stats: Stats, header: CachedHeader): void;
  /** Writes the cache if anything changed, keeping only `names`. Never throws. */
  save(names: readonly string[]): void;
}

// 2: entries carry the not-converted mark.
const format = 2;

type StoredEntry = [
  key: string,
  id: string,
  parents: string[],
  message: string,
  createDate: string | null,
  isTransactional: boolean,
  checksum: string,
  notConverted: string | null,
];

interface StoredCache {
  readonly format: number;
  readonly salt: string;
  readonly dir: string;
  readonly entries: Record<string, StoredEntry>;
}

/**
 * Opens the cache of the versions folder `dir`. A missing, unreadable or foreign cache file is an
 * empty cache; the cache only ever saves work, it never decides anything.
 */
export function openHeaderCache(dir: string, options: HeaderCacheOptions): HeaderCache {
  const settledAfterMs = options.settledAfterMs ?? 2000;
  const entries = readEntries(dir, options);
  let changed = false;
  return {
    get(name, stats) {
      const entry = entries.get(name);
      if (entry === undefined || entry[0] !== statKey(stats)) return undefined;
      const [, id, parents, message, createDate, isTransactional, checksum, notConverted] = entry;
      return {
        id,
        parents,
        message,
        createDate: createDate ?? undefined,
        isTransactional,
        checksum,
        notConverted: notConverted ?? undefined,
      };
    },
    set(name, stats, header) {
      // Date.now() is whole milliseconds and stat times are not: a file written within the
      // current millisecond looks written in the future, so 0 must mean "cache everything".
      const newest = Math.max(stats.mtimeMs, stats.ctimeMs);
      if (settledAfterMs > 0 && Date.now() - newest < settledAfterMs) {
        if (entries.delete(name)) changed = true;
        return;
      }
      entries.set(name, [
        statKey(stats),
        header.id,
        [...header.parents],
        header.message,
        header.createDate ?? null,
        header.isTransactional,
        header.checksum,
        header.notConverted ?? null,
      ]);
      changed = true;
    },
    save(names) {
      const kept = new Set(names);
      for (const name of entries.keys()) {
        if (!kept.has(name)) {
          entries.delete(name);
          changed = true;
        }
      }
      if (!changed) return;
      const stored: StoredCache = {
        format,
        salt: options.salt,
        dir,
        entries: Object.fromEntries(entries),
      };
      writeAtomically(options.file, JSON.stringify(stored));
      changed = false;
    },
  };
}

function readEntries(dir: string, options: HeaderCacheOptions): Map<string, StoredEntry> {
  try {
    const stored = JSON.parse(readFileSync(options.file, 'utf8')) as Partial<StoredCache>;
    if (stored.format !== format || stored.salt !== options.salt || stored.dir !== dir) {
      return new Map();
    }
    return new Map(
      Object.entries(stored.entries ?? {}).filter(([, entry]) => isStoredEntry(entry)),
    );
  } catch {
    return new Map();
  }
}

function isStoredEntry(entry: unknown): entry is StoredEntry {
  return (
    Array.isArray(entry) &&
    entry.length === 8 &&
    typeof entry[0] === 'string' &&
    typeof entry[1] === 'string' &&
    Array.isArray(entry[2]) &&
    entry[2].every((parent) => typeof parent === 'string') &&
    typeof entry[3] === 'string' &&
    (entry[4] === null || typeof entry[4] === 'string') &&
    typeof entry[5] === 'boolean' &&
    typeof entry[6] === 'string' &&
    (entry[7] === null || typeof entry[7] === 'string')
  );
}

function statKey(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
}

/** Another process may write the same cache at once: each writes its own file and renames it. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch {
    // A read-only or full disk costs the next run its speed, nothing else.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Left behind in the cache folder, where it harms nothing.
    }
  }
}
