// A real registry server for HTTP tests: a fresh database upgraded to head, the services and
// buildServer over it as `serve` builds them (registry/registry-services.ts), on a loopback port.

import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../../src/db/connect.js';
import type { DatabaseHandle } from '../../src/db/database-handle.js';
import { loadProject, upgrade } from '../../src/migrate/index.js';
import { readCurrentHeads, versionTableNames } from '../../src/migrate/run/version-table.js';
import type { ApiKeyVerifier, Scope } from '../../src/http/api-key-verifier.js';
import { buildServer, type BuildServerOptions } from '../../src/http/build-server.js';
import { defaultMaxUploadBytes } from '../../src/config/config-defaults.js';
import {
  buildRegistryServices,
  isDatabaseUnavailableOn,
} from '../../src/registry/registry-services.js';
import type { ObjectStore } from '../../src/storage/object-store.js';

/** The registry's revisions (compiled tests run from .test-build/test/support/). */
export const versionsDir = fileURLToPath(new URL('../../../migrations/versions', import.meta.url));

export interface RegistryServerOptions {
  /** An empty database; it is upgraded to head first. */
  readonly databaseUrl: string;
  /** The URL the server connects with, when it differs (e.g. through a TcpProxy). */
  readonly serveUrl?: string;
  /** Default: no key required. */
  readonly verifier?: ApiKeyVerifier;
  /** Default: no logging. */
  readonly logger?: BuildServerOptions['logger'];
  /** Where files go; default none (the server then has no file routes). */
  readonly objectStore?: ObjectStore;
  /** Default: the setting's (DATA_REGISTRY_MAX_UPLOAD_BYTES), 5 TiB. */
  readonly maxUploadBytes?: number;
  /** The static key download links of the static key are signed with; default none. */
  readonly staticApiKey?: string;
}

export interface RegistryServer {
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly handle: DatabaseHandle;
  /** Closes the server, then its database handle. */
  close(): Promise<void>;
}

export const openVerifier: ApiKeyVerifier = {
  isAuthRequired: () => Promise.resolve(false),
  verify: () => Promise.resolve(undefined),
};

/** A verifier that knows the given tokens. */
export function verifierOf(tokens: Readonly<Record<string, Scope>>): ApiKeyVerifier {
  return {
    isAuthRequired: () => Promise.resolve(true),
    verify: (token) => Promise.resolve(Object.hasOwn(tokens, token) ? tokens[token] : undefined),
  };
}

export async function startRegistryServer(options: RegistryServerOptions): Promise<RegistryServer> {
  const project = await loadProject(versionsDir);
  const migrating = await openDatabase(options.databaseUrl);
  try {
    await upgrade(migrating, project, 'head');
  } finally {
    await migrating.close();
  }
  const handle = await openDatabase(options.serveUrl ?? options.databaseUrl);
  const codeHeads = project.graph.heads().map((revision) => revision.id);
  const names = versionTableNames();
  try {
    const app = await buildServer({
      services: buildRegistryServices(handle, {
        staticApiKey: options.staticApiKey,
        files: options.objectStore && {
          store: options.objectStore,
          maxUploadBytes: options.maxUploadBytes ?? defaultMaxUploadBytes,
        },
      }),
      keyVerifier: options.verifier ?? openVerifier,
      isDatabaseUnavailable: isDatabaseUnavailableOn(handle),
      logger: options.logger ?? false,
      version: '0.0.0-test',
      schemaStatus: async () => ({
        databaseHeads: (await readCurrentHeads(handle.db, handle.dialect, names)) ?? [],
        codeHeads,
      }),
    });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      app,
      url: address.replace(/\/$/, ''),
      handle,
      async close() {
        await app.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Every field a response body of the API may have, so that tests can assert tersely; which of
 * them a given response holds is what the test checks.
 */
export interface ApiBody {
  readonly id: string;
  readonly record_id: string;
  readonly name: string;
  readonly description: string | null;
  readonly data_type: string;
  readonly metadata: Record<string, unknown>;
  readonly storage_id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly deleted_at: string | null;
  readonly items: ApiBody[];
  readonly next_cursor: string | null;
  readonly error: { readonly code: string; readonly message: string };
  readonly status: string;
  /** The package version (/api/version), or a file's version number. */
  readonly version: string | number;
  readonly created_by: string | null;
  readonly schema: unknown;
  readonly size: number;
  readonly sha256: string;
  readonly content_type: string;
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed body; undefined (despite the type) when there is none. */
  readonly body: ApiBody;
}

/** A small fetch wrapper: JSON in, JSON out. `body` as a string is sent verbatim. */
export async function request(
  server: { readonly url: string },
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? undefined : JSON.parse(text)) as ApiBody,
  };
}
