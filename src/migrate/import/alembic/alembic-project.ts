// Where an Alembic project keeps its revisions: alembic.ini's `script_location` and
// `version_locations` (with `%(here)s` and `version_path_separator` as Alembic reads them), or
// a versions folder given directly. Reads files; runs nothing.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DataRegistryError } from '../../../shared/errors.js';

export interface AlembicVersionsLocation {
  /** The alembic.ini read, if the source was a project. */
  readonly iniFile: string | undefined;
  /** Folders searched for revision files, in the order Alembic lists them. */
  readonly versionDirs: readonly string[];
  readonly isRecursive: boolean;
}

/**
 * The versions folders of `source`: a folder holding alembic.ini, an alembic.ini file, or a folder
 * of revision files.
 *
 * @throws DataRegistryError INVALID_ARGUMENT when `source` is none of these, or its ini names a
 *   `package:resource` location or no script_location.
 */
export function locateAlembicVersions(source: string): AlembicVersionsLocation {
  const path = resolve(source);
  if (!existsSync(path)) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `${path} does not exist; give the Alembic project folder (holding alembic.ini) or its versions folder.`,
      { path },
    );
  }
  const iniFile = statSync(path).isFile()
    ? path
    : existsSync(join(path, 'alembic.ini'))
      ? join(path, 'alembic.ini')
      : undefined;
  if (iniFile === undefined) {
    if (!statSync(path).isDirectory() || listPythonFiles(path, false).length === 0) {
      throw new DataRegistryError(
        'INVALID_ARGUMENT',
        `${path} holds neither alembic.ini nor revision files (*.py); give the Alembic project folder or its versions folder.`,
        { path },
      );
    }
    return { iniFile: undefined, versionDirs: [path], isRecursive: false };
  }
  const settings = readIniSection(readFileSync(iniFile, 'utf8'), 'alembic');
  const here = dirname(iniFile);
  const expand = (value: string) => value.replace(/%\(here\)s/g, here).replace(/%%/g, '%');
  const scriptLocation = settings.get('script_location');
  if (scriptLocation === undefined || scriptLocation.trim() === '') {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `${iniFile} has no script_location in its [alembic] section.`,
      { path: iniFile },
    );
  }
  const location = expand(scriptLocation.trim());
  if (/^[\w.]+:[\w./]+$/.test(location) && !/^[A-Za-z]:[\\/]/.test(location)) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `${iniFile}: script_location \`${location}\` names a Python package resource; give its folder as SOURCE instead.`,
      { path: iniFile },
    );
  }
  const scriptDir = resolve(here, location);
  const locations = settings.get('version_locations');
  const versionDirs =
    locations === undefined || locations.trim() === ''
      ? [join(scriptDir, 'versions')]
      : splitLocations(expand(locations), settings.get('version_path_separator')).map((dir) =>
          resolve(here, dir),
        );
  const recursive = (settings.get('recursive_version_locations') ?? '').trim().toLowerCase();
  return { iniFile, versionDirs, isRecursive: recursive === 'true' || recursive === '1' };
}

function splitLocations(value: string, separator: string | undefined): string[] {
  const kind = (separator ?? '').trim();
  const parts =
    kind === 'os' || kind === 'colon'
      ? value.split(kind === 'os' && process.platform === 'win32' ? ';' : ':')
      : kind === 'semicolon'
        ? value.split(';')
        : kind === 'space'
          ? value.split(' ')
          : kind === 'newline'
            ? value.split('\n')
            : // No separator set: Alembic's legacy splitting on spaces and commas.
              value.split(/[\s,]+/);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** The keys of one `[section]` of an ini file, continuation lines joined with newlines. */
export function readIniSection(text: string, section: string): Map<string, string> {
  const values = new Map<string, string>();
  let inSection = false;
  let lastKey: string | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (/^\s*[#;]/.test(raw)) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header !== null) {
      inSection = header[1]?.trim() === section;
      lastKey = undefined;
      continue;
    }
    if (!inSection) continue;
    if (/^\s+\S/.test(raw) && lastKey !== undefined) {
      values.set(lastKey, `${values.get(lastKey) ?? ''}\n${raw.trim()}`);
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (pair === null) continue;
    lastKey = (pair[1] ?? '').trim().toLowerCase();
    values.set(lastKey, (pair[2] ?? '').trim());
  }
  return values;
}

/** The revision files of a versions folder: `*.py` but `__init__.py`, optionally in subfolders. */
export function listPythonFiles(dir: string, isRecursive: boolean): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === '__pycache__') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory() && isRecursive) files.push(...listPythonFiles(path, true));
    else if (entry.isFile() && entry.name.endsWith('.py') && entry.name !== '__init__.py')
      files.push(path);
  }
  return files.sort();
}

export function displayPath(path: string, from: string): string {
  const shown = relative(from, path);
  return shown.startsWith('..') || shown === '' ? path : shown;
}
