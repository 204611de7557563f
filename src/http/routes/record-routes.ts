// /api/records: parse, one service call, shape the reply (as JSON text, see record-schemas.ts).

import { Type } from 'typebox';
import { apiErrors, bodyErrors, errorResponses, IdParams } from '../schemas/common-schemas.js';
import {
  NewRecordBody,
  RecordChangesBody,
  RecordListQuery,
  RecordPage,
  RecordResponse,
  recordJsonText,
  recordPageJsonText,
} from '../schemas/record-schemas.js';
import { sendJsonText } from '../json-text.js';
import type { RecordService } from '../../registry/records/record-service.js';
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
    },
    async (request, reply) => {
      const { name, description, metadata } = request.body;
      const record = await records.create({ name, description, metadata });
      return sendJsonText(reply, 201, recordJsonText(record));
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
    },
    async (request, reply) => {
      const { limit, cursor, q, include_deleted } = request.query;
      const page = await records.list({
        limit,
        cursor,
        search: q,
        includeDeleted: include_deleted,
      });
      return sendJsonText(reply, 200, recordPageJsonText(page));
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
    },
    async (request, reply) =>
      sendJsonText(reply, 200, recordJsonText(await records.get(request.params.id))),
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
    },
    async (request, reply) => {
      const { name, description, metadata } = request.body;
      const record = await records.update(request.params.id, { name, description, metadata });
      return sendJsonText(reply, 200, recordJsonText(record));
    },
  );

  app.delete(
    '/api/records/:id',
    {
      schema: {
        tags,
        summary: 'Delete a record (soft: it and its datasets are hidden, its name is free again)',
        params: IdParams,
        response: {
          204: Type.Null({ description: 'Deleted.' }),
          ...errorResponses(...apiErrors, 'RECORD_NOT_FOUND'),
        },
      },
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
    },
    async (request, reply) =>
      sendJsonText(reply, 200, recordJsonText(await records.restore(request.params.id))),
  );
}
