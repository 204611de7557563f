// GET /health (the process is alive), GET /ready (the database answers and has a schema),
// GET /api/version (package version and schema revisions) and GET /api/session (the key's scope).

import { DataRegistryError } from '../../shared/errors.js';
import { errorResponses } from '../schemas/common-schemas.js';
import {
  HealthResponse,
  ReadyResponse,
  SessionResponse,
  VersionResponse,
} from '../schemas/status-schemas.js';
import type { ApiServer } from '../server-types.js';

export interface SchemaStatusSource {
  /** Reads the database's current heads; rejects when the database cannot be reached. */
  (): Promise<{ databaseHeads: string[]; codeHeads: string[] }>;
}

export function registerStatusRoutes(
  app: ApiServer,
  version: string,
  schemaStatus: SchemaStatusSource,
  isDraining: () => boolean,
): void {
  const readSchema = async () => {
    const { databaseHeads, codeHeads } = await schemaStatus();
    const sorted = (heads: string[]) => [...heads].sort();
    return {
      database_heads: sorted(databaseHeads),
      code_heads: sorted(codeHeads),
      is_current: sorted(databaseHeads).join(',') === sorted(codeHeads).join(','),
    };
  };

  app.get(
    '/health',
    {
      schema: {
        tags: ['status'],
        summary: 'The process is alive (the database is not asked)',
        security: [],
        response: { 200: HealthResponse },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['status'],
        summary: 'The database answers and has the registry schema',
        description:
          '503 SHUTTING_DOWN from the first SIGTERM or SIGINT (while the other routes still serve for the drain period), 503 DATABASE_UNAVAILABLE when the database cannot be reached, 503 SCHEMA_NOT_APPLIED when it has no revision applied.',
        security: [],
        response: { 200: ReadyResponse, ...errorResponses('SCHEMA_NOT_APPLIED', 'SHUTTING_DOWN') },
      },
    },
    async () => {
      if (isDraining()) {
        throw new DataRegistryError(
          'SHUTTING_DOWN',
          'The server is stopping; send requests to another server.',
        );
      }
      const schema = await readSchema();
      if (schema.database_heads.length === 0) {
        throw new DataRegistryError(
          'SCHEMA_NOT_APPLIED',
          'The database has no revision applied; run `dataregistry upgrade head`.',
        );
      }
      return { status: 'ready' as const, schema };
    },
  );

  app.get(
    '/api/version',
    {
      schema: {
        tags: ['status'],
        summary: "The server's version and the schema revisions of database and code",
        response: { 200: VersionResponse, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN') },
      },
    },
    async () => ({ version, schema: await readSchema() }),
  );

  app.get(
    '/api/session',
    {
      schema: {
        tags: ['status'],
        summary: 'Whether /api needs a key, and the scope of the one presented',
        description:
          'Answers 401 without a key when one is required, like every /api route; the web interface uses it to sign in.',
        response: { 200: SessionResponse, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN') },
      },
    },
    (request) => ({
      is_auth_required: request.apiKeyScope !== undefined,
      scope: request.apiKeyScope ?? ('admin' as const),
    }),
  );
}
