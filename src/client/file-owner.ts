// Whose files a transfer is about: a record's own, or one of its datasets' (`--dataset ID`).

import { DataRegistryError } from '../shared/errors.js';
import type { RecordJson } from './api-types.js';
import type { RegistryClient } from './registry-client.js';

export interface FileOwner {
  /** The API path of the owner, `/api/records/42` or `/api/datasets/7`; its files are under it. */
  readonly path: string;
  /** What a resume state file records: the record's id, or `dataset:<id>`. */
  readonly stateId: string;
  /** For messages: record `climate runs` (42), or dataset `raw` (7) of record `climate runs`. */
  readonly label: string;
}

export function recordOwner(record: RecordJson): FileOwner {
  return {
    path: `/api/records/${record.id}`,
    stateId: record.id,
    label: `record \`${record.name}\` (${record.id})`,
  };
}

/**
 * The dataset `datasetId` of `record`, as a file owner.
 *
 * @throws DataRegistryError DATASET_NOT_FOUND when no live dataset has the id, or it belongs to
 *   another record; INVALID_ARGUMENT for an id that is not one.
 */
export async function datasetOwner(
  client: RegistryClient,
  record: RecordJson,
  datasetId: string,
): Promise<FileOwner> {
  if (!/^[1-9][0-9]{0,18}$/.test(datasetId)) {
    throw new DataRegistryError(
      'INVALID_ARGUMENT',
      `--dataset \`${datasetId}\`: give a dataset's id, a positive whole number.`,
    );
  }
  const dataset = await client.json<{ id: string; record_id: string; name: string }>(
    'GET',
    `/api/datasets/${datasetId}`,
  );
  if (dataset.record_id !== record.id) {
    throw new DataRegistryError(
      'DATASET_NOT_FOUND',
      `Dataset ${datasetId} belongs to record ${dataset.record_id}, not to record \`${record.name}\` (${record.id}); give its own record.`,
      { id: datasetId },
    );
  }
  return {
    path: `/api/datasets/${dataset.id}`,
    stateId: `dataset:${dataset.id}`,
    label: `dataset \`${dataset.name}\` (${dataset.id}) of record \`${record.name}\``,
  };
}
