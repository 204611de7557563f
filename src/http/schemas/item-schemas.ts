// What the schemas of records and datasets (the items) share: the name, the request bodies —
// name, description, the item's own fields, metadata — and the fields of their answers. Limits
// come from registry/shared/field-checks.ts. Imported as a namespace: `item.newBody(…)`.

import { Type, type Static, type TProperties, type TString } from 'typebox';
import { fieldLimits } from '../../registry/shared/field-checks.js';
import type { JsonText } from '../../registry/shared/json-text.js';
import { quote } from '../json-text-serializer.js';
import { Timestamp } from './common-schemas.js';

const metadataKiB = fieldLimits.metadataBytes / 1024;

export const Metadata = Type.Object(
  {},
  {
    additionalProperties: true,
    description: `Any JSON object: at most ${metadataKiB} KiB serialised and ${fieldLimits.metadataDepth} levels deep.`,
  },
);

export const MetadataReplacement = Type.Object(
  {},
  {
    additionalProperties: true,
    description: `Replaces the whole metadata: any JSON object, at most ${metadataKiB} KiB and ${fieldLimits.metadataDepth} levels deep.`,
  },
);

export const NullableDescription = Type.Union(
  [Type.String({ maxLength: fieldLimits.descriptionLength }), Type.Null()],
  {
    description: `Free text up to ${fieldLimits.descriptionLength.toLocaleString('en-US')} characters; tabs and line breaks allowed; null for none.`,
  },
);

/** The name of a record or dataset, unique among `uniqueAmong`. */
export function name(uniqueAmong: string) {
  return Type.String({
    minLength: 1,
    maxLength: fieldLimits.nameLength,
    description: `Unique among ${uniqueAmong}; 1 to ${fieldLimits.nameLength} characters, no control characters, no whitespace at either end.`,
  });
}

/** The body that creates an item: its name, a description, its `own` fields, metadata. */
export function newBody<Own extends TProperties>(itemName: TString, own: Own) {
  return Type.Object(
    {
      name: itemName,
      description: Type.Optional(NullableDescription),
      ...own,
      metadata: Type.Optional(Metadata),
    },
    { additionalProperties: false },
  );
}

/** The body that changes an item: the same fields, each optional (`own` ones made so already). */
export function changesBody<Own extends TProperties>(itemName: TString, own: Own) {
  return Type.Object(
    {
      name: Type.Optional(itemName),
      description: Type.Optional(NullableDescription),
      ...own,
      metadata: Type.Optional(MetadataReplacement),
    },
    { additionalProperties: false, description: 'Only the fields given change.' },
  );
}

/** The description in answers. */
export const Description = Type.Union([Type.String(), Type.Null()]);

/** Metadata in answers: the JSON text stored, spliced in by the writers of json-text-serializer.ts. */
export const MetadataText = Type.Unsafe<JsonText>(Metadata);

/** The fields answers end with, in this order. */
export const lifecycleFields = {
  created_at: Timestamp,
  updated_at: Timestamp,
  deleted_at: Type.Union([Timestamp, Type.Null()], { description: 'Null while live.' }),
};

type LifecycleJson = {
  [Key in keyof typeof lifecycleFields]: Static<(typeof lifecycleFields)[Key]>;
};

/** {@link lifecycleFields} as JSON text, for writers. */
export function writeLifecycleFields(value: LifecycleJson): string {
  return `"created_at":${quote(value.created_at)},"updated_at":${quote(value.updated_at)},"deleted_at":${quote(value.deleted_at)}`;
}
