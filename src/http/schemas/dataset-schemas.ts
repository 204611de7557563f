// Request and response bodies of datasets (snake_case JSON); the answers are written by
// json-text-serializer.ts, metadata spliced in as stored.

import { Type, type Static } from 'typebox';
import type { Dataset } from '../../registry/datasets/dataset.js';
import { fieldLimits } from '../../registry/shared/field-checks.js';
import { quote, writtenBy } from '../json-text-serializer.js';
import { Id, idPattern, PageQueryFields, writtenPageOf } from './common-schemas.js';
import * as item from './item-schemas.js';

const Name = item.name("the record's live datasets");

const DataType = Type.String({
  minLength: 1,
  maxLength: fieldLimits.dataTypeLength,
  description: 'What the data is (`csv`, `parquet`, `images`…); same character rules as names.',
});

export const RecordIdParams = Type.Object({
  record_id: Type.String({ pattern: idPattern, description: 'The id of a live record.' }),
});

export const NewDatasetBody = item.newBody(Name, { data_type: DataType });

export const DatasetChangesBody = item.changesBody(Name, { data_type: Type.Optional(DataType) });

export const DatasetListQuery = Type.Object({ ...PageQueryFields });

export const DatasetResponse = writtenBy(
  Type.Object(
    {
      id: Id,
      record_id: Id,
      name: Type.String(),
      description: item.Description,
      data_type: Type.String(),
      metadata: item.MetadataText,
      ...item.lifecycleFields,
    },
    { additionalProperties: false },
  ),
  (dataset) =>
    `{"id":${quote(dataset.id)},"record_id":${quote(dataset.record_id)},` +
    `"name":${quote(dataset.name)},"description":${quote(dataset.description)},` +
    `"data_type":${quote(dataset.data_type)},"metadata":${dataset.metadata},` +
    `${item.writeLifecycleFields(dataset)}}`,
);

export const DatasetPage = writtenPageOf(DatasetResponse);

export type DatasetJson = Static<typeof DatasetResponse>;

export function toDatasetJson(dataset: Dataset): DatasetJson {
  return {
    id: dataset.id,
    record_id: dataset.recordId,
    name: dataset.name,
    description: dataset.description,
    data_type: dataset.dataType,
    metadata: dataset.metadata,
    created_at: dataset.createdAt,
    updated_at: dataset.updatedAt,
    deleted_at: dataset.deletedAt,
  };
}
