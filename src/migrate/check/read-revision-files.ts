// Reads every revision file of a versions folder for `check`: SQL files through the revision file
// format (so every unreadable file becomes a finding, not just the first), JavaScript revisions
// through the versions folder loader. Knows nothing of rules.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDataRegistryError } from '../../shared/errors.js';
import { parseSqlRevisionFile, type ParsedSqlRevisionFile } from '../files/revision-file-format.js';
import { loadVersionsFolder } from '../files/versions-folder.js';
import type { Revision } from '../graph/revision.js';
import type { Finding } from './finding.js';

/** One revision file that could be read: its graph node and, for SQL, its sections. */
export interface RevisionFile {
  readonly revision: Revision;
  /** Undefined for a JavaScript revision. */
  readonly parsed: ParsedSqlRevisionFile | undefined;
  /** The file's lines (LF or CRLF split), for suppression comments and header lines. */
  readonly lines: readonly string[];
}

const revisionFileName = /\.(sql|js|mjs)$/;

/**
 * Reads `folder` in file-name order, as the versions folder loader does.
 * @throws DataRegistryError VERSIONS_FOLDER_NOT_FOUND when the folder does not exist.
 */
export async function readRevisionFiles(
  folder: string,
): Promise<{ files: RevisionFile[]; findings: Finding[] }> {
  // The loader throws the user-facing VERSIONS_FOLDER_NOT_FOUND, so that message lives in one place.
  if (!existsSync(folder)) await loadVersionsFolder(folder);
  const dir = resolve(folder);
  const names = listNames(folder);
  const files: RevisionFile[] = [];
  const findings: Finding[] = [];
  for (const name of names.filter((n) => n.endsWith('.sql'))) {
    const path = join(dir, name);
    const text = readFileSync(path, 'utf8');
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    try {
      const parsed = parseSqlRevisionFile(text, path);
      const { id, parents, message, createDate, isTransactional } = parsed;
      const revision: Revision = {
        id,
        parents,
        message,
        createDate,
        path,
        isTransactional,
        kind: 'sql',
      };
      files.push({ revision, parsed, lines });
    } catch (error) {
      if (!isDataRegistryError(error)) throw error;
      findings.push(unparsable(path, Number(error.details.line ?? 1), error.message));
    }
  }
  if (names.some((n) => !n.endsWith('.sql'))) await readJsRevisions(folder, files, findings);
  files.sort((a, b) => (a.revision.path < b.revision.path ? -1 : 1));
  return { files, findings };
}

function listNames(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && revisionFileName.test(e.name) && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/** JavaScript revisions come from the loader, which stops at the first unreadable file. */
async function readJsRevisions(folder: string, files: RevisionFile[], findings: Finding[]) {
  try {
    for (const source of await loadVersionsFolder(folder)) {
      if (source.revision.kind === 'js') {
        files.push({ revision: source.revision, parsed: undefined, lines: [] });
      }
    }
  } catch (error) {
    if (!isDataRegistryError(error)) throw error;
    const path = typeof error.details.path === 'string' ? error.details.path : folder;
    if (!findings.some((f) => f.file === path)) {
      findings.push(unparsable(path, Number(error.details.line ?? 1), error.message));
    }
  }
}

function unparsable(path: string, line: number, message: string): Finding {
  return {
    rule: 'unparsable-revision',
    severity: 'error',
    revision: undefined,
    file: path,
    line,
    dialect: undefined,
    statement: '',
    message,
    fix: 'Correct the file so that `dataregistry history` can read it.',
  };
}
