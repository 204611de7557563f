// The object stores file tests run on: a local folder and s3rver on loopback. Each test store
// can say what it holds, read directly (the folder's files, temporary ones included; the bucket's
// objects and unfinished multipart uploads), so that "nothing was left behind" does not depend on
// the code under test.

import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { openLocalObjectStore } from '../../src/storage/local-object-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openS3ObjectStore } from '../../src/storage/s3-object-store.js';
import { startS3Server } from './s3-server.js';

export type StoreKind = 'local' | 's3';
export const storeKinds: readonly StoreKind[] = ['local', 's3'];

/** The part size of S3 uploads in tests: S3's smallest, so that a 6 MiB file has two parts. */
export const testPartSize = 5 * 1024 * 1024;

export interface TestStore {
  readonly kind: StoreKind;
  readonly store: ObjectStore;
  /** The S3 endpoint (s3rver's), for processes that open the store themselves. */
  readonly s3Endpoint?: string;
  /** Every file or object in the store, temporary files included, as sorted keys. */
  listEverything(): Promise<string[]>;
  /** Unfinished multipart uploads (S3; always empty for a folder). */
  listUnfinishedUploads(): Promise<{ key: string; uploadId: string }[]>;
  /** Backdates an object (its file's mtime; s3rver's LastModified is that too). */
  setLastModified(key: string, time: Date): Promise<void>;
  close(): Promise<void>;
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'local') {
    const folder = await mkdtemp(join(tmpdir(), 'dr-files-'));
    const store = await openLocalObjectStore(folder);
    return {
      kind,
      store,
      listEverything: async () =>
        (await walk(folder)).map((path) => relative(folder, path).split(sep).join('/')).sort(),
      listUnfinishedUploads: () => Promise.resolve([]),
      setLastModified: (key, time) => utimes(join(folder, ...key.split('/')), time, time),
      close: () => rm(folder, { recursive: true, force: true }),
    };
  }
  const server = await startS3Server();
  const store = await openS3ObjectStore(
    { bucket: server.bucket, prefix: 'registry' },
    {
      location: `s3://${server.bucket}/registry`,
      s3Endpoint: server.endpoint,
      s3ForcePathStyle: true,
      s3Region: 'us-east-1',
    },
    { credentials: server.credentials, putPartSize: testPartSize, multipartPartSize: testPartSize },
  );
  return {
    kind,
    store,
    s3Endpoint: server.endpoint,
    listEverything: () => server.listObjectKeys(),
    listUnfinishedUploads: () => server.listUnfinishedUploads(),
    setLastModified: (key, time) => server.setLastModified(`registry/${key}`, time),
    close: () => server.stop(),
  };
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(folder, entry.name);
      return entry.isDirectory() ? walk(path) : Promise.resolve([path]);
    }),
  );
  return nested.flat();
}
