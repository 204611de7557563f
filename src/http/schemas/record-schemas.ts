// Request and response bodies of /api/records (snake_case JSON, as the earlier Python API).

import { Type, type Static } from 'typebox';
import type { DataRecord } from '../../registry/records/data-record.js';
import type { Page } from '../../registry/shared/page-cursor.js';
import {
  Id,
  Metadata,
  MetadataReplacement,
  NextCursor,
  NullableDescription,
  PageQueryFields,
  Timestamp,
} from './common-schemas.js';

export const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  description:
    'Unique among live records; 1 to 200 characters, no control characters, no whitespace at either end.',
});

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
      maxLength: 200,
      description:
        'Case-insensitive text to find in the name or description; `%`, `_` and `!` match themselves.',
    }),
  ),
});

export const RecordResponse = Type.Object(
  {
    id: Id,
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    metadata: Metadata,
    storage_id: Type.String({
      description:
        "Where the record's files are stored; derived from the name and creation time, never changes.",
      examples: ['climate-runs-20261125T093000123Z-a1b2c3'],
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
    deleted_at: Type.Union([Timestamp, Type.Null()], { description: 'Null while live.' }),
  },
  { additionalProperties: false },
);

export const RecordPage = Type.Object(
  { items: Type.Array(RecordResponse), next_cursor: NextCursor },
  { additionalProperties: false },
);

export type RecordJson = Static<typeof RecordResponse>;

// The JSON text of records is written here rather than by Fastify's schema-driven serializer,
// which walks the metadata key by key and checks every nullable field against the schema again:
// a page of records is the API's busiest answer. The stored metadata text goes in as it is (it
// was written by JSON.stringify), the other fields through JSON.stringify, in the schema's order;
// test/http/record-json.test.ts checks the bytes against the schema-driven serializer's.

const quote = JSON.stringify;

/** A record as `RecordResponse` JSON text. */
export function recordJsonText(record: DataRecord): string {
  return (
    `{"id":${quote(record.id)},"name":${quote(record.name)},` +
    `"description":${quote(record.description)},"metadata":${record.metadataJson},` +
    `"storage_id":${quote(record.storageId)},"created_at":${quote(record.createdAt)},` +
    `"updated_at":${quote(record.updatedAt)},"deleted_at":${quote(record.deletedAt)}}`
  );
}

/** A page of records as `RecordPage` JSON text. */
export function recordPageJsonText(page: Page<DataRecord>): string {
  return `{"items":[${page.items.map(recordJsonText).join(',')}],"next_cursor":${quote(page.nextCursor)}}`;
}
