// /api/records: parse, one service call, shape the reply (written by json-text-serializer.ts).

import type { RecordService } from '../../registry/records/record-service.js';
import { jsonTextSerializerCompiler as serializerCompiler } from '../json-text-serializer.js';
import {
  apiErrors,
  bodyErrors,
  deletedResponse,
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
        summary: 'List records, oldest first, one page at a time',
        querystring: RecordListQuery,
        response: { 200: RecordPage, ...errorResponses(...apiErrors) },
      },
      serializerCompiler,
    },
    async (request) => {
      const { limit, cursor, q, include_deleted } = request.query;
      const page = await records.list({
        limit,
        cursor,
        search: q,
        includeDeleted: include_deleted,
      });
      return toPageJson(page, toRecordJson);
    },
  );

  app.get(
    '/api/records/:id',
    {
      schema: {
        tags,
        summary: 'Get a live record',
        params: IdParams,
        response: { 200: RecordResponse, ...errorResponses(...apiErrors, 'RECORD_NOT_FOUND') },
      },
      serializerCompiler,
    },
    async (request) => toRecordJson(await records.get(request.params.id)),
  );

  app.patch(
    '/api/records/:id',
    {
      schema: {
        tags,
        summary: 'Change the name, description or metadata of a live record',
        params: IdParams,
        body: RecordChangesBody,
        response: {
          200: RecordResponse,
          ...errorResponses(...bodyErrors, 'RECORD_NOT_FOUND', 'RECORD_NAME_TAKEN'),
        },
      },
      serializerCompiler,
    },
    async (request) => {
      const { name, description, metadata } = request.body;
      return toRecordJson(await records.update(request.params.id, { name, description, metadata }));
    },
  );

  app.delete(
    '/api/records/:id',
    {
      schema: {
        tags,
        summary: 'Delete a record (soft: it and its datasets are hidden, its name is free again)',
        params: IdParams,
        response: { ...deletedResponse, ...errorResponses(...apiErrors, 'RECORD_NOT_FOUND') },
      },
      serializerCompiler,
    },
    async (request, reply) => {
      await records.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );

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
