// GET, PATCH and DELETE of one record or dataset by id: the same three routes over either
// service, in its own words. Parse, one service call, shape the reply (json-text-serializer.ts).

import type { Static, TSchema } from 'typebox';
import type { HttpErrorCode } from '../http-error-status.js';
import { jsonTextSerializerCompiler as serializerCompiler } from '../json-text-serializer.js';
import {
  apiErrors,
  bodyErrors,
  deletedResponse,
  errorResponses,
  IdParams,
} from '../schemas/common-schemas.js';
import type { ApiServer } from '../server-types.js';

/** One kind of item: where it lives, its schemas and errors, and the service calls behind. */
export interface ItemRoutes<Item, Response extends TSchema, Changes extends TSchema> {
  readonly path: `/api/${string}/:id`;
  readonly tags: string[];
  readonly summaries: { readonly get: string; readonly update: string; readonly delete: string };
  /** The answer of GET and PATCH, declared with `writtenBy`. */
  readonly response: Response;
  readonly changesBody: Changes;
  readonly notFound: HttpErrorCode;
  readonly nameTaken: HttpErrorCode;
  readonly toJson: (item: Item) => Static<Response>;
  readonly get: (id: string) => Promise<Item>;
  readonly update: (id: string, changes: Static<Changes>) => Promise<Item>;
  readonly delete: (id: string) => Promise<void>;
}

export function registerItemRoutes<Item, Response extends TSchema, Changes extends TSchema>(
  app: ApiServer,
  item: ItemRoutes<Item, Response, Changes>,
): void {
  const { path, tags, summaries, notFound } = item;
  // Widened for Fastify's typing, which cannot resolve a generic schema; the interface above
  // already ties `toJson` to `response` and `update` to `changesBody` for the caller.
  const response: TSchema = item.response;
  const changesBody: TSchema = item.changesBody;
  app.get(
    path,
    {
      schema: {
        tags,
        summary: summaries.get,
        params: IdParams,
        response: { 200: response, ...errorResponses(...apiErrors, notFound) },
      },
      serializerCompiler,
    },
    async (request) => item.toJson(await item.get(request.params.id)),
  );

  app.patch(
    path,
    {
      schema: {
        tags,
        summary: summaries.update,
        params: IdParams,
        body: changesBody,
        response: { 200: response, ...errorResponses(...bodyErrors, notFound, item.nameTaken) },
      },
      serializerCompiler,
    },
    async (request) =>
      item.toJson(await item.update(request.params.id, request.body as Static<Changes>)),
  );

  app.delete(
    path,
    {
      schema: {
        tags,
        summary: summaries.delete,
        params: IdParams,
        response: { ...deletedResponse, ...errorResponses(...apiErrors, notFound) },
      },
      serializerCompiler,
    },
    async (request, reply) => {
      await item.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
