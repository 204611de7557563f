// Builds the HTTP server: logging with request ids, API keys, the error format, OpenAPI and
// Swagger UI, and the routes over the registry's services. Takes them built (never opens a
// database, reads configuration or listens by itself).

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { LoggerOptions as PinoLoggerOptions } from 'pino';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RegistryServices } from '../registry/registry-services.js';
import type { ApiKeyVerifier } from './api-key-verifier.js';
import { registerAuth } from './plugins/auth.js';
import { answerClientError } from './plugins/client-error.js';
import { registerDrain } from './plugins/drain.js';
import { answerFrameworkError, registerErrorHandler } from './plugins/error-handler.js';
import { registerJsonBodyParser } from './plugins/json-body.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerStaticUi } from './plugins/static-ui.js';
import { compileValidator } from './plugins/validator-compiler.js';
import { registerDatasetRoutes } from './routes/dataset-routes.js';
import { registerFileDownloadRoutes } from './routes/file-download-routes.js';
import { registerFileRoutes } from './routes/file-routes.js';
import { registerUploadRoutes } from './routes/upload-routes.js';
import { registerRecordRoutes } from './routes/record-routes.js';
import { registerStatusRoutes } from './routes/status-routes.js';

/** What the server is built from; `serve` (cli/commands/serve-command.ts) chooses each. */
export interface BuildServerOptions {
  /**
   * The services the routes call (registry/registry-services.ts); without `files` and `uploads`
   * the server has no file routes. The server closes nothing of theirs: the caller closes the
   * database after `app.close()`.
   */
  readonly services: RegistryServices;
  /** Decides about API keys on /api; see {@link ApiKeyVerifier}. */
  readonly keyVerifier: ApiKeyVerifier;
  /**
   * Whether an error that reached the error handler untranslated (a driver error from
   * `schemaStatus` or the key verifier) means the database cannot be reached: it then answers
   * 503 DATABASE_UNAVAILABLE rather than 500. `serve` asks the dialect (isDatabaseUnavailableOn).
   */
  readonly isDatabaseUnavailable: (error: unknown) => boolean;
  /**
   * A pino logger instance (used as is, e.g. one shared with the CLI), `true` for Fastify's
   * default pino logger on stdout, `false` for none, or pino options (`{ level: 'warn' }`).
   * Every line logged for a request carries its id as `reqId`.
   */
  readonly logger: FastifyBaseLogger | boolean | PinoLoggerOptions;
  /** The package version, reported by /api/version and in the OpenAPI document. */
  readonly version: string;
  /**
   * The database's current heads and the code's (the versions folder's) heads, read from the
   * database on each call: /ready and /api/version call it per request. It should report heads
   * unknown to the code rather than throw; a rejection with DATABASE_UNAVAILABLE, or one
   * `isDatabaseUnavailable` recognises, answers 503.
   */
  readonly schemaStatus: () => Promise<{ databaseHeads: string[]; codeHeads: string[] }>;
  /**
   * The folder of the built web interface (dist/ui), served at `/` (plugins/static-ui.ts); none,
   * or a folder without index.html, serves no interface.
   */
  readonly uiFolder?: string | undefined;
}

/**
 * Builds the server; the caller listens (`await app.listen({ host, port })`) or injects, and
 * closes it.
 *
 * - Request ids: an incoming `x-request-id` of 1 to 128 characters `[A-Za-z0-9._:-]` is kept,
 *   otherwise a UUID is drawn; either way it is echoed in the `x-request-id` response header.
 * - Errors: `{"error": {"code", "message"}}` with the status of src/http/http-error-status.ts,
 *   Fastify's and Node's own client errors included.
 * - Stopping: `stopServer(app, …)` (stop-server.ts) drains, then closes; `app.close()` alone
 *   stops at once.
 *
 * @example
 * const services = buildRegistryServices(handle, { files: { store, maxUploadBytes } });
 * const app = await buildServer({
 *   services,
 *   keyVerifier,
 *   isDatabaseUnavailable: isDatabaseUnavailableOn(handle),
 *   logger: true,
 *   version: '0.1.0',
 *   schemaStatus,
 * });
 * await app.listen({ host: '127.0.0.1', port: 8000 });
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOptions(options.logger),
    genReqId: requestIdOf,
    // File names travel in paths: up to 255 bytes of UTF-8, percent-encoded three times as long.
    routerOptions: { maxParamLength: 1024 },
    // Fastify's own answers have their own body shape; every error goes out in ours instead:
    // malformed HTTP and header overflows (answerClientError), bad URLs (answerFrameworkError).
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // Requests that reach a closing server are served (with `Connection: close`), not answered
    // 503 in Fastify's shape: stop-server.ts decides when connections end.
    return503OnClosing: false,
    forceCloseConnections: false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(compileValidator);
  // A callback hook: an async one costs a promise and a microtask on every request.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const drain = registerDrain(app);
  registerErrorHandler(app, options.isDatabaseUnavailable);
  registerJsonBodyParser(app);
  registerAuth(app, options.keyVerifier);
  await registerOpenApi(app, options.version);

  const { services } = options;
  registerStatusRoutes(app, options.version, options.schemaStatus, () => drain.isDraining);
  registerRecordRoutes(app, services.records);
  registerDatasetRoutes(app, services.datasets);
  if (services.files !== undefined) registerFileRoutes(app, services.files);
  if (services.files !== undefined && services.downloadLinks !== undefined) {
    registerFileDownloadRoutes(app, services.files, services.downloadLinks);
  }
  if (services.uploads !== undefined) registerUploadRoutes(app, services.uploads);
  registerStaticUi(app, options.uiFolder);
  return app;
}

function loggerOptions(
  logger: BuildServerOptions['logger'],
): { loggerInstance: FastifyBaseLogger } | { logger: boolean | PinoLoggerOptions } {
  if (typeof logger === 'object' && isLoggerInstance(logger)) return { loggerInstance: logger };
  return { logger };
}

function isLoggerInstance(
  logger: FastifyBaseLogger | PinoLoggerOptions,
): logger is FastifyBaseLogger {
  return (
    'child' in logger && typeof logger.child === 'function' && typeof logger.info === 'function'
  );
}

const acceptedRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && acceptedRequestId.test(incoming) ? incoming : randomUUID();
}
