import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCatalogue } from '../../src/shared/errors.js';
import { exitCodeByError } from '../../src/cli/exit-codes.js';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
// Table rows as cells, whatever padding a formatter adds: | `CODE` | exit | meaning | what to do |
const rows = docs
  .split('\n')
  .filter((line) => line.startsWith('| `'))
  .map((line) => line.split('|').map((cell) => cell.trim()));
const documentedCodes = rows.map((cells) => /^`([A-Z_]+)`$/.exec(cells[1] ?? '')?.[1]);

test('every error code is documented in docs/errors.md', () => {
  const missing = Object.keys(errorCatalogue).filter((code) => !documentedCodes.includes(code));
  assert.deepEqual(missing, [], `add these codes to docs/errors.md: ${missing.join(', ')}`);
});

test('docs/errors.md documents no code that does not exist', () => {
  const unknown = documentedCodes.filter((code) => !(code! in errorCatalogue));
  assert.deepEqual(unknown, []);
});

test('docs/errors.md states the exit code the CLI uses for each error', () => {
  for (const [code, exitCode] of Object.entries(exitCodeByError)) {
    const row = rows.find((cells) => cells[1] === `\`${code}\``);
    assert.equal(row?.[2], String(exitCode), `${code}: docs should say exit code ${exitCode}`);
  }
});
