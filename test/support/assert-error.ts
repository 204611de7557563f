// Assertions about the project's errors: the code thrown and the words its message must carry.

import assert from 'node:assert/strict';
import { isDataRegistryError, type ErrorCode } from '../../src/shared/errors.js';

/** `fn` throws a DataRegistryError with `code` whose message contains every one of `words`. */
export function assertFails(fn: () => unknown, code: ErrorCode, ...words: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isDataRegistryError(error), `expected a DataRegistryError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const word of words)
      assert.ok(error.message.includes(word), `"${word}" in: ${error.message}`);
    return true;
  });
}
