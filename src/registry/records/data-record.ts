// A record as the registry hands it out, and what creating or changing one takes.
// (Named DataRecord: `Record` is TypeScript's own.)

import type { JsonText } from '../shared/json-text.js';

export interface DataRecord {
  /** 64-bit id as a decimal string. */
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  /** The metadata, a JSON object, as the JSON text stored (registry/shared/json-text.ts). */
  readonly metadata: JsonText;
  /** Where the record's files are stored; set at creation, never changes. */
  readonly storageId: string;
  /** ISO-8601 UTC with milliseconds, e.g. `2026-11-25T09:30:00.123Z`. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Null while the record is live. */
  readonly deletedAt: string | null;
}

export interface NewRecord {
  readonly name: string;
  readonly description?: string | null | undefined;
  /** Default `{}`. */
  readonly metadata?: unknown;
}

/** The fields to change; absent fields stay as they are, a null description clears it. */
export interface RecordChanges {
  readonly name?: string | undefined;
  readonly description?: string | null | undefined;
  readonly metadata?: unknown;
}

export interface RecordListQuery {
  /** 1 to 1000, default 100. */
  readonly limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
  /** Case-insensitive text to find in the name or description. */
  readonly search?: string | undefined;
  /** Also list deleted records. Default false. */
  readonly includeDeleted?: boolean | undefined;
  /** `oldest` (default) lists in ascending id order, `newest` in descending. */
  readonly order?: RecordOrder | undefined;
}

/** The orders of a record list; ids grow with creation, so id order is creation order. */
export const recordOrders = ['oldest', 'newest'] as const;
export type RecordOrder = (typeof recordOrders)[number];
