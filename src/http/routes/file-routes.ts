// /api/records/{id}/files and /api/datasets/{id}/files: upload (raw PUT, multipart POST), list,
// versions, delete and restore (downloads: file-download-routes.ts). Parse, one service call,
// shape the reply.

import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FileService } from '../../registry/files/file-service.js';
import type { FileOwnerRef } from '../../registry/files/stored-file.js';
import { DataRegistryError } from '../../shared/errors.js';
import { detachBody } from '../detached-body.js';
import type { HttpErrorCode } from '../http-error-status.js';
import { MultipartFileStream } from '../multipart-file-stream.js';
import { apiErrors, errorResponses, toPageJson } from '../schemas/common-schemas.js';
import {
  FileListingQuery,
  FilePage,
  FileParams,
  FileResponse,
  FileVersionListQuery,
  FileVersionPage,
  MultipartUploadBody,
  OwnerParams,
  RawUploadBody,
  toDeletedFileJson,
  toFileJson,
  toFileVersionJson,
  VersionQuery,
} from '../schemas/file-schemas.js';
import type { ApiServer } from '../server-types.js';
import { readDeclaredSha256 } from '../declared-digest-headers.js';
import { readWriteCondition } from '../write-condition-headers.js';

const tags = ['files'];

/** The two kinds of owner, and the path and not-found error of each. */
export const fileOwners = [
  { kind: 'record', path: '/api/records/:id', notFound: 'RECORD_NOT_FOUND' },
  { kind: 'dataset', path: '/api/datasets/:id', notFound: 'DATASET_NOT_FOUND' },
] as const satisfies readonly {
  kind: FileOwnerRef['kind'];
  path: string;
  notFound: HttpErrorCode;
}[];

type FileOwnerRoute = (typeof fileOwners)[number];

/** How long the rest of a body is read and discarded after an early answer (413, 404…). */
const lingerMs = 2000;

/** Room for the part headers and boundaries of a multipart upload, beyond the file itself. */
const multipartOverheadBytes = 64 * 1024;

export function registerFileRoutes(app: ApiServer, files: FileService): void {
  for (const owner of fileOwners) {
    registerReadRoutes(app, files, owner);
    // The upload routes take any body, unparsed, as a stream: in a context of their own, so that
    // every other route keeps the JSON parser.
    void app.register((uploads: ApiServer, _options, done) => {
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
      uploads.addHook('onSend', (request, reply, payload, next) => {
        // An answer given before the body was read (401, 404, 413…): close the connection rather
        // than read, and throw away, the rest of what may be gigabytes.
        if (!request.raw.complete) void reply.header('connection', 'close');
        next(null, payload);
      });
      uploads.addHook('onResponse', (request, _reply, next) => {
        if (!request.raw.complete) {
          // Discard what the client is still sending for a moment, so that it reads the answer
          // rather than a connection reset, then hang up.
          request.raw.resume();
          setTimeout(() => request.raw.socket?.destroy(), lingerMs).unref();
        }
        next();
      });
      registerUploadRoutes(uploads, files, owner);
      done();
    });
  }
}

function registerUploadRoutes(app: ApiServer, files: FileService, owner: FileOwnerRoute): void {
  const uploadErrors = errorResponses(
    ...apiErrors,
    owner.notFound,
    'FILE_TOO_LARGE',
    'FILE_EXISTS',
    'FILE_CHANGED',
    'CHECKSUM_MISMATCH',
    'STORAGE_UNAVAILABLE',
  );
  app.put(
    `${owner.path}/files/:filename`,
    {
      schema: {
        tags,
        summary: `Upload a file of a ${owner.kind}, streaming the raw body (a new version over a file of the same name)`,
        description:
          'The body is the file (`curl -T data.csv URL`), any Content-Type. 201 when the name is new (version 1), 200 when it added a version to a live file of the same name; the earlier versions are kept, and readers see the previous one until the new one is complete. `If-None-Match: *` uploads only a new name (else 412 FILE_EXISTS); `If-Match: "<sha256>"` only over the latest version with that ETag (else 412 FILE_CHANGED), both decided in the transaction that writes the version. `x-amz-checksum-sha256: <base64>` or `Repr-Digest: sha-256=:<base64>:` declares the SHA-256, checked against the bytes as they stream in (else 400 CHECKSUM_MISMATCH). Nothing is kept when the upload fails, is refused or the client disconnects.',
        params: FileParams,
        body: RawUploadBody,
        response: { 200: FileResponse, 201: FileResponse, ...uploadErrors },
      },
      validatorCompiler: bodylessValidator,
    },
    async (request, reply) => {
      const condition = readWriteCondition(request.headers);
      const declaredSha256 = readDeclaredSha256(request.headers);
      const { body, signal } = detachBody(request.raw);
      const result = await files
        .upload(refOf(owner, request.params.id), request.params.filename, body, {
          contentType: request.headers['content-type'],
          declaredSize: contentLengthOf(request),
          signal,
          createdBy: request.apiKeyName,
          condition,
          declaredSha256,
        })
        .finally(() => body.destroy());
      return reply.code(result.replaced ? 200 : 201).send(toFileJson(result.file));
    },
  );

  app.post(
    `${owner.path}/files`,
    {
      schema: {
        tags,
        summary: `Upload a file of a ${owner.kind} as multipart/form-data (browsers)`,
        description:
          "The form's `file` field is the file; its filename names it. Otherwise as PUT …/files/{filename}, conditional headers included.",
        params: OwnerParams,
        body: MultipartUploadBody,
        response: { 200: FileResponse, 201: FileResponse, ...uploadErrors },
      },
      validatorCompiler: bodylessValidator,
    },
    async (request, reply) => {
      const boundary = MultipartFileStream.boundaryOf(request.headers['content-type']);
      const condition = readWriteCondition(request.headers);
      const declaredSha256 = readDeclaredSha256(request.headers);
      const length = contentLengthOf(request);
      checkMultipartLength(files, length);
      const { body, signal } = detachBody(request.raw, new MultipartFileStream(boundary));
      const result = await body.file
        .then((part) =>
          files.upload(refOf(owner, request.params.id), part.filename, body, {
            contentType: part.contentType,
            sizeHint: length,
            signal,
            createdBy: request.apiKeyName,
            condition,
            declaredSha256,
          }),
        )
        .finally(() => body.destroy());
      return reply.code(result.replaced ? 200 : 201).send(toFileJson(result.file));
    },
  );
}

function registerReadRoutes(app: ApiServer, files: FileService, owner: FileOwnerRoute): void {
  app.get(
    `${owner.path}/files`,
    {
      schema: {
        tags,
        summary: `List the live files of a ${owner.kind} (the latest version of each), or its deleted ones (?deleted=true), oldest upload first`,
        params: OwnerParams,
        querystring: FileListingQuery,
        response: { 200: FilePage, ...errorResponses(...apiErrors, owner.notFound) },
      },
    },
    async (request) => {
      const ref = refOf(owner, request.params.id);
      const { deleted, ...page } = request.query;
      if (deleted === true)
        return toPageJson(await files.listDeleted(ref, page), toDeletedFileJson);
      return toPageJson(await files.list(ref, page), toFileJson);
    },
  );

  app.get(
    `${owner.path}/files/:filename/versions`,
    {
      schema: {
        tags,
        summary: `List the versions of a file of a ${owner.kind}, newest first`,
        description:
          'The latest version, then the earlier ones still kept (deleted versions are left out).',
        params: FileParams,
        querystring: FileVersionListQuery,
        response: {
          200: FileVersionPage,
          ...errorResponses(...apiErrors, owner.notFound, 'FILE_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const ref = refOf(owner, request.params.id);
      const page = await files.listVersions(ref, request.params.filename, request.query);
      return toPageJson(page, toFileVersionJson);
    },
  );

  app.delete(
    `${owner.path}/files/:filename`,
    {
      schema: {
        tags,
        summary: `Delete a file of a ${owner.kind} with all its versions, or one version (?version=N)`,
        description:
          'A soft delete: `POST …/files/{filename}/restore` brings the file back until `purge` removes it for good. Deleting the latest version makes the previous one the latest; deleting the only one deletes the file.',
        params: FileParams,
        querystring: VersionQuery,
        response: {
          204: Type.Null({ description: 'Deleted.' }),
          ...errorResponses(
            ...apiErrors,
            owner.notFound,
            'FILE_NOT_FOUND',
            'FILE_VERSION_NOT_FOUND',
          ),
        },
      },
    },
    async (request, reply) => {
      const { id, filename } = request.params;
      await files.delete(refOf(owner, id), filename, request.query.version);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${owner.path}/files/:filename/restore`,
    {
      schema: {
        tags,
        summary: `Restore a deleted file of a ${owner.kind}`,
        description:
          'The version that was the latest when the file was deleted becomes live again, with the earlier versions kept then. Possible until `purge` has removed the file.',
        params: FileParams,
        response: {
          200: FileResponse,
          ...errorResponses(...apiErrors, owner.notFound, 'FILE_NOT_FOUND', 'FILE_NOT_DELETED'),
        },
      },
    },
    async (request) => {
      const ref = refOf(owner, request.params.id);
      return toFileJson(await files.restore(ref, request.params.filename));
    },
  );
}

function refOf(owner: FileOwnerRoute, id: string): FileOwnerRef {
  return { kind: owner.kind, id };
}

/** The declared body length, when the request has a valid Content-Length. */
function contentLengthOf(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

function checkMultipartLength(files: FileService, length: number | undefined): void {
  if (length === undefined || length <= files.maxUploadBytes + multipartOverheadBytes) return;
  throw new DataRegistryError(
    'FILE_TOO_LARGE',
    `The multipart body is ${length} bytes; this server accepts files of at most ${files.maxUploadBytes} bytes (DATA_REGISTRY_MAX_UPLOAD_BYTES).`,
    { size: length, maxBytes: files.maxUploadBytes },
  );
}

/** Validates params and query with TypeBox; the streamed body is never validated (nor read). */
const bodylessValidator: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body'
    ? () => ({ value: undefined })
    : TypeBoxValidatorCompiler(route as never);
