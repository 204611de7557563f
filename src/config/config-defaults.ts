// The defaults of the settings that have one, per environment. Pure: reads nothing.

import { fileURLToPath } from 'node:url';
import type { Environment, LogLevel } from './server-settings.js';

export const defaultEnvironment: Environment = 'dev';

/** The dev database: created (with its folder) on first start, relative to the working folder. */
export const defaultDatabaseUrl = 'sqlite:./data/dataregistry.db';

/** The registry's own revisions, shipped inside the package (dist/config/ or dist/bundle/ → ../../). */
export const packageVersionsDir = fileURLToPath(
  new URL('../../migrations/versions', import.meta.url),
);

export const defaultPort = 5000;
/** The server `upload` and `download` talk to: a dev server on this machine. */
export const defaultRegistryUrl = 'http://127.0.0.1:5000';
export const defaultPoolSize = 10;
/** Files go here unless DATA_REGISTRY_STORAGE says otherwise (relative to the working folder). */
export const defaultStorageLocation = './data/files';
/** 5 TiB: the largest object S3 stores. */
export const defaultMaxUploadBytes = 5 * 1024 ** 4;
/** Upload sessions idle for a week are aborted by `purge`. */
export const defaultUploadSessionMaxAgeMs = 7 * 86_400_000;
/**
 * After SIGTERM, /ready answers 503 for this long while the other routes still serve, so that a
 * load balancer checking /ready every few seconds takes the server out first (docs/production.md).
 */
export const defaultDrainPeriodMs = 5000;
/** Then requests in flight have this long to finish before their connections are closed. */
export const defaultGracePeriodMs = 20_000;
export const defaultLogLevel: LogLevel = 'info';
/**
 * A revision's statement waits this long for a table lock before giving way (and retrying), so
 * that the queries queued behind it wait no longer either (docs/migrations.md, "Table locks").
 */
export const defaultTableLockTimeoutMs = 1000;
/**
 * Retries after a table-lock timeout: with 1 s waits and backoffs of 0.5 s doubling to 10 s,
 * ten retries ride out a lock held for about a minute.
 */
export const defaultTableLockRetries = 10;
/**
 * Without DATA_REGISTRY_LOG_FORMAT, `serve` chooses when it starts: readable lines for a person
 * at a terminal, JSON for a log shipper (cli/serve-logger.ts).
 */
export const defaultLogFormatText = 'pretty on a terminal, else json';

/** dev serves only this machine unless told otherwise; prod serves the network (behind a proxy). */
export function defaultHostOf(env: Environment): string {
  return env === 'dev' ? '127.0.0.1' : '0.0.0.0';
}

/** prod has no default database: it must be configured, never silently a local file. */
export function defaultDatabaseUrlOf(env: Environment): string | undefined {
  return env === 'dev' ? defaultDatabaseUrl : undefined;
}
