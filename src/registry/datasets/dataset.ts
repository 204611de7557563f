// A dataset as the registry hands it out, and what creating or changing one takes.

import type { JsonText } from '../shared/json-text.js';

export interface Dataset {
  /** 64-bit id as a decimal string. */
  readonly id: string;
  readonly recordId: string;
  readonly name: string;
  readonly description: string | null;
  /** What the data is, in the client's words (`csv`, `parquet`, `images`…). */
  readonly dataType: string;
  /** The metadata, a JSON object, as the JSON text stored (registry/shared/json-text.ts). */
  readonly metadata: JsonText;
  /** ISO-8601 UTC with milliseconds. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Null while the dataset is live. */
  readonly deletedAt: string | null;
}

export interface NewDataset {
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly dataType: string;
  /** Default `{}`. */
  readonly metadata?: unknown;
}

/** The fields to change; absent fields stay as they are, a null description clears it. */
export interface DatasetChanges {
  readonly name?: string | undefined;
  readonly description?: string | null | undefined;
  readonly dataType?: string | undefined;
  readonly metadata?: unknown;
}

export interface DatasetListQuery {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  /** Also list deleted datasets. Default false. */
  readonly includeDeleted?: boolean | undefined;
}
