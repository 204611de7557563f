// Types the routes and plugins share: the Fastify instance with TypeBox typing, and the
// services the routes call.

import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DatasetService } from '../registry/datasets/dataset-service.js';
import type { RecordService } from '../registry/records/record-service.js';
import type { Scope } from './api-key-verifier.js';

export type ApiServer = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface RegistryServices {
  readonly records: RecordService;
  readonly datasets: DatasetService;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The scope an `/api` route needs; default `read` for GET and HEAD, `write` for the rest.
     * Routes outside `/api` need no key.
     */
    scope?: Scope;
  }
}
