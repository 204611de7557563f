// Request and response bodies of /api/records (snake_case JSON, as the earlier Python API); the
// answers are written by json-text-serializer.ts, metadata spliced in as stored.

import { Type, type Static } from 'typebox';
import { recordOrders, type DataRecord } from '../../registry/records/data-record.js';
import { fieldLimits } from '../../registry/shared/field-checks.js';
import { quote, writtenBy } from '../json-text-serializer.js';
import { Id, PageQueryFields, writtenPageOf } from './common-schemas.js';
import * as item from './item-schemas.js';

export const Name = item.name('live records');

export const NewRecordBody = item.newBody(Name, {});

export const RecordChangesBody = item.changesBody(Name, {});

export const RecordListQuery = Type.Object({
  ...PageQueryFields,
  q: Type.Optional(
    Type.String({
      maxLength: fieldLimits.searchLength,
      description:
        'Case-insensitive text to find in the name or description; `%`, `_` and `!` match themselves.',
    }),
  ),
  order: Type.Optional(
    Type.Union(
      recordOrders.map((order) => Type.Literal(order)),
      {
        default: 'oldest',
        description:
          '`oldest` lists in creation order, `newest` newest first; both are keyset-paginated, and a `next_cursor` continues the order it came from.',
      },
    ),
  ),
});

export const RecordResponse = writtenBy(
  Type.Object(
    {
      id: Id,
      name: Type.String(),
      description: item.Description,
      metadata: item.MetadataText,
      storage_id: Type.String({
        description:
          "Where the record's files are stored; derived from the name and creation time, never changes.",
        examples: ['climate-runs-20261125T093000123Z-a1b2c3'],
      }),
      ...item.lifecycleFields,
    },
    { additionalProperties: false },
  ),
  (record) =>
    `{"id":${quote(record.id)},"name":${quote(record.name)},` +
    `"description":${quote(record.description)},"metadata":${record.metadata},` +
    `"storage_id":${quote(record.storage_id)},${item.writeLifecycleFields(record)}}`,
);

export const RecordPage = writtenPageOf(RecordResponse);

export type RecordJson = Static<typeof RecordResponse>;

export function toRecordJson(record: DataRecord): RecordJson {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    metadata: record.metadata,
    storage_id: record.storageId,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    deleted_at: record.deletedAt,
  };
}
