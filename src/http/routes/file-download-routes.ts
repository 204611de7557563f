// Downloads of the files of records and datasets: GET and HEAD …/files/{filename}, with an API
// key or a signed download token, and POST …/files/{filename}/download-link, which issues one.
// Parse, one service call, shape the reply.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { DownloadLinkService } from '../../registry/files/download-link-service.js';
import type { FileService } from '../../registry/files/file-service.js';
import type { FileOwnerRef } from '../../registry/files/stored-file.js';
import { sendFile } from '../file-download.js';
import { apiErrors, errorResponses } from '../schemas/common-schemas.js';
import {
  DownloadLinkQuery,
  DownloadLinkResponse,
  DownloadQuery,
  downloadTokenParameter,
  FileParams,
} from '../schemas/file-schemas.js';
import type { ApiServer } from '../server-types.js';
import { fileOwners } from './file-routes.js';

const tags = ['files'];

type FileOwnerRoute = (typeof fileOwners)[number];

export function registerFileDownloadRoutes(
  app: ApiServer,
  files: FileService,
  links: DownloadLinkService,
): void {
  for (const owner of fileOwners) {
    registerDownloadRoutes(app, files, links, owner);
    registerDownloadLinkRoute(app, links, owner);
  }
}

function registerDownloadRoutes(
  app: ApiServer,
  files: FileService,
  links: DownloadLinkService,
  owner: FileOwnerRoute,
): void {
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
        'FILE_VERSION_NOT_FOUND',
        'RANGE_NOT_SATISFIABLE',
        'OBJECT_NOT_FOUND',
        'STORAGE_UNAVAILABLE',
      ),
    },
  };
  const download =
    (hasBody: boolean) =>
    async (
      request: FastifyRequest<{
        Params: { id: string; filename: string };
        Querystring: { redirect?: boolean; version?: number; [downloadTokenParameter]?: string };
      }>,
      reply: FastifyReply,
    ) => {
      const ref = refOf(owner, request.params.id);
      const { filename: name } = request.params;
      const { version, download_token: token } = request.query;
      // plugins/auth.ts let a request with a token and no key through: the token decides here.
      if (token !== undefined) await links.verify(token, { ref, name, version });
      const isRedirectWanted = request.query.redirect ?? false;
      return sendFile(files, { ref, name, version, isRedirectWanted, hasBody }, request, reply);
    };
  app.get(
    `${owner.path}/files/:filename`,
    {
      // HEAD is its own route: Fastify's automatic one would read the whole object to discard it.
      exposeHeadRoute: false,
      config: { acceptsDownloadToken: true },
      logSerializers: { req: requestWithoutToken },
      schema: {
        ...downloadSchema,
        summary: `Download a file of a ${owner.kind}, its latest version or ?version=N (Range, If-None-Match, ?redirect=true)`,
        description:
          'Streams the file (its latest version, or `?version=N`) with Content-Length, ETag (its quoted sha256), Repr-Digest (`sha-256=:<base64>:`, RFC 9530), X-File-Version, Content-Type and Content-Disposition. `Range: bytes=start-end` (one range; also `start-` and `-suffix`) answers 206, or 416 with `Content-Range: bytes */SIZE` when it starts past the end; `If-Range` is honoured. `If-None-Match` with the ETag answers 304. HEAD answers the same headers without the bytes. Instead of an API key, `download_token` from `POST …/download-link` (a link a browser can follow).',
      },
    },
    download(true),
  );
  app.head(
    `${owner.path}/files/:filename`,
    {
      config: { acceptsDownloadToken: true },
      logSerializers: { req: requestWithoutToken },
      schema: {
        ...downloadSchema,
        summary: `The headers of a download of a ${owner.kind}'s file, without the bytes`,
      },
    },
    download(false),
  );
}

/**
 * Fastify's request serializer, with the download token's value left out of the logged URL: a
 * log line must not hand out a working link (the same fields, so log shippers see no change).
 */
function requestWithoutToken(request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.replace(/([?&]download_token=)[^&#]*/g, '$1[REDACTED]'),
    version: request.headers['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

function registerDownloadLinkRoute(
  app: ApiServer,
  links: DownloadLinkService,
  owner: FileOwnerRoute,
): void {
  app.post(
    `${owner.path}/files/:filename/download-link`,
    {
      // It changes nothing: a read key may ask for a link to what it may read.
      config: { scope: 'read' },
      schema: {
        tags,
        summary: `A short-lived download URL for one version of a ${owner.kind}'s file, usable without an API key`,
        description:
          'For browsers, which cannot put an Authorization header on a link: the URL carries a token (HMAC-SHA256) bound to this record or dataset, file name and version, valid for 5 minutes, and works on every server sharing this database and configuration. It is signed with a key derived from the API key that asked for it: revoking that key voids its links. Anyone holding the URL can download that version until it expires; treat it like the key, for those 5 minutes.',
        params: FileParams,
        querystring: DownloadLinkQuery,
        response: {
          200: DownloadLinkResponse,
          ...errorResponses(
            ...apiErrors,
            owner.notFound,
            'FILE_NOT_FOUND',
            'FILE_VERSION_NOT_FOUND',
          ),
        },
      },
    },
    async (request) => {
      const { id, filename } = request.params;
      const issuer = request.apiKeyScope === undefined ? undefined : request.apiKeyName;
      const link = await links.issue(refOf(owner, id), filename, request.query.version, issuer);
      const query = new URLSearchParams({ version: String(link.version) });
      if (link.token !== undefined) query.set(downloadTokenParameter, link.token);
      return {
        url: `${owner.path.replace(':id', id)}/files/${encodeURIComponent(filename)}?${query.toString()}`,
        version: link.version,
        expires_at: link.expiresAt ?? null,
      };
    },
  );
}

function refOf(owner: FileOwnerRoute, id: string): FileOwnerRef {
  return { kind: owner.kind, id };
}
