// `import-alembic SOURCE`: converts an Alembic project's revisions and prints one line per
// revision, then a summary. Exit 0 when all converted, 1 when some need a person, 2 on bad usage.

import { basename, relative } from 'node:path';
import { isDialectName } from '../../db/dialect-name.js';
import { DataRegistryError, importAlembic, type ImportedRevision } from '../../migrate/index.js';
import { settingsFrom, type MigrationFlags } from '../migration-context.js';
import { printResult } from '../output.js';

interface ImportAlembicFlags extends MigrationFlags {
  readonly dialect?: string;
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

export async function importAlembicCommand(
  source: string,
  flags: ImportAlembicFlags,
): Promise<void> {
  const settings = settingsFrom(flags);
  if (settings.versionsDirSource === 'default') {
    // The default is the registry's own revisions: never mix another project's into them.
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      'Say where the converted revisions go: --dir <folder> (or DATA_REGISTRY_MIGRATIONS_DIR).',
    );
  }
  if (flags.dialect !== undefined && !isDialectName(flags.dialect)) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `--dialect ${flags.dialect} is not one of sqlite, postgresql, mysql.`,
    );
  }
  const result = await importAlembic({
    source,
    outDir: settings.versionsDir,
    dialect: flags.dialect,
    dryRun: flags.dryRun,
    force: flags.force,
  });
  for (const revision of sortedByFile(result.revisions)) printResult(reportLine(revision));
  const count = (outcome: ImportedRevision['outcome']) =>
    result.revisions.filter((r) => r.outcome === outcome).length;
  const converted = count('converted');
  const marked = count('not-converted');
  const unreadable = count('unreadable');
  const where = result.isDryRun ? 'dry run: nothing written' : `written to ${result.outDir}`;
  const already = (['unchanged', 'kept', 'replaced'] as const).flatMap((existing) => {
    const n = result.revisions.filter((r) => r.outcome !== 'unreadable' && r.existing === existing);
    return n.length === 0 ? [] : [`${n.length} ${existing}`];
  });
  printResult(
    `${result.revisions.length} revisions: ${converted} converted, ${marked} marked not converted, ${unreadable} not imported${already.length === 0 ? '' : `; already in the folder: ${already.join(', ')}`} (${where}).`,
  );
  if (marked + unreadable > 0) {
    throw new DataRegistryError(
      'IMPORT_INCOMPLETE',
      `${marked + unreadable} of ${result.revisions.length} revisions need a person (listed above); ` +
        'finish each marked .mjs file by hand and delete its `notConverted` export.',
      { marked, unreadable },
    );
  }
}

/** In the order of the files written (their Create Date), unreadable files last. */
function sortedByFile(revisions: readonly ImportedRevision[]): ImportedRevision[] {
  const key = (r: ImportedRevision) =>
    r.outcome === 'unreadable' ? `~${r.alembicFile}` : basename(r.file);
  return [...revisions].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function reportLine(revision: ImportedRevision): string {
  const shown = (path: string) => {
    const near = relative(process.cwd(), path);
    return near === '' || near.startsWith('..') ? path : near;
  };
  if (revision.outcome === 'unreadable') {
    return `not imported   ${shown(revision.alembicFile)} line ${revision.line}: ${revision.reason}`;
  }
  const existing = {
    unchanged: ' (unchanged: not written again)',
    kept: ' (kept: finished by hand)',
    replaced: ' (replaced, --force)',
  }[revision.existing ?? 'unchanged'];
  const after = revision.existing === undefined ? '' : existing;
  const head =
    revision.outcome === 'converted'
      ? `converted      ${revision.id}  ${shown(revision.alembicFile)} -> ${shown(revision.file)}${after}`
      : `NOT CONVERTED  ${revision.id}  ${shown(revision.alembicFile)} line ${revision.line}: ${revision.reason} -> ${shown(revision.file)} (marked)${after}`;
  return [head, ...revision.notes.map((note) => `               note: ${note}`)].join('\n');
}
