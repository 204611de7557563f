// Reads an env file (`--env-file FILE`, dotenv format) with Node's own parser, util.parseEnv.
// Only DATA_REGISTRY_* lines are used; the file never changes process.env.

import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { DataRegistryError } from '../shared/errors.js';

export interface EnvFile {
  readonly path: string;
  /** The DATA_REGISTRY_* variables of the file. */
  readonly variables: Readonly<Record<string, string>>;
  /** Names of other variables, which are ignored (the caller warns about them). */
  readonly ignored: readonly string[];
}

/**
 * Reads and parses `path` (relative to the working folder). Lines are `NAME=value`, optionally
 * quoted, with `#` comments and an optional `export ` prefix, as dotenv and systemd's
 * `EnvironmentFile=` accept them.
 *
 * @throws DataRegistryError INVALID_CONFIG when the file cannot be read.
 */
export function readEnvFile(path: string): EnvFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DataRegistryError(
      'INVALID_CONFIG',
      `--env-file ${path} cannot be read (${reason}); give the path of a dotenv file (NAME=value lines).`,
      { path },
      { cause: error },
    );
  }
  const variables: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined) continue;
    if (name.startsWith('DATA_REGISTRY_')) variables[name] = value;
    else ignored.push(name);
  }
  return { path, variables, ignored };
}
