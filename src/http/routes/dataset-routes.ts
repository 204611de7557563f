// /api/records/{record_id}/datasets and /api/datasets/{id}: parse, one service call, shape the
// reply (written by json-text-serializer.ts).

import type { DatasetService } from '../../registry/datasets/dataset-service.js';
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
  DatasetChangesBody,
  DatasetListQuery,
  DatasetPage,
  DatasetResponse,
  NewDatasetBody,
  RecordIdParams,
  toDatasetJson,
} from '../schemas/dataset-schemas.js';
import type { ApiServer } from '../server-types.js';

const tags = ['datasets'];

export function registerDatasetRoutes(app: ApiServer, datasets: DatasetService): void {
  app.post(
    '/api/records/:record_id/datasets',
    {
      schema: {
        tags,
        summary: 'Create a dataset of a live record',
        params: RecordIdParams,
        body: NewDatasetBody,
        response: {
          201: DatasetResponse,
          ...errorResponses(...bodyErrors, 'RECORD_NOT_FOUND', 'DATASET_NAME_TAKEN'),
        },
      },
      serializerCompiler,
    },
    async (request, reply) => {
      const { name, description, data_type, metadata } = request.body;
      const dataset = await datasets.create(request.params.record_id, {
        name,
        description,
        dataType: data_type,
        metadata,
      });
      return reply.code(201).send(toDatasetJson(dataset));
    },
  );

  app.get(
    '/api/records/:record_id/datasets',
    {
      schema: {
        tags,
        summary: "List a live record's datasets, oldest first, one page at a time",
        params: RecordIdParams,
        querystring: DatasetListQuery,
        response: { 200: DatasetPage, ...errorResponses(...apiErrors, 'RECORD_NOT_FOUND') },
      },
      serializerCompiler,
    },
    async (request) => {
      const { limit, cursor, include_deleted } = request.query;
      const page = await datasets.list(request.params.record_id, {
        limit,
        cursor,
        includeDeleted: include_deleted,
      });
      return toPageJson(page, toDatasetJson);
    },
  );

  app.get(
    '/api/datasets/:id',
    {
      schema: {
        tags,
        summary: 'Get a live dataset of a live record',
        params: IdParams,
        response: { 200: DatasetResponse, ...errorResponses(...apiErrors, 'DATASET_NOT_FOUND') },
      },
      serializerCompiler,
    },
    async (request) => toDatasetJson(await datasets.get(request.params.id)),
  );

  app.patch(
    '/api/datasets/:id',
    {
      schema: {
        tags,
        summary: 'Change the name, description, data type or metadata of a dataset',
        params: IdParams,
        body: DatasetChangesBody,
        response: {
          200: DatasetResponse,
          ...errorResponses(...bodyErrors, 'DATASET_NOT_FOUND', 'DATASET_NAME_TAKEN'),
        },
      },
      serializerCompiler,
    },
    async (request) => {
      const { name, description, data_type, metadata } = request.body;
      const changes = { name, description, dataType: data_type, metadata };
      return toDatasetJson(await datasets.update(request.params.id, changes));
    },
  );

  app.delete(
    '/api/datasets/:id',
    {
      schema: {
        tags,
        summary: 'Delete a dataset (soft: it is hidden, its name is free again)',
        params: IdParams,
        response: { ...deletedResponse, ...errorResponses(...apiErrors, 'DATASET_NOT_FOUND') },
      },
      serializerCompiler,
    },
    async (request, reply) => {
      await datasets.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
