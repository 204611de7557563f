// `stamp <target>`: records a revision in the version table without running anything.

import { describeHolder, stamp } from '../../migrate/index.js';
import {
  loadProjectFrom,
  tableLockPolicy,
  versionTableFrom,
  withDatabase,
  type MigrationFlags,
} from '../migration-context.js';
import { printInfo, printResult } from '../output.js';
import { parseLockTimeout } from '../parse-options.js';

export async function stampCommand(
  target: string,
  flags: MigrationFlags & { readonly lockTimeout?: string },
): Promise<void> {
  const project = await loadProjectFrom(flags);
  const lockTimeoutMs = parseLockTimeout(flags.lockTimeout);
  const result = await withDatabase(flags, { command: 'stamp' }, (handle, settings) =>
    stamp(handle, project, target, {
      versionTable: versionTableFrom(flags),
      lockTimeoutMs,
      tableLock: tableLockPolicy(settings),
      onLockWait: (holder) =>
        printInfo(`Waiting for the migration lock: ${describeHolder(holder)}`),
    }),
  );
  const show = (ids: readonly string[]) => (ids.length > 0 ? ids.join(', ') : 'base');
  printResult(`Stamped ${show(result.headsBefore)} -> ${show(result.headsAfter)}`);
}
