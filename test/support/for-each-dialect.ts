// Runs one test body on every database: `forEachDialect(title, (ctx) => { test(...) })` registers
// `describe('<title> (<dialect>)')` for sqlite, postgresql and mysql. A server that cannot be
// reached skips its suite with a loud line on stderr, and fails it in CI.

import { describe, test } from 'node:test';
import { dialectNames, type DialectName } from '../../src/db/dialect-name.js';
import {
  availabilityOf,
  displayServerUrl,
  freshDatabaseUrl,
  serverUrlVariables,
} from './test-databases.js';

export interface DialectTestContext {
  readonly dialect: DialectName;
  /** A new empty database of this dialect, dropped when the test file finishes. */
  freshDatabaseUrl(): Promise<string>;
}

const warned = new Set<DialectName>();

export function forEachDialect(title: string, body: (ctx: DialectTestContext) => void): void {
  for (const dialect of dialectNames) {
    describeOnServer(`${title} (${dialect})`, dialect, () =>
      body({ dialect, freshDatabaseUrl: () => freshDatabaseUrl(dialect) }),
    );
  }
}

/**
 * `describe(name, fn)` for a suite that needs `dialect`'s server: when it cannot be reached the
 * suite is skipped with a loud line on stderr, and in CI (`CI=true`) it fails instead.
 */
export function describeOnServer(name: string, dialect: DialectName, fn: () => void): void {
  const availability = availabilityOf(dialect);
  if (availability.available) {
    void describe(name, fn);
    return;
  }
  // availabilityOf('sqlite') is always available, so this is a server dialect.
  const server = dialect as Exclude<DialectName, 'sqlite'>;
  const problem =
    `${dialect} tests — cannot reach ${displayServerUrl(server)} (${availability.reason}); ` +
    `set ${serverUrlVariables[server]}`;
  if (process.env.CI === 'true') {
    // A database missing in CI is a broken pipeline, not a reason to pass.
    void describe(name, () => {
      void test('needs its database server', () => {
        throw new Error(`FAILED: ${problem}`);
      });
    });
    return;
  }
  if (!warned.has(dialect)) {
    warned.add(dialect);
    process.stderr.write(`SKIPPED: ${problem}\n`);
  }
  void describe(name, { skip: `cannot reach ${displayServerUrl(server)}` }, () => {});
}
