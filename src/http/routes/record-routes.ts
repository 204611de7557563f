// /api/records: create, list, restore, and the routes of one record by id (item-routes.ts).
// Parse, one service call, shape the reply (written by json-text-serializer.ts).

import type { RecordService } from '../../registry/records/record-service.js';
import { jsonTextSerializerCompiler as serializerCompiler } from '../json-text-serializer.js';
import {
  apiErrors,
  bodyErrors,
  errorResponses,
  IdParams,
  toPageJson,
} from '../schemas/common-schemas.js';
import {
  NewRecordBody,
  RecordChangesBody,
  RecordListQuery,
  RecordPage,
  RecordResponse,
  toRecordJson,
} from '../schemas/record-schemas.js';
import type { ApiServer } from '../server-types.js';
import { registerItemRoutes } from './item-routes.js';

const tags = ['records'];

export function registerRecordRoutes(app: ApiServer, records: RecordService): void {
  app.post(
    '/api/records',
    {
      schema: {
        tags,
        summary: 'Create a record',
        body: NewRecordBody,
        response: { 201: RecordResponse, ...errorResponses(...bodyErrors, 'RECORD_NAME_TAKEN') },
      },
      serializerCompiler,
    },
    async (request, reply) => {
      const { name, description, metadata } = request.body;
      const record = await records.create({ name, description, metadata });
      return reply.code(201).send(toRecordJson(record));
    },
  );

  app.get(
    '/api/records',
    {
      schema: {
        tags,
        summary: 'List records, oldest (default) or newest first, one page at a time',
        querystring: RecordListQuery,
        response: { 200: RecordPage, ...errorResponses(...apiErrors) },
      },
      serializerCompiler,
    },
    async (request) => {
      const { limit, cursor, q, include_deleted, order } = request.query;
      const page = await records.list({
        limit,
        cursor,
        search: q,
        includeDeleted: include_deleted,
        order,
      });
      return toPageJson(page, toRecordJson);
    },
  );

  registerItemRoutes(app, {
    path: '/api/records/:id',
    tags,
    summaries: {
      get: 'Get a live record',
      update: 'Change the name, description or metadata of a live record',
      delete: 'Delete a record (soft: it and its datasets are hidden, its name is free again)',
    },
    response: RecordResponse,
    changesBody: RecordChangesBody,
    notFound: 'RECORD_NOT_FOUND',
    nameTaken: 'RECORD_NAME_TAKEN',
    toJson: toRecordJson,
    get: (id) => records.get(id),
    update: (id, { name, description, metadata }) =>
      records.update(id, { name, description, metadata }),
    delete: (id) => records.delete(id),
  });

  app.post(
    '/api/records/:id/restore',
    {
      schema: {
        tags,
        summary: 'Restore a deleted record with its datasets',
        description: '409 RECORD_NAME_TAKEN when another live record has taken its name meanwhile.',
        params: IdParams,
        response: {
          200: RecordResponse,
          ...errorResponses(...apiErrors, 'RECORD_NOT_FOUND', 'RECORD_NAME_TAKEN'),
        },
      },
      serializerCompiler,
    },
    async (request) => toRecordJson(await records.restore(request.params.id)),
  );
}
