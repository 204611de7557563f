// `serve`: the composition root. Configuration → database → (dev: upgrade head) → API keys →
// object store → services → buildServer → listen, then on SIGTERM/SIGINT drain, finish the
// requests in flight (http/stop-server.ts) and close the pool.

import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { loadConfig, type Config, type ConfigFlags } from '../../config/config.js';
import { openDatabase } from '../../db/connect.js';
import type { DatabaseHandle } from '../../db/database-handle.js';
import { parseDatabaseUrl } from '../../db/database-url.js';
import { buildServer } from '../../http/build-server.js';
import { stopServer } from '../../http/stop-server.js';
import {
  describeStep,
  loadProject,
  readRecordedHeads,
  upgrade,
  type Project,
} from '../../migrate/index.js';
import { ApiKeyService } from '../../registry/api-keys/api-key-service.js';
import { CachedApiKeyVerifier } from '../../registry/api-keys/cached-api-key-verifier.js';
import {
  buildRegistryServices,
  isDatabaseUnavailableOn,
} from '../../registry/registry-services.js';
import { DataRegistryError, isDataRegistryError } from '../../shared/errors.js';
import { openObjectStore } from '../../storage/open-object-store.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { packageVersion, uiFolder } from '../package-version.js';
import { createServeLogger } from '../serve-logger.js';

export interface ServeFlags extends ConfigFlags {
  /** Serve an open API (no key configured) on a non-loopback address. */
  readonly insecure?: boolean;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const config = await loadConfig(flags);
  const databaseUrl = requireDatabase(config);
  const logger = await createServeLogger(config);
  config.warnings.forEach((warning) => logger.warn(warning));
  logger.info({ env: config.env }, `Starting dataregistry ${packageVersion()} (${config.env})`);

  const project = await loadProject(config.versionsDir);
  if (config.env === 'dev') await upgradeForDev(config, project, logger);
  const handle = await openDatabase(databaseUrl, {
    poolSize: config.database.poolSize,
    // Tells this server's sessions apart from the other servers' and the migrations' in
    // pg_stat_activity, e.g. when one of them holds the lock a migration waits for.
    applicationName: `dataregistry serve ${hostname()}`,
  });
  try {
    if (config.env === 'prod') await logSchemaStatus(handle, project, logger, config.versionTable);
    const service = new ApiKeyService(handle);
    const managedKeys = await countManagedKeys(service, logger);
    checkKeys(config, managedKeys, flags.insecure ?? false, logger);
    const verifier = new CachedApiKeyVerifier({
      service,
      staticKey: config.apiKey,
      alwaysRequireAuth: config.env === 'prod',
      onRecordUseError: (error) => logger.warn({ err: error }, 'Could not record an API key use'),
    });
    const codeHeads = project.graph.heads().map((revision) => revision.id);
    const objectStore = await openObjectStore(config.storage);
    logger.info({ storage: objectStore.location }, `Files are stored in ${objectStore.location}`);
    void sweepStoppedUploads(objectStore, logger);
    const services = buildRegistryServices(handle, {
      staticApiKey: config.apiKey,
      files: {
        store: objectStore,
        maxUploadBytes: config.storage.maxUploadBytes,
        onCleanupError: (error, key) =>
          logger.warn({ err: error, key }, `Could not remove the object ${key}; purge --orphans will`),
      },
    });
    const app = await buildServer({
      services,
      keyVerifier: verifier,
      isDatabaseUnavailable: isDatabaseUnavailableOn(handle),
      logger,
      version: packageVersion(),
      schemaStatus: async () => ({
        databaseHeads: await databaseHeadsOf(handle, config.versionTable),
        codeHeads,
      }),
      uiFolder: uiFolder(),
    });
    const stopped = stopOnSignals(logger, async () => {
      await stopServer(app, {
        drainPeriodMs: config.server.drainPeriodMs,
        gracePeriodMs: config.server.gracePeriodMs,
        logger,
      });
      await handle.close();
    });
    await app
      .listen({ host: config.server.host, port: config.server.port })
      .catch((error: unknown) => {
        throw listenFailed(error, config.server.host, config.server.port);
      });
    await stopped;
  } finally {
    await handle.close();
  }
}

/** prod refuses to guess the database; dev always has one (the default SQLite file). */
function requireDatabase(config: Config): string {
  if (config.database.url !== undefined) return config.database.url;
  const keys =
    config.apiKey === undefined
      ? ' and an API key (DATA_REGISTRY_API_KEY, or `dataregistry keys create`)'
      : '';
  throw new DataRegistryError(
    'MISSING_CONFIG',
    `prod needs a database (--db, DATA_REGISTRY_DB_CONNECTION or DATA_REGISTRY_SECRET_ID)${keys}; refusing to start.`,
    { missing: config.apiKey === undefined ? ['database', 'apiKey'] : ['database'] },
  );
}

/** dev: creates the SQLite file on first start and upgrades to head, logging each revision. */
async function upgradeForDev(config: Config, project: Project, logger: Logger): Promise<void> {
  const url = config.database.migrationUrl ?? config.database.url!;
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect === 'sqlite' && !parsed.inMemory && !existsSync(parsed.path)) {
    logger.info({ path: parsed.path }, `Creating the SQLite database ${parsed.path}`);
  }
  const handle = await openDatabase(url, { applicationName: 'dataregistry upgrade' });
  try {
    const result = await upgrade(handle, project, 'head', {
      tableLock: {
        ...config.tableLock,
        onRetry: (retry) => logger.warn({ revision: retry.revision }, retry.message),
      },
      versionTable: config.versionTable,
      onWarnings: (warnings) => warnings.forEach((warning) => logger.warn(warning)),
      onStep: (step) =>
        logger.info(
          { revision: step.revision.id, durationMs: Math.round(step.durationMs) },
          describeStep(step),
        ),
    });
    const heads = result.headsAfter.join(', ') || 'base';
    logger.info({ heads: result.headsAfter }, `Database schema at ${heads} (dev upgrades itself)`);
  } finally {
    await handle.close();
  }
}

/** prod never migrates: it says where the database stands against the code, warning if apart. */
async function logSchemaStatus(
  handle: DatabaseHandle,
  project: Project,
  logger: Logger,
  versionTable: string | undefined,
): Promise<void> {
  const databaseHeads = await databaseHeadsOf(handle, versionTable);
  const codeHeads = project.graph.heads().map((revision) => revision.id);
  const fields = { databaseHeads, codeHeads };
  const same = [...databaseHeads].sort().join(',') === [...codeHeads].sort().join(',');
  if (same) {
    logger.info(fields, `Database schema at ${codeHeads.join(', ')}, the code's head`);
    return;
  }
  const unknown = databaseHeads.filter((id) => !project.graph.has(id));
  if (databaseHeads.length === 0) {
    logger.warn(
      fields,
      'The database has no revision applied: run `dataregistry upgrade head` with the migration credentials',
    );
  } else if (unknown.length > 0) {
    logger.warn(
      fields,
      `The database is ahead of this code (at ${unknown.join(', ')}, unknown here): a newer version migrated it; serving anyway`,
    );
  } else {
    logger.warn(
      fields,
      `The database (at ${databaseHeads.join(', ')}) is behind the code's head ${codeHeads.join(', ')}: run \`dataregistry upgrade head\`; serving anyway`,
    );
  }
}

async function databaseHeadsOf(
  handle: DatabaseHandle,
  versionTable: string | undefined,
): Promise<string[]> {
  return readRecordedHeads(handle, { versionTable });
}

/** Managed keys in the database, revoked ones included; 0 when the table does not exist yet. */
async function countManagedKeys(service: ApiKeyService, logger: Logger): Promise<number> {
  try {
    return (await service.count()).all;
  } catch (error) {
    // The service reports a missing table as SCHEMA_NOT_APPLIED.
    if (!isDataRegistryError(error) || error.code !== 'SCHEMA_NOT_APPLIED') throw error;
    logger.warn('The database has no api_keys table yet: only DATA_REGISTRY_API_KEY can be used');
    return 0;
  }
}

/**
 * prod needs a key. dev without one serves everyone, so only on loopback unless --insecure.
 *
 * @throws DataRegistryError MISSING_CONFIG naming what to set.
 */
function checkKeys(config: Config, managedKeys: number, insecure: boolean, logger: Logger): void {
  if (config.apiKey !== undefined || managedKeys > 0) return;
  const howToAdd =
    'set DATA_REGISTRY_API_KEY or create one with `dataregistry keys create --name NAME --scope admin`';
  if (config.env === 'prod') {
    throw new DataRegistryError(
      'MISSING_CONFIG',
      `prod needs an API key: ${howToAdd}; refusing to start.`,
      {
        missing: ['apiKey'],
      },
    );
  }
  const { host } = config.server;
  if (!isLoopback(host) && !insecure) {
    throw new DataRegistryError(
      'MISSING_CONFIG',
      `No API key is configured, so the API would be open to anyone who can reach ${host}: ${howToAdd}, listen on 127.0.0.1, or pass --insecure.`,
      { missing: ['apiKey'] },
    );
  }
  logger.warn(
    isLoopback(host)
      ? `No API key is configured: the API is open, so it listens on ${host} only (this machine); ${howToAdd} to serve other hosts.`
      : `No API key is configured and --insecure is given: the API is open to anyone who can reach ${host}.`,
  );
}

function isLoopback(host: string): boolean {
  return (
    host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '[::1]'
  );
}

/**
 * Resolves once `stop` has run after the first SIGTERM or SIGINT. A second signal while
 * stopping exits at once with status 1.
 */
function stopOnSignals(logger: Logger, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'Second signal while stopping: exiting now');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, `${signal}: stopping (a second signal exits at once)`);
      stop().then(
        () => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          logger.info('Stopped');
          resolve();
        },
        (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** A port taken or forbidden is a configuration problem, said in one line. */
function listenFailed(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new DataRegistryError(
      'INVALID_CONFIG',
      `Cannot listen on ${where}: another process uses that port. Stop it, or choose another with --port (or DATA_REGISTRY_PORT).`,
      { host, port },
      { cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return new DataRegistryError(
      'INVALID_CONFIG',
      `Cannot listen on ${where} (${code}): ${code === 'EACCES' ? 'ports below 1024 need privileges' : 'no interface of this machine has that address'}. Check --host and --port.`,
      { host, port },
      { cause: error },
    );
  }
  return error;
}

/**
 * A temporary file not written for this long belongs to an upload that stopped (this server or
 * another sharing the folder was killed, or the disk filled): one being written changes as it grows.
 */
const stoppedUploadMs = 60 * 60 * 1000;

/** Removes the local store's temporary files of stopped uploads, in the background of the start. */
async function sweepStoppedUploads(store: ObjectStore, logger: Logger): Promise<void> {
  if (store.sweepTemporaryFiles === undefined) return;
  try {
    let count = 0;
    for await (const file of store.sweepTemporaryFiles(new Date(Date.now() - stoppedUploadMs))) {
      count += 1;
      logger.info(
        { path: file.path, size: file.size },
        `Removed the temporary file ${file.path} of an upload that stopped`,
      );
    }
    if (count > 0) logger.info({ count }, `Removed ${count} temporary files of stopped uploads`);
  } catch (error) {
    logger.warn({ err: error }, 'Could not sweep temporary files of stopped uploads; purge --orphans will');
  }
}
