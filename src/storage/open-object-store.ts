// Opens the object store a storage location names: a local folder, or S3 (whose SDK is loaded
// only then, to keep CLI start-up fast). The only place that chooses an implementation.

import type { ObjectStore, StorageSettings } from './object-store.js';
import { parseStorageLocation } from './storage-location.js';

export type { ObjectStore, StorageSettings } from './object-store.js';

/**
 * Parses `settings.location` (INVALID_CONFIG when it is neither a folder nor s3://bucket/prefix)
 * and returns its store. Local: creates the folder if missing (STORAGE_UNAVAILABLE if it cannot).
 * S3: sends no request; credentials come from the SDK's default chain.
 *
 * @example
 * const store = await openObjectStore({ location: 's3://my-bucket/files', s3Region: 'eu-west-1' });
 */
export async function openObjectStore(settings: StorageSettings): Promise<ObjectStore> {
  const location = parseStorageLocation(settings.location);
  if (location.kind === 'local') {
    const { openLocalObjectStore } = await import('./local-object-store.js');
    return openLocalObjectStore(location.folder);
  }
  const { openS3ObjectStore } = await import('./s3-object-store.js');
  return openS3ObjectStore(location, settings);
}
