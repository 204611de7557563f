// The versions folder: reads every revision file into a RevisionSource, and writes new ones.
// Statements are split only when a revision actually runs, so listing 1000 revisions stays cheap.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/dialect-name.js';
import { DataRegistryError, isDataRegistryError } from '../../shared/errors.js';
import type { Revision } from '../graph/revision.js';
import { checksumRevisionText } from './checksum.js';
import { openHeaderCache, type HeaderCache, type HeaderCacheOptions } from './header-cache.js';
import {
  parseSqlRevisionFile,
  renderSqlRevisionFile,
  selectSection,
  type ParsedSqlRevisionFile,
} from './revision-file-format.js';
import { renderJsRevisionHead } from './js-revision-head.js';
import { formatCreateDate, newRevisionId, revisionFileName } from './revision-file-name.js';
import type { Direction, RevisionBody, RevisionSource } from './revision-source.js';
import { splitSqlStatements } from './split-sql-statements.js';

const revisionFile = /\.(sql|js|mjs)$/;

/**
 * Loads every `.sql`, `.js` and `.mjs` file of `dir` (other files, such as a README, are ignored),
 * in file-name order. JavaScript revisions are imported; SQL files are parsed but their statements
 * are split only by `loadBody`.
 *
 * @throws DataRegistryError VERSIONS_FOLDER_NOT_FOUND when `dir` does not exist,
 *   MALFORMED_REVISION_FILE when a file cannot be parsed (naming the file and line).
 */
export async function loadVersionsFolder(
  dir: string,
  options: LoadVersionsFolderOptions = {},
): Promise<RevisionSource[]> {
  const names = listRevisionFiles(dir);
  // Resolved once: path.resolve per file (it asks for the working directory each time) cost
  // more than reading a cached header.
  const absoluteDir = resolve(dir);
  const cache =
    options.headerCache === undefined
      ? undefined
      : openHeaderCache(absoluteDir, options.headerCache);
  const sources: RevisionSource[] = [];
  for (const name of names) {
    const path = absoluteDir.endsWith(sep) ? absoluteDir + name : absoluteDir + sep + name;
    if (name.endsWith('.sql')) {
      sources.push(
        cache === undefined
          ? sqlRevisionSource(path, readFileSync(path, 'utf8'))
          : cachedSqlRevisionSource(path, name, cache),
      );
    } else {
      sources.push(await jsRevisionSource(path, readFileSync(path, 'utf8')));
    }
  }
  cache?.save(names);
  return sources;
}

export interface LoadVersionsFolderOptions {
  /**
   * Keep the parsed headers and checksums of SQL files in this cache between runs (see
   * header-cache.ts); a file whose stat data are unchanged is then not read until it runs.
   */
  readonly headerCache?: HeaderCacheOptions | undefined;
}

/** The file's source from the cache when its stat data match, else parsed (and cached). */
function cachedSqlRevisionSource(path: string, name: string, cache: HeaderCache): RevisionSource {
  // Stat before reading: a change after this stat then gives the next run a different key.
  const stats = statSync(path);
  const cached = cache.get(name, stats);
  if (cached === undefined) {
    const source = sqlRevisionSource(path, readFileSync(path, 'utf8'));
    cache.set(name, stats, { ...source.revision, checksum: source.checksum });
    return source;
  }
  return {
    revision: {
      id: cached.id,
      parents: cached.parents,
      message: cached.message,
      createDate: cached.createDate,
      path,
      isTransactional: cached.isTransactional,
      notConverted: cached.notConverted,
      kind: 'sql',
    },
    checksum: cached.checksum,
    loadBody: (direction, dialect) => {
      const text = readFileSync(path, 'utf8');
      if (checksumRevisionText(text) !== cached.checksum) {
        return Promise.reject(
          new DataRegistryError(
            'MALFORMED_REVISION_FILE',
            `${path} changed while this command was running; run it again.`,
            { path },
          ),
        );
      }
      return Promise.resolve(sqlBody(parseSqlRevisionFile(text, path), direction, dialect));
    },
  };
}

function listRevisionFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter(
        (entry) => entry.isFile() && revisionFile.test(entry.name) && !entry.name.startsWith('.'),
      )
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DataRegistryError(
        'VERSIONS_FOLDER_NOT_FOUND',
        `The versions folder ${resolve(dir)} does not exist. Point --dir (or DATA_REGISTRY_MIGRATIONS_DIR) at the folder that holds the revision files, or create it with \`dataregistry revision -m "first revision"\`.`,
        { dir: resolve(dir) },
      );
    }
    throw error;
  }
}

function sqlRevisionSource(path: string, text: string): RevisionSource {
  const parsed = parseSqlRevisionFile(text, path);
  let checksum: string | undefined;
  const revision: Revision = {
    id: parsed.id,
    parents: parsed.parents,
    message: parsed.message,
    createDate: parsed.createDate,
    path,
    isTransactional: parsed.isTransactional,
    notConverted: parsed.notConverted,
    kind: 'sql',
  };
  return {
    revision,
    // Hashed on first use: only applied revisions need it (warnings, history rows), so
    // `history` on a long chain does not hash every file.
    get checksum() {
      return (checksum ??= checksumRevisionText(text));
    },
    loadBody: (direction, dialect) => Promise.resolve(sqlBody(parsed, direction, dialect)),
  };
}

function sqlBody(
  parsed: ParsedSqlRevisionFile,
  direction: Direction,
  dialect: DialectName,
): RevisionBody {
  // A file without a downgrade section has nothing to revert, as an Alembic `pass`.
  const section = selectSection(parsed, direction, dialect);
  return { kind: 'sql', statements: section ? splitSqlStatements(section.sql, dialect) : [] };
}

/** The exports a JavaScript revision module must have. */
interface JsRevisionModule {
  readonly revision: string;
  readonly revises: string | readonly string[] | null | undefined;
  readonly message: string;
  readonly transactional?: boolean;
  /** Why the revision must not run yet (import-alembic's mark); refused while exported. */
  readonly notConverted?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly upgrade: (db: Kysely<any>, context: JsRevisionContext) => Promise<void> | void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly downgrade: (db: Kysely<any>, context: JsRevisionContext) => Promise<void> | void;
}

/**
 * The second argument of a JavaScript revision's functions: the dialect it runs on, and Kysely's
 * `sql` tag (the CLI bundles Kysely, so a revision outside this package cannot import it).
 */
interface JsRevisionContext {
  readonly dialect: DialectName;
  readonly sql: typeof sql;
}

async function jsRevisionSource(path: string, text: string): Promise<RevisionSource> {
  const module = await importRevisionModule(path);
  let checksum: string | undefined;
  const revision: Revision = {
    id: module.revision,
    parents:
      module.revises == null
        ? []
        : typeof module.revises === 'string'
          ? [module.revises]
          : [...module.revises],
    message: module.message,
    createDate: /^\/\/ Create Date: (.+)$/m.exec(text)?.[1]?.trim(),
    path,
    isTransactional: module.transactional !== false,
    notConverted: module.notConverted,
    kind: 'js',
  };
  return {
    revision,
    // Hashed on first use: only applied revisions need it (warnings, history rows), so
    // `history` on a long chain does not hash every file.
    get checksum() {
      return (checksum ??= checksumRevisionText(text));
    },
    loadBody: async (direction, dialect) => {
      // Loaded here, not at the top: listing revisions must not load Kysely.
      const { sql } = await import('kysely');
      return {
        kind: 'js',
        run: async (db) => {
          await module[direction](db, { dialect, sql });
        },
      };
    },
  };
}

async function importRevisionModule(path: string): Promise<JsRevisionModule> {
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    if (isDataRegistryError(error)) throw error;
    throw malformedModule(
      path,
      `cannot be imported: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const problems: string[] = [];
  if (typeof loaded.revision !== 'string') problems.push('`revision` (a string)');
  const revises = loaded.revises;
  const isParentList = Array.isArray(revises) && revises.every((p) => typeof p === 'string');
  if (!(revises === null || revises === undefined || typeof revises === 'string' || isParentList)) {
    problems.push('`revises` (a string, an array of strings, or null)');
  }
  if (typeof loaded.message !== 'string') problems.push('`message` (a string)');
  if (typeof loaded.upgrade !== 'function') problems.push('`upgrade(db)` (a function)');
  if (typeof loaded.downgrade !== 'function') problems.push('`downgrade(db)` (a function)');
  const { notConverted } = loaded;
  if (notConverted !== undefined && (typeof notConverted !== 'string' || notConverted === '')) {
    problems.push('`notConverted` as a reason (a non-empty string), or not at all');
  }
  if (problems.length > 0) {
    throw malformedModule(path, `must export ${problems.join(', ')}`);
  }
  return loaded as unknown as JsRevisionModule;
}

function malformedModule(path: string, problem: string): DataRegistryError {
  return new DataRegistryError('MALFORMED_REVISION_FILE', `${path} ${problem}.`, { path });
}

export interface NewRevisionFile {
  readonly message: string;
  readonly parents: readonly string[];
  /** Write a JavaScript module instead of an SQL file. */
  readonly js: boolean;
  readonly now?: Date | undefined;
}

/**
 * Writes a new revision file into `dir` (created if missing) and returns its absolute path and id.
 * Never overwrites: an existing file of the same name gives FILE_EXISTS.
 */
export async function writeRevisionFile(
  dir: string,
  file: NewRevisionFile,
): Promise<{ readonly path: string; readonly id: string }> {
  const now = file.now ?? new Date();
  const id = newRevisionId();
  const header = {
    id,
    parents: file.parents,
    message: file.message,
    createDate: formatCreateDate(now),
  };
  const path = resolve(dir, revisionFileName(now, id, file.message, file.js ? 'mjs' : 'sql'));
  const text = file.js ? renderJsRevisionFile(header) : renderSqlRevisionFile(header);
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(path, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new DataRegistryError('FILE_EXISTS', `${path} already exists; run the command again.`, {
        path,
      });
    }
    throw error;
  }
  return { path, id };
}

function renderJsRevisionFile(header: {
  readonly id: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly createDate: string;
}): string {
  const head = renderJsRevisionHead(header);
  return [
    ...head.comment,
    '',
    ...head.exports,
    '',
    '/** @param {import("kysely").Kysely<any>} db the revision\'s transaction */',
    'export async function upgrade(db) {',
    "  // e.g. await db.updateTable('records').set({ state: 'active' }).where('state', 'is', null).execute();",
    '}',
    '',
    '/** @param {import("kysely").Kysely<any>} db the revision\'s transaction */',
    'export async function downgrade(db) {',
    '  // Revert what upgrade() did.',
    '}',
    '',
  ].join('\n');
}
