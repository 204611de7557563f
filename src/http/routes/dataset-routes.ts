// /api/records/{record_id}/datasets (create, list) and the routes of one dataset by id,
// /api/datasets/{id} (item-routes.ts). Parse, one service call, shape the reply (written by
// json-text-serializer.ts).

import type { DatasetService } from '../../registry/datasets/dataset-service.js';
import { jsonTextSerializerCompiler as serializerCompiler } from '../json-text-serializer.js';
import { apiErrors, bodyErrors, errorResponses, toPageJson } from '../schemas/common-schemas.js';
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
import { registerItemRoutes } from './item-routes.js';

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

  registerItemRoutes(app, {
    path: '/api/datasets/:id',
    tags,
    summaries: {
      get: 'Get a live dataset of a live record',
      update: 'Change the name, description, data type or metadata of a dataset',
      delete: 'Delete a dataset (soft: it is hidden, its name is free again)',
    },
    response: DatasetResponse,
    changesBody: DatasetChangesBody,
    notFound: 'DATASET_NOT_FOUND',
    nameTaken: 'DATASET_NAME_TAKEN',
    toJson: toDatasetJson,
    get: (id) => datasets.get(id),
    update: (id, { name, description, data_type, metadata }) =>
      datasets.update(id, { name, description, dataType: data_type, metadata }),
    delete: (id) => datasets.delete(id),
  });
}
