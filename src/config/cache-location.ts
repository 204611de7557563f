// Where the CLI keeps its caches: the user's cache folder ($XDG_CACHE_HOME, else ~/.cache), as
// other command-line tools do, so that nothing is written into the project's own folders.

import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The file caching the parsed revision headers of the versions folder `versionsDir`. */
export function revisionHeaderCacheFile(
  versionsDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const cacheHome = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const folder = createHash('sha256').update(resolve(versionsDir)).digest('hex').slice(0, 16);
  return join(cacheHome, 'dataregistry', `revision-headers-${folder}.json`);
}
