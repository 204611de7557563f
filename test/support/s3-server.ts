// A real S3-protocol server for tests: s3rver (npm) on 127.0.0.1, in a temporary folder, with
// one bucket. s3rver 3.7.1 lacks ListMultipartUploads, ListParts and AbortMultipartUpload, and
// its PutObject/UploadPart answer before the bytes reach the disk and overwrite objects in place,
// and it answers `Range: bytes=0-0` with the whole object; this module adds the three operations
// in front of its router and patches its store (see patchS3rverStore). Inspection helpers read s3rver's folder directly, so assertions
// about what is left in the bucket do not depend on the code under test.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const require = createRequire(import.meta.url);

/** s3rver's default credentials: it checks signatures against them. */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3Server {
  /** `http://127.0.0.1:<port>`: use with forcePathStyle. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly credentials: typeof s3rverCredentials;
  /** Keys of every object in the bucket, sorted, read from s3rver's folder. */
  listObjectKeys(): Promise<string[]>;
  /** Unfinished multipart uploads in the bucket, read from s3rver's folder. */
  listUnfinishedUploads(): Promise<{ key: string; uploadId: string }[]>;
  /** Backdates an object: s3rver answers LastModified from its file's mtime. */
  setLastModified(key: string, time: Date): Promise<void>;
  stop(): Promise<void>;
}

// The parts of s3rver (CommonJS, untyped) this module uses.
interface S3rverStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: object, md5: string): Promise<void>;
  putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
  getObject(
    bucket: string,
    key: string,
    options?: { start?: number; end?: number },
  ): Promise<(S3rverObject & { range?: { start: number; end: number } }) | null>;
  listObjects(
    bucket: string,
    options: { maxKeys?: number; startAfter?: string },
  ): Promise<S3rverListing>;
  putPart(
    bucket: string,
    uploadId: string,
    partNumber: string | number,
    content: Readable,
  ): Promise<{ size: number; md5: string }>;
}
interface S3rverListing {
  objects: { key: string }[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
interface S3rverObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: object;
}
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  type: string;
}
type Middleware = (context: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInstance {
  readonly store: S3rverStore;
  readonly middleware: Middleware[];
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: object) => S3rverInstance;
type S3ErrorClass = new (code: string, message?: string, detail?: object) => Error;

const S3rver = require('s3rver') as S3rverClass;

/** The CORS rule of docs/ui.md: PUT from the interface's origin, the ETag readable. */
function corsConfiguration(origin: string): string {
  return `<CORSConfiguration><CORSRule><AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

const S3Error = require('s3rver/lib/models/error') as S3ErrorClass;

/**
 * Starts s3rver with one bucket. `corsOrigin`: a page origin (or `*`) allowed to PUT parts and
 * read their ETag (the bucket CORS rule a browser's direct uploads need).
 */
export async function startS3Server(
  bucket = 'test-bucket',
  options: { corsOrigin?: string } = {},
): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'dataregistry-s3rver-'));
  const configs = options.corsOrigin === undefined ? [] : [corsConfiguration(options.corsOrigin)];
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs }],
    vhostBuckets: false,
  });
  patchS3rverStore(server.store);
  const uploadsFolder = join(directory, bucket, '._S3rver_uploads');
  // Just before the router (the last middleware), after s3rver's XML encoder and error handler.
  server.middleware.splice(server.middleware.length - 1, 0, multipartOperations(uploadsFolder));
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    credentials: s3rverCredentials,
    listObjectKeys: async () => (await walkObjectKeys(join(directory, bucket), '')).sort(),
    listUnfinishedUploads: async () =>
      (await readUploads(uploadsFolder)).map(({ key, uploadId }) => ({ key, uploadId })),
    setLastModified: (key, time) =>
      utimes(server.store.getResourcePath(bucket, key, 'object'), time, time),
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Fixes s3rver's store: writes finish before it answers and rename into place (S3's atomic
 * replace), `Range: bytes=0-0` gives one byte (s3rver reads `end || Infinity`), and listings
 * come in S3's key order, UTF-8 bytes (s3rver's follow its folder's readdir order).
 */
function patchS3rverStore(store: S3rverStore): void {
  const listObjects = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    // s3rver compares with JavaScript's `<` (UTF-16), so its StartAfter is applied here instead.
    const listing = await listObjects(bucket, { ...options, startAfter: '', maxKeys: Infinity });
    const startAfter = Buffer.from(options.startAfter ?? '');
    const objects = listing.objects
      .filter((object) => Buffer.compare(Buffer.from(object.key), startAfter) > 0)
      .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    const maxKeys = options.maxKeys ?? Infinity;
    return {
      ...listing,
      objects: objects.slice(0, maxKeys),
      isTruncated: listing.isTruncated || objects.length > maxKeys,
    };
  };
  const getObject = store.getObject.bind(store);
  store.getObject = async (bucket, key, options) => {
    const object = await getObject(bucket, key, options);
    if (object?.range !== undefined && options?.end === 0 && object.range.start === 0) {
      (object.content as Readable).destroy();
      object.content = createReadStream(store.getResourcePath(bucket, key, 'object'), {
        start: 0,
        end: 0,
      });
      object.range = { start: 0, end: 0 };
    }
    return object;
  };
  store.putObject = async (object) => {
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    const content = Buffer.isBuffer(object.content)
      ? Readable.from([object.content])
      : object.content;
    const { size, md5 } = await writeAtomically(path, content);
    await store.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size, md5 };
  };
  store.putPart = async (bucket, uploadId, partNumber, content) => {
    const path = join(
      store.getResourcePath(bucket, undefined, 'uploads'),
      uploadId,
      `${partNumber}`,
    );
    const written = await writeAtomically(path, content);
    await writeFile(`${path}.md5`, written.md5);
    return written;
  };
}

async function writeAtomically(
  path: string,
  content: Readable,
): Promise<{ size: number; md5: string }> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const hash = createHash('md5');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(content, meter, createWriteStream(temp));
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { size, md5: hash.digest('hex') };
}

interface StoredUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

/**
 * ListMultipartUploads, ListParts and AbortMultipartUpload on s3rver's upload folders
 * (`._S3rver_uploads/<id>/{key, metadata, <n>, <n>.md5}`), and NoSuchUpload for UploadPart and
 * CompleteMultipartUpload on an unknown upload (s3rver would create or fail on one).
 * Path-style requests only. https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
 */
function multipartOperations(uploadsFolder: string): Middleware {
  return async (context, next) => {
    const [bucket, ...keySegments] = context.path.slice(1).split('/').map(decodeURIComponent);
    const key = keySegments.join('/');
    const query = context.query;
    const uploadId = typeof query.uploadId === 'string' ? query.uploadId : undefined;
    if (bucket === undefined || bucket === '') return next();
    if (key === '' && context.method === 'GET' && 'uploads' in query) {
      context.type = 'application/xml';
      context.body = listUploadsXml(bucket, await readUploads(uploadsFolder), query);
      return;
    }
    if (key === '' || uploadId === undefined) return next();
    const upload = (await readUploads(uploadsFolder)).find((u) => u.uploadId === uploadId);
    if (upload === undefined || upload.key !== key)
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', {
        UploadId: uploadId,
      });
    if (context.method === 'GET') {
      context.type = 'application/xml';
      context.body = await listPartsXml(bucket, upload, join(uploadsFolder, uploadId), query);
      return;
    }
    if (context.method === 'DELETE') {
      await rm(join(uploadsFolder, uploadId), { recursive: true, force: true });
      context.status = 204;
      return;
    }
    return next();
  };
}

async function readUploads(uploadsFolder: string): Promise<StoredUpload[]> {
  let ids: string[];
  try {
    ids = await readdir(uploadsFolder);
  } catch {
    return [];
  }
  const uploads: StoredUpload[] = [];
  for (const uploadId of ids) {
    try {
      const keyFile = join(uploadsFolder, uploadId, 'key');
      const [key, stats] = await Promise.all([readFile(keyFile, 'utf8'), stat(keyFile)]);
      uploads.push({ key, uploadId, initiated: stats.birthtime });
    } catch {
      continue; // completed or aborted meanwhile
    }
  }
  return uploads.sort((a, b) =>
    a.key === b.key ? compare(a.uploadId, b.uploadId) : compare(a.key, b.key),
  );
}

function listUploadsXml(
  bucket: string,
  all: readonly StoredUpload[],
  query: KoaContext['query'],
): string {
  const prefix = stringParam(query['prefix']) ?? '';
  const keyMarker = stringParam(query['key-marker']) ?? '';
  const uploadIdMarker = stringParam(query['upload-id-marker']) ?? '';
  const maxUploads = Number(stringParam(query['max-uploads']) ?? 1000);
  const after = all.filter(
    (u) =>
      u.key.startsWith(prefix) &&
      (u.key > keyMarker ||
        (u.key === keyMarker && uploadIdMarker !== '' && u.uploadId > uploadIdMarker)),
  );
  const page = after.slice(0, maxUploads);
  const last = page.at(-1);
  const isTruncated = after.length > page.length && last !== undefined;
  return xml('ListMultipartUploadsResult', [
    element('Bucket', bucket),
    element('KeyMarker', keyMarker),
    element('UploadIdMarker', uploadIdMarker),
    element('Prefix', prefix),
    element('MaxUploads', String(maxUploads)),
    element('IsTruncated', String(isTruncated)),
    ...(isTruncated
      ? [element('NextKeyMarker', last.key), element('NextUploadIdMarker', last.uploadId)]
      : []),
    ...page.map(
      (u) =>
        `<Upload>${element('Key', u.key)}${element('UploadId', u.uploadId)}` +
        `${element('Initiated', u.initiated.toISOString())}${element('StorageClass', 'STANDARD')}</Upload>`,
    ),
  ]);
}

async function listPartsXml(
  bucket: string,
  upload: StoredUpload,
  folder: string,
  query: KoaContext['query'],
): Promise<string> {
  const marker = Number(stringParam(query['part-number-marker']) ?? 0);
  const maxParts = Number(stringParam(query['max-parts']) ?? 1000);
  const numbers = (await readdir(folder))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((n) => n > marker)
    .sort((a, b) => a - b);
  const page = numbers.slice(0, maxParts);
  const isTruncated = numbers.length > page.length;
  const parts = await Promise.all(
    page.map(async (n) => {
      const [stats, md5] = await Promise.all([
        stat(join(folder, `${n}`)),
        readFile(join(folder, `${n}.md5`), 'utf8'),
      ]);
      return (
        `<Part>${element('PartNumber', `${n}`)}${element('LastModified', stats.mtime.toISOString())}` +
        `${element('ETag', `"${md5}"`)}${element('Size', `${stats.size}`)}</Part>`
      );
    }),
  );
  return xml('ListPartsResult', [
    element('Bucket', bucket),
    element('Key', upload.key),
    element('UploadId', upload.uploadId),
    element('PartNumberMarker', `${marker}`),
    element('MaxParts', `${maxParts}`),
    element('IsTruncated', String(isTruncated)),
    ...(isTruncated ? [element('NextPartNumberMarker', `${page.at(-1)}`)] : []),
    ...parts,
  ]);
}

async function walkObjectKeys(folder: string, keyPrefix: string): Promise<string[]> {
  const suffix = '._S3rver_object';
  const keys: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (keyPrefix === '' && entry.name === '._S3rver_uploads') continue;
      keys.push(...(await walkObjectKeys(join(folder, entry.name), `${keyPrefix}${entry.name}/`)));
    } else if (entry.name.endsWith(suffix)) {
      keys.push(keyPrefix + entry.name.slice(0, -suffix.length));
    }
  }
  return keys;
}

function stringParam(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function xml(root: string, children: readonly string[]): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${children.join('')}</${root}>`
  );
}

function element(name: string, value: string): string {
  const escaped = value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<${name}>${escaped}</${name}>`;
}
