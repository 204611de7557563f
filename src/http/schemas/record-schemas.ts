// Request and response bodies of /api/records (snake_case JSON, as the earlier Python API); the
// answers are written by json-text-serializer.ts, metadata spliced in as stored.

import { Type, type Static } from 'typebox';
import type { DataRecord } from '../../registry/records/data-record.js';
import { fieldLimits } from '../../registry/shared/field-checks.js';
import { quote, writtenBy } from '../json-text-serializer.js';
import {
  Id,
  itemName,
  lifecycleFields,
  Metadata,
  MetadataReplacement,
  MetadataText,
  NullableDescription,
  NullableString,
  PageQueryFields,
  writeLifecycleFields,
  writtenPageOf,
} from './common-schemas.js';

export const Name = itemName('live records');

export const NewRecordBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(NullableDescription),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);

export const RecordChangesBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(NullableDescription),
    metadata: Type.Optional(MetadataReplacement),
  },
  { additionalProperties: false, description: 'Only the fields given change.' },
);

export const RecordListQuery = Type.Object({
  ...PageQueryFields,
  q: Type.Optional(
    Type.String({
      maxLength: fieldLimits.searchLength,
      description:
        'Case-insensitive text to find in the name or description; `%`, `_` and `!` match themselves.',
    }),
  ),
});

export const RecordResponse = writtenBy(
  Type.Object(
    {
      id: Id,
      name: Type.String(),
      description: NullableString,
      metadata: MetadataText,
      storage_id: Type.String({
        description:
          "Where the record's files are stored; derived from the name and creation time, never changes.",
        examples: ['climate-runs-20261125T093000123Z-a1b2c3'],
      }),
      ...lifecycleFields,
    },
    { additionalProperties: false },
  ),
  (record) =>
    `{"id":${quote(record.id)},"name":${quote(record.name)},` +
    `"description":${quote(record.description)},"metadata":${record.metadata},` +
    `"storage_id":${quote(record.storage_id)},${writeLifecycleFields(record)}}`,
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
