// `import-alembic`: every revision of an Alembic project converted to our revision files (SQL, or
// a JavaScript revision marked not converted), with a report line per revision. Returns the
// report and writes the files (all or none); prints nothing and never runs Python.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dialectNames, type DialectName } from '../../../db/dialect-name.js';
import { DataRegistryError, isDataRegistryError } from '../../../shared/errors.js';
import { revisionFileName } from '../../files/revision-file-name.js';
import { displayPath, listPythonFiles, locateAlembicVersions } from './alembic-project.js';
import { KnownTables } from './known-tables.js';
import {
  readAlembicRevision,
  UnreadableRevision,
  type AlembicRevision,
} from './read-alembic-revision.js';
import { renderRevisionFile } from './render-revision-file.js';
import { compareWithFolder, writeAll, type ExistingOutcome } from './write-imported-revisions.js';

export interface ImportAlembicOptions {
  /** The Alembic project folder (with alembic.ini), an alembic.ini, or a versions folder. */
  readonly source: string;
  /** Our versions folder to write into (created if missing). */
  readonly outDir: string;
  /** Render for this dialect only (plain sections); all three when undefined. */
  readonly dialect?: DialectName | undefined;
  /** Read and report; write nothing. */
  readonly dryRun?: boolean | undefined;
  /** Replace the folder's revisions of the same ids that differ from this conversion. */
  readonly force?: boolean | undefined;
}

/** What happened to one Alembic revision file. */
export type ImportedRevision =
  | {
      readonly outcome: 'converted' | 'not-converted';
      readonly id: string;
      readonly parents: readonly string[];
      readonly alembicFile: string;
      /** Our file (written unless dry run). */
      readonly file: string;
      /** For not-converted: the Alembic file's line and why. */
      readonly line?: number | undefined;
      readonly reason?: string | undefined;
      /** What the engine keeps only as a header note (branch labels, depends_on). */
      readonly notes: readonly string[];
      /** When the folder held the revision already: what became of its file. */
      readonly existing?: ExistingOutcome | undefined;
    }
  | {
      readonly outcome: 'unreadable';
      readonly alembicFile: string;
      readonly line: number;
      readonly reason: string;
    };

export interface ImportAlembicResult {
  readonly versionDirs: readonly string[];
  readonly outDir: string;
  readonly revisions: readonly ImportedRevision[];
  readonly isDryRun: boolean;
}

/**
 * Converts every revision file of `options.source` into `options.outDir`.
 *
 * @throws DataRegistryError INVALID_ARGUMENT for a source that is no Alembic project or versions
 *   folder, or holds no revision; FILE_EXISTS when the folder holds a revision of the import
 *   with other content and `force` is not given, or a file to be written exists already
 *   (nothing is written then). A revision already there as it would be written is `unchanged`.
 */
export async function importAlembic(options: ImportAlembicOptions): Promise<ImportAlembicResult> {
  const location = locateAlembicVersions(options.source);
  const projectRoot =
    location.iniFile === undefined ? resolve(options.source) : dirname(location.iniFile);
  const files = location.versionDirs.flatMap((dir) => listPythonFiles(dir, location.isRecursive));
  if (files.length === 0) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `No revision files (*.py) in ${location.versionDirs.join(', ')}.`,
      {
        dirs: location.versionDirs,
      },
    );
  }
  const outDir = resolve(options.outDir);
  const dialects = options.dialect === undefined ? dialectNames : [options.dialect];
  const read = files.map(readRevisionFile);
  // Parents first: a SQLite rebuild needs the tables as the revisions before it left them.
  const results = new Map<number, { imported: ImportedRevision; text: string | undefined }>();
  const tablesAfter = new Map<string, KnownTables>();
  for (const index of inParentOrder(read)) {
    const revision = read[index] as AlembicRevision;
    const parents = revision.parents.map((id) => tablesAfter.get(id));
    const before = KnownTables.merge(parents.filter((t) => t !== undefined));
    if (parents.includes(undefined)) before.markUncertain('a parent revision was not imported');
    const shown = displayPath(revision.path, projectRoot);
    const result = importRevision(revision, dialects, shown, before, outDir);
    if (result.tablesAfter !== undefined) tablesAfter.set(revision.id, result.tablesAfter);
    results.set(index, result);
  }
  const planned = [...results.values()].flatMap(({ imported, text }) =>
    imported.outcome === 'unreadable' || text === undefined
      ? []
      : [
          {
            id: imported.id,
            path: imported.file,
            text,
            isMarked: imported.outcome !== 'converted',
          },
        ],
  );
  const existing = await compareWithFolder(outDir, planned, options.force === true);
  const revisions = read.map((r, i): ImportedRevision => {
    if ('outcome' in r) return r;
    const { imported } = results.get(i)!;
    const there = imported.outcome === 'unreadable' ? undefined : existing.get(imported.id);
    if (imported.outcome === 'unreadable' || there === undefined) return imported;
    return there.outcome === 'kept'
      ? {
          ...imported,
          outcome: 'converted',
          file: there.path,
          line: undefined,
          reason: undefined,
          existing: 'kept',
        }
      : { ...imported, existing: there.outcome };
  });
  const writes = planned.filter(
    (file) => existing.get(file.id) === undefined || existing.get(file.id)?.outcome === 'replaced',
  );
  const replaced = new Set(
    [...existing.values()].filter((e) => e.outcome === 'replaced').map((e) => e.path),
  );
  if (!options.dryRun) await writeAll(outDir, writes, replaced);
  return {
    versionDirs: location.versionDirs,
    outDir,
    revisions: withMissingParentNotes(revisions),
    isDryRun: options.dryRun === true,
  };
}

type ReadFile = AlembicRevision | Extract<ImportedRevision, { outcome: 'unreadable' }>;

function readRevisionFile(file: string): ReadFile {
  try {
    return readAlembicRevision(file, readFileSync(file, 'utf8'));
  } catch (error) {
    if (!(error instanceof UnreadableRevision)) throw error;
    return { outcome: 'unreadable', alembicFile: file, line: error.line, reason: error.reason };
  }
}

/** The indexes of the revisions read, each after its parents (a cycle's members last). */
function inParentOrder(read: readonly ReadFile[]): number[] {
  const indexOf = new Map<string, number>();
  read.forEach((r, i) => {
    if (!('outcome' in r)) indexOf.set(r.id, i);
  });
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (index: number) => {
    if (state.has(index)) return;
    state.set(index, 'visiting');
    const revision = read[index] as AlembicRevision;
    for (const parent of revision.parents) {
      const at = indexOf.get(parent);
      if (at !== undefined) visit(at);
    }
    state.set(index, 'done');
    order.push(index);
  };
  for (const index of indexOf.values()) visit(index);
  return order;
}

/** One revision rendered into its file (not yet written), and what the report says of it. */
function importRevision(
  revision: AlembicRevision,
  dialects: readonly DialectName[],
  shown: string,
  tablesBefore: KnownTables,
  outDir: string,
): { imported: ImportedRevision; text: string | undefined; tablesAfter: KnownTables | undefined } {
  const file = revision.path;
  let rendered;
  try {
    rendered = renderRevisionFile(revision, dialects, shown, tablesBefore);
  } catch (error) {
    // An id or parent our header cannot hold (whitespace, a comma): named, not a crash.
    if (!isDataRegistryError(error)) throw error;
    return {
      imported: { outcome: 'unreadable', alembicFile: file, line: 1, reason: error.message },
      text: undefined,
      tablesAfter: undefined,
    };
  }
  const date = revision.createDate === undefined ? undefined : parseCreateDate(revision.createDate);
  const name = revisionFileName(
    date ?? new Date(0),
    revision.id,
    revision.message,
    rendered.extension,
  );
  const notes = [
    ...(revision.branchLabels.length > 0
      ? [
          `branch labels ${revision.branchLabels.join(', ')} kept as a header note (the engine has no branch labels; use the revision id)`,
        ]
      : []),
    ...(revision.dependsOn.length > 0
      ? [
          `depends_on ${revision.dependsOn.join(', ')} kept as a header note (the engine orders by parents only)`,
        ]
      : []),
    ...(date === undefined
      ? ['no Create Date in the docstring: the file name starts 1970_01_01_0000']
      : []),
  ];
  return {
    imported: {
      outcome: rendered.problem === undefined ? 'converted' : 'not-converted',
      id: revision.id,
      parents: revision.parents,
      alembicFile: file,
      file: join(outDir, name),
      line: rendered.problem?.line,
      reason: rendered.problem?.reason,
      notes,
    },
    text: rendered.text,
    tablesAfter: rendered.tablesAfter,
  };
}

/** A parent no imported file declares (its file was unreadable, or it lives elsewhere) is noted. */
function withMissingParentNotes(revisions: readonly ImportedRevision[]): ImportedRevision[] {
  const ids = new Set(revisions.flatMap((r) => (r.outcome === 'unreadable' ? [] : [r.id])));
  return revisions.map((revision) => {
    if (revision.outcome === 'unreadable') return revision;
    const missing = revision.parents.filter((parent) => !ids.has(parent));
    if (missing.length === 0) return revision;
    return {
      ...revision,
      notes: [
        ...revision.notes,
        `parent ${missing.join(', ')} is not among the imported revisions: the folder will not load until a file declares it`,
      ],
    };
  });
}

/** A Create Date read as written (Alembic writes local time without a zone): its wall clock. */
function parseCreateDate(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}
