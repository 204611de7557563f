// Types the routes and plugins share: the Fastify instance with TypeBox typing, and the route
// option `scope`.

import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Scope } from './api-key-verifier.js';

export type ApiServer = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The scope of the request's API key; undefined when /api needs no key (plugins/auth.ts). */
    apiKeyScope: Scope | undefined;
    /** The name of the request's API key; null when it has none or /api needs no key. */
    apiKeyName: string | null;
  }

  interface FastifyContextConfig {
    /**
     * The scope an `/api` route needs; default `read` for GET and HEAD, `write` for the rest.
     * Routes outside `/api` need no key.
     */
    scope?: Scope;
    /**
     * The route takes a signed `download_token` query parameter in place of an API key, and
     * checks it itself (routes/file-download-routes.ts): plugins/auth.ts lets a request that
     * carries one and no key through.
     */
    acceptsDownloadToken?: boolean;
  }
}
