// Parsing of option values shared by several commands.

import { DataRegistryError } from '../shared/errors.js';

/** `--lock-timeout` in seconds (decimals allowed) → milliseconds; undefined waits forever. */
export function parseLockTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `--lock-timeout ${value}: give a number of seconds, e.g. --lock-timeout 60`,
    );
  }
  return seconds * 1000;
}
