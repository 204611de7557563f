// Where a file's bytes go in the object store. Pure apart from the random part of the version.

import { randomBytes } from 'node:crypto';

/**
 * The key of one stored version of a file:
 * `<record storage_id>/<version>/<file name>` for a record's own files and
 * `<record storage_id>/datasets/<dataset id>/<version>/<file name>` for a dataset's, where
 * `<version>` is `<yyyymmddThhmmssmmmZ>-<8 hex>`, new for every upload. Every record's bytes stay
 * under its `storage_id/` (purge removes a deleted record's objects by that prefix), the last
 * segment is the file's own name (so `aws s3 cp --recursive` restores names), and no key is ever
 * written twice: a replacement is stored beside the version it replaces, and the database row is
 * switched only once it is complete. The name has passed checkFileName, so no segment is empty,
 * `.` or `..`.
 *
 * @example fileStorageKey({ storageId: 'climate-20261125T093000123Z-a1b2c3', datasetId: null },
 *   'runs.csv', new Date('2026-11-26T10:00:00.000Z'), '0badc0de')
 *   // → 'climate-20261125T093000123Z-a1b2c3/20261126T100000000Z-0badc0de/runs.csv'
 */
export function fileStorageKey(
  owner: { readonly storageId: string; readonly datasetId: string | null },
  name: string,
  now: Date,
  random: string = randomBytes(4).toString('hex'),
): string {
  const version = `${now.toISOString().replace(/[-:.]/g, '')}-${random}`;
  return `${ownerKeyPrefix(owner)}${version}/${name}`;
}

/** The prefix of every key of the owner's files, ending in `/`. */
export function ownerKeyPrefix(owner: {
  readonly storageId: string;
  readonly datasetId: string | null;
}): string {
  return owner.datasetId === null
    ? `${owner.storageId}/`
    : `${owner.storageId}/datasets/${owner.datasetId}/`;
}

// `<yyyymmddThhmmssmmmZ>-<8 hex>`, as fileStorageKey writes a version.
const versionPattern = /^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$/;
const datasetIdPattern = /^[1-9][0-9]*$/;

/**
 * The record storage id of a key laid out as fileStorageKey writes them, or undefined for any
 * other key (a file name has no `/`, so the segments are exact).
 *
 * @example storageIdOfFileKey('climate-20261125T093000123Z-a1b2c3/20261126T100000000Z-0badc0de/runs.csv')
 *   // → 'climate-20261125T093000123Z-a1b2c3'; storageIdOfFileKey('reports/q3.pdf') → undefined
 */
export function storageIdOfFileKey(key: string): string | undefined {
  const [storageId, second, third, fourth, ...rest] = key.split('/');
  if (storageId === undefined || storageId === '') return undefined;
  if (fourth === undefined) {
    return third !== undefined && versionPattern.test(second ?? '') ? storageId : undefined;
  }
  const isDatasetKey =
    rest.length === 1 &&
    second === 'datasets' &&
    datasetIdPattern.test(third ?? '') &&
    versionPattern.test(fourth);
  return isDatasetKey ? storageId : undefined;
}
