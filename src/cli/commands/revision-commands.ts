// `revision` and `merge`: write new revision files into the versions folder.

import { merge, revision } from '../../migrate/index.js';
import { loadProjectFrom, type MigrationFlags } from '../migration-context.js';
import { printInfo, printResult } from '../output.js';

export async function revisionCommand(
  flags: MigrationFlags & {
    readonly message: string;
    readonly js?: boolean;
    readonly head?: string;
  },
): Promise<void> {
  const project = await loadProjectFrom(flags, { allowMissingFolder: true });
  const written = await revision(project, {
    message: flags.message,
    js: flags.js ?? false,
    head: flags.head,
  });
  printInfo(`Generating ${written.path} ... done`);
  printResult(written.path);
}

export async function mergeCommand(
  refs: readonly string[],
  flags: MigrationFlags & { readonly message: string },
): Promise<void> {
  const project = await loadProjectFrom(flags);
  const written = await merge(project, refs, { message: flags.message });
  printInfo(`Merging ${written.parents.join(', ')} into ${written.id}`);
  printResult(written.path);
}
