// A local file to upload: its path, the name it gets in the registry, size, modification time
// and a content type guessed from its extension.

import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { DataRegistryError } from '../shared/errors.js';
import { localFileError } from './local-file-error.js';

export interface SourceFile {
  readonly path: string;
  /** The file's name in the registry: the path's last component. */
  readonly name: string;
  readonly size: number;
  readonly modifiedMs: number;
  readonly contentType: string;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.jsonl': 'application/jsonl',
  '.xml': 'application/xml',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.parquet': 'application/vnd.apache.parquet',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.nc': 'application/x-netcdf',
  '.h5': 'application/x-hdf5',
};

/** @throws DataRegistryError INVALID_ARGUMENT when the path is missing or not a file. */
export async function readSourceFile(path: string): Promise<SourceFile> {
  const info = await stat(path).catch((error: unknown) => {
    throw localFileError(error, path, 'read');
  });
  if (!info.isFile()) {
    throw new DataRegistryError('INVALID_ARGUMENT', `Cannot upload ${path}: it is not a file.`, {
      path,
    });
  }
  return {
    path,
    name: basename(path),
    size: info.size,
    modifiedMs: info.mtimeMs,
    contentType: contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
  };
}
