// API keys on /api: reads the token from the `access_token` header (as the earlier Python API
// did) or `Authorization: Bearer`, asks the verifier for its scope, and refuses with 401 or 403.
// Routes outside /api (/health, /ready, /docs, /openapi.json) need no key; a download that
// carries a signed download token instead of a key is checked by its route.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { DataRegistryError } from '../../shared/errors.js';
import { isScopeSufficient, type ApiKeyVerifier, type Scope } from '../api-key-verifier.js';
import type { ApiServer } from '../server-types.js';

/** Installs the check as an `onRequest` hook, so that it runs before the body is even read. */
export function registerAuth(app: ApiServer, verifier: ApiKeyVerifier): void {
  app.decorateRequest('apiKeyScope', undefined);
  app.decorateRequest('apiKeyName', null);
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || !route.startsWith('/api/')) return;
    if (!(await verifier.isAuthRequired())) return;
    const token = readToken(request.headers);
    if (token === undefined && hasDownloadToken(request)) return;
    if (token === undefined) {
      throw unauthenticated(
        reply,
        'This route needs an API key: send it in the `access_token` header or as `Authorization: Bearer <key>`.',
      );
    }
    const key =
      verifier.verifyKey === undefined
        ? await verifier.verify(token).then((scope) => scope && { scope, name: null })
        : await verifier.verifyKey(token);
    if (key === undefined) {
      throw unauthenticated(reply, 'The API key is unknown or revoked.');
    }
    const { scope } = key;
    request.apiKeyScope = scope;
    request.apiKeyName = key.name;
    const needed = requiredScope(request);
    if (!isScopeSufficient(scope, needed)) {
      throw new DataRegistryError(
        'FORBIDDEN',
        `This API key has the scope \`${scope}\`; ${request.method} ${route} needs \`${needed}\`.`,
        { scope, needed },
      );
    }
  });
}

/**
 * The token: `Authorization: Bearer <token>` first, else the `access_token` header. Undefined
 * when neither carries one (an empty header counts as none).
 */
export function readToken(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  const header = headers.access_token;
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A request to a route that checks a signed download token itself, carrying one. */
function hasDownloadToken(request: FastifyRequest): boolean {
  if (request.routeOptions.config.acceptsDownloadToken !== true) return false;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.download_token === 'string';
}

function requiredScope(request: FastifyRequest): Scope {
  const declared = request.routeOptions.config.scope;
  if (declared !== undefined) return declared;
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
}

function unauthenticated(reply: FastifyReply, message: string): DataRegistryError {
  void reply.header('www-authenticate', 'Bearer realm="dataregistry"');
  return new DataRegistryError('UNAUTHENTICATED', message);
}
