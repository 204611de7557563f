// The package's version, read from its package.json, and the folder of its built web interface
// (both found from dist/cli/ or dist/bundle/, which sit at the same depth).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** dist/ui, written by `npm run build` (ui/build.js). */
export function uiFolder(): string {
  return fileURLToPath(new URL('../ui', import.meta.url));
}
