// The services the API calls, built over one open database and wired to each other (uploads go
// through files). Chooses no implementation: the caller (`serve`, the tests) passes the store.

import type { DatabaseHandle } from '../db/database-handle.js';
import type { ObjectStore } from '../storage/object-store.js';
import { ApiKeyService } from './api-keys/api-key-service.js';
import { DatasetService } from './datasets/dataset-service.js';
import { DownloadLinkService } from './files/download-link-service.js';
import { FileService } from './files/file-service.js';
import { RecordService } from './records/record-service.js';
import { UploadService } from './uploads/upload-service.js';

export interface RegistryServices {
  readonly records: RecordService;
  readonly datasets: DatasetService;
  /** Files, upload sessions and download links: present together, when the options name a store. */
  readonly files?: FileService | undefined;
  readonly uploads?: UploadService | undefined;
  readonly downloadLinks?: DownloadLinkService | undefined;
}

export interface FileServicesOptions {
  /** Where files are stored; never closed here. */
  readonly store: ObjectStore;
  /** The largest file accepted, in bytes (DATA_REGISTRY_MAX_UPLOAD_BYTES). */
  readonly maxUploadBytes: number;
  /** Told when an object no longer needed could not be removed (`purge` will); see FileService. */
  readonly onCleanupError?: ((error: unknown, key: string) => void) | undefined;
}

export interface RegistryServicesOptions {
  readonly files?: FileServicesOptions | undefined;
  /**
   * The static API key (DATA_REGISTRY_API_KEY), whose download links are signed with a key
   * derived from it; undefined when none is configured.
   */
  readonly staticApiKey?: string | undefined;
}

/**
 * Builds the services; with `files` also the file, upload and download-link services. The
 * caller keeps `handle` open while they are used, and closes it.
 */
export function buildRegistryServices(
  handle: DatabaseHandle,
  options: RegistryServicesOptions = {},
): RegistryServices {
  const records = new RecordService(handle);
  const datasets = new DatasetService(handle);
  if (options.files === undefined) return { records, datasets };
  const { store } = options.files;
  const files = new FileService(handle, options.files);
  const downloadLinks = new DownloadLinkService({
    files,
    keys: new ApiKeyService(handle),
    staticKey: options.staticApiKey,
  });
  return {
    records,
    datasets,
    files,
    uploads: new UploadService(handle, { store, files }),
    downloadLinks,
  };
}

/**
 * For buildServer's `isDatabaseUnavailable`: whether an error no service translated is, to the
 * dialect, a lost or refused connection.
 */
export function isDatabaseUnavailableOn(handle: DatabaseHandle): (error: unknown) => boolean {
  return (error) => handle.dialect.classifyError(error) === 'connection';
}
