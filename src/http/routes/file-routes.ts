// /api/records/{id}/files and /api/datasets/{id}/files: upload (raw PUT, multipart POST), list,
// download (GET, HEAD) and delete. Parse, one service call, shape the reply.

import type { FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FileService } from '../../registry/files/file-service.js';
import type { FileOwnerRef } from '../../registry/files/stored-file.js';
import { DataRegistryError } from '../../shared/errors.js';
import { detachBody } from '../detached-body.js';
import { sendFile } from '../file-download.js';
import type { HttpErrorCode } from '../http-error-status.js';
import { MultipartFileStream } from '../multipart-file-stream.js';
import { apiErrors, errorResponses, toPageJson } from '../schemas/common-schemas.js';
import {
  DownloadQuery,
  FileListQuery,
  FilePage,
  FileParams,
  FileResponse,
  MultipartUploadBody,
  OwnerParams,
  RawUploadBody,
  toFileJson,
} from '../schemas/file-schemas.js';
import type { ApiServer } from '../server-types.js';

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
    'STORAGE_UNAVAILABLE',
  );
  app.put(
    `${owner.path}/files/:filename`,
    {
      schema: {
        tags,
        summary: `Upload a file of a ${owner.kind}, streaming the raw body (replaces a file of the same name)`,
        description:
          'The body is the file (`curl -T data.csv URL`), any Content-Type. 201 when new, 200 when it replaced a live file of the same name; the previous version stays readable until the new one is complete. Nothing is kept when the upload fails or the client disconnects.',
        params: FileParams,
        body: RawUploadBody,
        response: { 200: FileResponse, 201: FileResponse, ...uploadErrors },
      },
      validatorCompiler: bodylessValidator,
    },
    async (request, reply) => {
      const { body, signal } = detachBody(request.raw);
      const result = await files
        .upload(refOf(owner, request.params.id), request.params.filename, body, {
          contentType: request.headers['content-type'],
          declaredSize: contentLengthOf(request),
          signal,
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
          "The form's `file` field is the file; its filename names it. Otherwise as PUT …/files/{filename}.",
        params: OwnerParams,
        body: MultipartUploadBody,
        response: { 200: FileResponse, 201: FileResponse, ...uploadErrors },
      },
      validatorCompiler: bodylessValidator,
    },
    async (request, reply) => {
      const boundary = MultipartFileStream.boundaryOf(request.headers['content-type']);
      const length = contentLengthOf(request);
      checkMultipartLength(files, length);
      const { body, signal } = detachBody(request.raw, new MultipartFileStream(boundary));
      const result = await body.file
        .then((part) =>
          files.upload(refOf(owner, request.params.id), part.filename, body, {
            contentType: part.contentType,
            sizeHint: length,
            signal,
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
        summary: `List the live files of a ${owner.kind}, oldest upload first`,
        params: OwnerParams,
        querystring: FileListQuery,
        response: { 200: FilePage, ...errorResponses(...apiErrors, owner.notFound) },
      },
    },
    async (request) => {
      const page = await files.list(refOf(owner, request.params.id), request.query);
      return toPageJson(page, toFileJson);
    },
  );

  const downloadSchema = {
    tags,
    params: FileParams,
    querystring: DownloadQuery,
    response: {
      200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The bytes.' }),
      206: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The range.' }),
      302: Type.Null({ description: 'S3 with ?redirect=true: Location is a presigned URL.' }),
      304: Type.Null({ description: 'If-None-Match matched the ETag.' }),
      ...errorResponses(
        ...apiErrors,
        owner.notFound,
        'FILE_NOT_FOUND',
        'RANGE_NOT_SATISFIABLE',
        'OBJECT_NOT_FOUND',
        'STORAGE_UNAVAILABLE',
      ),
    },
  };
  const download =
    (hasBody: boolean) =>
    (
      request: FastifyRequest<{
        Params: { id: string; filename: string };
        Querystring: { redirect?: boolean };
      }>,
      reply: FastifyReply,
    ) =>
      sendFile(
        files,
        {
          ref: refOf(owner, request.params.id),
          name: request.params.filename,
          isRedirectWanted: request.query.redirect ?? false,
          hasBody,
        },
        request,
        reply,
      );
  app.get(
    `${owner.path}/files/:filename`,
    {
      // HEAD is its own route: Fastify's automatic one would read the whole object to discard it.
      exposeHeadRoute: false,
      schema: {
        ...downloadSchema,
        summary: `Download a file of a ${owner.kind} (Range, If-None-Match, ?redirect=true)`,
        description:
          'Streams the file with Content-Length, ETag (its quoted sha256), Content-Type and Content-Disposition. `Range: bytes=start-end` (one range; also `start-` and `-suffix`) answers 206, or 416 with `Content-Range: bytes */SIZE` when it starts past the end; `If-Range` is honoured. `If-None-Match` with the ETag answers 304. HEAD answers the same headers without the bytes.',
      },
    },
    download(true),
  );
  app.head(
    `${owner.path}/files/:filename`,
    {
      schema: {
        ...downloadSchema,
        summary: `The headers of a download of a ${owner.kind}'s file, without the bytes`,
      },
    },
    download(false),
  );

  app.delete(
    `${owner.path}/files/:filename`,
    {
      schema: {
        tags,
        summary: `Delete a file of a ${owner.kind} (its bytes are removed from the store)`,
        params: FileParams,
        response: {
          204: Type.Null({ description: 'Deleted.' }),
          ...errorResponses(...apiErrors, owner.notFound, 'FILE_NOT_FOUND'),
        },
      },
    },
    async (request, reply) => {
      await files.delete(refOf(owner, request.params.id), request.params.filename);
      return reply.code(204).send(null);
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
