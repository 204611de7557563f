// Read-only commands: current, history, heads, branches, show.

import {
  branches,
  current,
  currentHeads,
  heads,
  history,
  show,
  type Project,
} from '../../migrate/index.js';
import { formatHistoryLine, formatRevisionBlock, formatShortLine } from '../format-revision.js';
import {
  loadProjectFrom,
  withDatabase,
  versionTableFrom,
  type MigrationFlags,
} from '../migration-context.js';
import { printInfo, printResult, printWarning } from '../output.js';

interface VerboseFlags extends MigrationFlags {
  readonly verbose?: boolean;
}

export async function currentCommand(flags: VerboseFlags): Promise<void> {
  const project = await loadProjectFrom(flags);
  const result = await withDatabase(flags, { mode: 'read-only', command: 'current' }, (handle) =>
    current(handle, project, { versionTable: versionTableFrom(flags) }),
  );
  result.warnings.forEach(printWarning);
  if (result.heads.length === 0) {
    printInfo('No revision applied (base).');
    return;
  }
  for (const { revision, isHead } of result.heads) {
    const entry = { revision, isHead, isBranchPoint: false, isMergePoint: false, isCurrent: false };
    printResult(flags.verbose ? formatRevisionBlock(entry, []) : formatShortLine(entry));
  }
}

export async function historyCommand(
  flags: VerboseFlags & { readonly rev?: string; readonly indicateCurrent?: boolean },
): Promise<void> {
  const project = await loadProjectFrom(flags);
  const needsDatabase = flags.indicateCurrent === true || (flags.rev?.includes('current') ?? false);
  const currentHeads = needsDatabase ? await readCurrentHeads(flags, project) : [];
  const entries = history(project, flags.rev, currentHeads);
  const lines = entries.map((entry) =>
    flags.verbose ? `${formatRevisionBlock(entry, [])}\n` : formatHistoryLine(entry),
  );
  if (lines.length > 0) printResult(lines.join('\n'));
}

async function readCurrentHeads(flags: MigrationFlags, project: Project): Promise<string[]> {
  return withDatabase(flags, { mode: 'read-only', command: 'history' }, (handle) =>
    currentHeads(handle, project, { versionTable: versionTableFrom(flags) }),
  );
}

export async function headsCommand(flags: VerboseFlags): Promise<void> {
  const project = await loadProjectFrom(flags);
  for (const entry of heads(project)) {
    printResult(flags.verbose ? formatRevisionBlock(entry, []) : formatShortLine(entry));
  }
}

export async function branchesCommand(flags: VerboseFlags): Promise<void> {
  const project = await loadProjectFrom(flags);
  for (const { branchPoint, children } of branches(project)) {
    printResult(`${branchPoint.id} (branchpoint), ${branchPoint.message}`);
    for (const child of children) printResult(`    -> ${child.id}, ${child.message}`);
  }
}

export async function showCommand(ref: string, flags: MigrationFlags): Promise<void> {
  const project = await loadProjectFrom(flags);
  const entry = show(project, ref);
  printResult(formatRevisionBlock(entry, entry.children));
}
