// Upload sessions under /api/records/{id}/uploads and /api/datasets/{id}/uploads (S3 storage):
// open, presigned part URLs, status (resume), complete, abort. Parse, one service call, reply.

import { Type } from 'typebox';
import type { FileOwnerRef } from '../../registry/files/stored-file.js';
import { maxPartUrlsPerRequest } from '../../registry/uploads/part-checks.js';
import type { UploadService } from '../../registry/uploads/upload-service.js';
import { DataRegistryError } from '../../shared/errors.js';
import { apiErrors, bodyErrors, errorResponses } from '../schemas/common-schemas.js';
import { FileResponse, OwnerParams, toFileJson } from '../schemas/file-schemas.js';
import {
  CompleteUploadBody,
  NewUploadBody,
  PartParams,
  PartUrlResponse,
  PartUrlsQuery,
  PartUrlsResponse,
  parsePartNumbers,
  SessionParams,
  toPartUrlJson,
  toStoredPartJson,
  toUploadSessionJson,
  UploadSessionResponse,
  UploadStatusResponse,
} from '../schemas/upload-schemas.js';
import type { ApiServer } from '../server-types.js';
import { readWriteCondition } from '../write-condition-headers.js';
import { fileOwners } from './file-routes.js';

const tags = ['uploads'];

export function registerUploadRoutes(app: ApiServer, uploads: UploadService): void {
  for (const owner of fileOwners) {
    const ref = (id: string): FileOwnerRef => ({ kind: owner.kind, id });
    const sessionErrors = [
      ...apiErrors,
      owner.notFound,
      'DIRECT_UPLOAD_UNSUPPORTED',
      'UPLOAD_SESSION_NOT_FOUND',
      'STORAGE_UNAVAILABLE',
    ] as const;
    const base = `${owner.path}/uploads`;

    app.post(
      base,
      {
        schema: {
          tags,
          summary: `Open an upload session for a file of a ${owner.kind} (S3 storage only)`,
          description:
            'Starts an S3 multipart upload. The client then asks for presigned part URLs, PUTs each part (in parallel, retrying any) straight to the store, and completes the session. 409 DIRECT_UPLOAD_UNSUPPORTED with local storage. `If-None-Match: *` and `If-Match: "<sha256>"` are looked at now (412, and no session is opened) and again, deciding, at complete.',
          params: OwnerParams,
          body: NewUploadBody,
          response: {
            201: UploadSessionResponse,
            ...errorResponses(
              ...bodyErrors,
              ...sessionErrors,
              'FILE_TOO_LARGE',
              'FILE_EXISTS',
              'FILE_CHANGED',
            ),
          },
        },
      },
      async (request, reply) => {
        const { filename, size, content_type } = request.body;
        const session = await uploads.open(ref(request.params.id), {
          filename,
          size,
          contentType: content_type,
          condition: readWriteCondition(request.headers),
        });
        return reply.code(201).send(toUploadSessionJson(session));
      },
    );

    app.get(
      `${base}/:upload_id`,
      {
        schema: {
          tags,
          summary: 'An upload session and the parts stored so far (to resume it)',
          params: SessionParams,
          response: { 200: UploadStatusResponse, ...errorResponses(...sessionErrors) },
        },
      },
      async (request) => {
        const { session, parts } = await uploads.status(
          ref(request.params.id),
          request.params.upload_id,
        );
        return { ...toUploadSessionJson(session), parts: parts.map(toStoredPartJson) };
      },
    );

    app.get(
      `${base}/:upload_id/parts`,
      {
        // The URLs let their holder write: a read key must not get them.
        config: { scope: 'write' },
        schema: {
          tags,
          summary: 'Presigned URLs for several parts (`?parts=1-20`), asked for as they are needed',
          params: SessionParams,
          querystring: PartUrlsQuery,
          response: { 200: PartUrlsResponse, ...errorResponses(...sessionErrors) },
        },
      },
      async (request) => {
        const numbers = parsePartNumbers(request.query.parts, maxPartUrlsPerRequest);
        if (numbers === undefined) {
          throw new DataRegistryError(
            'VALIDATION_FAILED',
            `\`parts\` must list at most ${maxPartUrlsPerRequest} part numbers, ranges written low-high (1-20).`,
            { field: 'parts' },
          );
        }
        const expiresAt = new Date(Date.now() + uploads.partUrlSeconds * 1000).toISOString();
        const urls = await uploads.presignParts(
          ref(request.params.id),
          request.params.upload_id,
          numbers,
        );
        return { parts: urls.map((part) => toPartUrlJson(part, expiresAt)) };
      },
    );

    app.get(
      `${base}/:upload_id/parts/:part_number`,
      {
        config: { scope: 'write' },
        schema: {
          tags,
          summary: 'A presigned URL to PUT one part to',
          params: PartParams,
          response: { 200: PartUrlResponse, ...errorResponses(...sessionErrors) },
        },
      },
      async (request) => {
        const { id, upload_id, part_number } = request.params;
        const expiresAt = new Date(Date.now() + uploads.partUrlSeconds * 1000).toISOString();
        const [part] = await uploads.presignParts(ref(id), upload_id, [part_number]);
        if (part === undefined) throw new Error('presignParts gave no URL');
        return toPartUrlJson(part, expiresAt);
      },
    );

    app.post(
      `${base}/:upload_id/complete`,
      {
        schema: {
          tags,
          summary:
            'Complete an upload session: the file is written (a new version over one of that name)',
          description:
            'Checks the parts against the store, assembles the file, reads it once to compute its SHA-256 (compared with `sha256` when given), and writes the file as a new version (the earlier versions are kept). Takes time proportional to the size. 201 when the name is new, 200 when it added a version. `If-None-Match: *` and `If-Match: "<sha256>"` as on PUT …/files/{filename}: a 412 discards the session and its bytes.',
          params: SessionParams,
          body: CompleteUploadBody,
          response: {
            200: FileResponse,
            201: FileResponse,
            ...errorResponses(
              ...bodyErrors,
              ...sessionErrors,
              'UPLOAD_INCOMPLETE',
              'CHECKSUM_MISMATCH',
              'FILE_EXISTS',
              'FILE_CHANGED',
            ),
          },
        },
      },
      async (request, reply) => {
        const parts = request.body.parts.map((part) => ({
          partNumber: part.part_number,
          etag: part.etag,
        }));
        const { id, upload_id } = request.params;
        const result = await uploads.complete(ref(id), upload_id, parts, request.body.sha256, {
          createdBy: request.apiKeyName,
          condition: readWriteCondition(request.headers),
        });
        return reply.code(result.replaced ? 200 : 201).send(toFileJson(result.file));
      },
    );

    app.delete(
      `${base}/:upload_id`,
      {
        schema: {
          tags,
          summary: 'Abort an upload session: the store discards its parts',
          params: SessionParams,
          response: {
            204: Type.Null({ description: 'Aborted.' }),
            ...errorResponses(...sessionErrors),
          },
        },
      },
      async (request, reply) => {
        await uploads.abort(ref(request.params.id), request.params.upload_id);
        return reply.code(204).send(null);
      },
    );
  }
}
