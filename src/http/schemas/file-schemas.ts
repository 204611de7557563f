// Request and response bodies of files (snake_case JSON). Upload bodies are raw bytes or
// multipart/form-data, streamed: their schemas document them and are never used to validate.

import { Type, type Static } from 'typebox';
import { fileLimits } from '../../registry/files/file-name.js';
import type { DeletedFile, StoredFile } from '../../registry/files/stored-file.js';
import { Id, PageQueryFields, pageOf, Timestamp } from './common-schemas.js';

export const FileName = Type.String({
  description: `1 to ${fileLimits.nameBytes} bytes of UTF-8 (percent-encoded in the path); no \`/\`, \`\\\`, NUL or other control characters; not \`.\` or \`..\`; no whitespace at either end. Unique among the live files of the record (or dataset).`,
  examples: ['runs 2026.csv'],
});

export const OwnerParams = Type.Object({ id: Id });
export const FileParams = Type.Object({ id: Id, filename: FileName });

export const FileListQuery = Type.Object({
  limit: PageQueryFields.limit,
  cursor: PageQueryFields.cursor,
});

export const FileListingQuery = Type.Object({
  ...FileListQuery.properties,
  deleted: Type.Optional(
    Type.Boolean({
      description:
        'true: list the deleted files `POST …/files/{filename}/restore` can bring back (each with `deleted_at`) instead of the live ones.',
    }),
  ),
});

/** A version number, 1 for a name's first upload. */
function versionNumber(description: string) {
  return Type.Integer({ minimum: 1, maximum: 2_147_483_647, description });
}

const VersionNumber = versionNumber(
  "The file's version: 1 for the first upload of the name, then one more for each upload.",
);

export const VersionQuery = Type.Object({
  version: Type.Optional(
    versionNumber('Delete only this version (default: the file, with all its versions).'),
  ),
});

/** The query parameter of a signed download link (POST …/files/{filename}/download-link). */
export const downloadTokenParameter = 'download_token';

export const DownloadQuery = Type.Object({
  version: Type.Optional(versionNumber('This version of the file (default: its latest).')),
  [downloadTokenParameter]: Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'A token from `POST …/files/{filename}/download-link`, in place of an API key: valid for that version only (give `version` too, as the link does), for 5 minutes. 401 UNAUTHENTICATED when expired, malformed or its key was revoked; 403 FORBIDDEN when issued for another file or version, or altered.',
    }),
  ),
  redirect: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        'With S3 storage, answer 302 to a presigned URL of the store (valid 15 minutes) instead of streaming through the server. Ignored with local storage.',
    }),
  ),
});

export const DownloadLinkQuery = Type.Object({
  version: Type.Optional(versionNumber('A link to this version (default: the latest).')),
});

export const DownloadLinkResponse = Type.Object(
  {
    url: Type.String({
      description:
        'The download URL, relative to the server (`/api/…/files/{filename}?version=N&download_token=…`): a plain GET, no API key needed.',
      examples: ['/api/records/42/files/runs.csv?version=3&download_token=1796000000._.Zm9v…'],
    }),
    version: Type.Integer({
      minimum: 1,
      description: 'The version the URL downloads: the one asked for, else the latest.',
    }),
    expires_at: Type.Union([Type.String(), Type.Null()], {
      description:
        'When the URL stops working (ISO-8601 UTC); null when the API needs no key (the URL is then the plain download URL).',
    }),
  },
  { additionalProperties: false },
);

export const FileResponse = Type.Object(
  {
    name: Type.String(),
    version: VersionNumber,
    size: Type.Integer({
      minimum: 0,
      description: 'Bytes (a JSON number: exact for every size below 2^53, i.e. 8 PiB).',
    }),
    sha256: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description:
        'Lowercase hex SHA-256 of the bytes, computed by the server; also the ETag of downloads.',
    }),
    content_type: Type.String({
      description: 'As declared at upload; default application/octet-stream.',
    }),
    created_at: Timestamp,
    deleted_at: Type.Optional(
      Type.String({
        description: 'When the file was deleted (ISO-8601 UTC); only in `?deleted=true` listings.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const FilePage = pageOf(FileResponse);

export const FileVersionResponse = Type.Object(
  {
    version: VersionNumber,
    size: FileResponse.properties.size,
    sha256: FileResponse.properties.sha256,
    content_type: FileResponse.properties.content_type,
    created_at: Timestamp,
    created_by: Type.Union([Type.String(), Type.Null()], {
      description:
        'The name of the API key that uploaded the version; null when the API needs no key.',
    }),
  },
  { additionalProperties: false },
);

export const FileVersionPage = pageOf(FileVersionResponse);

export const FileVersionListQuery = FileListQuery;

/** The raw upload body, any media type: documented only (see the route's validatorCompiler). */
export const RawUploadBody = {
  content: {
    '*/*': {
      schema: Type.Unsafe<unknown>({
        type: 'string',
        format: 'binary',
        description:
          "The file's bytes, streamed (`curl -T big.csv`). Content-Type (default application/octet-stream) is stored and served back. Content-Length, when given, is checked against the size limit before any byte is read.",
      }),
    },
  },
};

/** The multipart upload body: documented only. */
export const MultipartUploadBody = {
  content: {
    'multipart/form-data': {
      schema: Type.Unsafe<unknown>({
        type: 'object',
        required: ['file'],
        properties: {
          file: {
            type: 'string',
            format: 'binary',
            description:
              "The file; its part's `filename` is the file's name and its Content-Type is stored. Other fields are ignored.",
          },
        },
      }),
    },
  },
};

export type FileJson = Static<typeof FileResponse>;

export function toFileJson(file: StoredFile): FileJson {
  return {
    name: file.name,
    version: file.version,
    size: file.size,
    sha256: file.sha256,
    content_type: file.contentType,
    created_at: file.createdAt,
  };
}

export function toDeletedFileJson(file: DeletedFile): FileJson {
  return { ...toFileJson(file), deleted_at: file.deletedAt };
}

export function toFileVersionJson(file: StoredFile): Static<typeof FileVersionResponse> {
  return {
    version: file.version,
    size: file.size,
    sha256: file.sha256,
    content_type: file.contentType,
    created_at: file.createdAt,
    created_by: file.createdBy,
  };
}
