// The API's bodies as the interface reads them, derived from the server's own TypeBox schemas
// (type-only imports: nothing of the server is bundled). Metadata is typed as stored JSON text on
// the server, where it is spliced into answers; on the wire it is a JSON object.

import type { Static } from 'typebox';
import type { ErrorResponse } from '../../../src/http/schemas/common-schemas.js';
import type { DatasetJson as ServerDatasetJson } from '../../../src/http/schemas/dataset-schemas.js';
import type {
  DownloadLinkResponse,
  FileJson as ServerFileJson,
  FileVersionResponse,
} from '../../../src/http/schemas/file-schemas.js';
import type {
  RecordJson as ServerRecordJson,
  RecordListQuery,
} from '../../../src/http/schemas/record-schemas.js';
import type { SessionResponse } from '../../../src/http/schemas/status-schemas.js';
import type {
  PartUrlsResponse,
  UploadSessionResponse,
  UploadStatusResponse,
} from '../../../src/http/schemas/upload-schemas.js';

type WithMetadata<T> = Omit<T, 'metadata'> & { readonly metadata: Record<string, unknown> };

export type RecordJson = WithMetadata<ServerRecordJson>;
export type DatasetJson = WithMetadata<ServerDatasetJson>;
export type FileJson = ServerFileJson;
export type FileVersionJson = Static<typeof FileVersionResponse>;
export type DownloadLinkJson = Static<typeof DownloadLinkResponse>;
export type SessionJson = Static<typeof SessionResponse>;
export type Scope = SessionJson['scope'];
export type UploadSessionJson = Static<typeof UploadSessionResponse>;
export type ErrorJson = Static<typeof ErrorResponse>;
export type ErrorCode = ErrorJson['error']['code'];
export type RecordOrder = NonNullable<Static<typeof RecordListQuery>['order']>;

export interface PageJson<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}
export type UploadStatusJson = Static<typeof UploadStatusResponse>;
export type PartUrlsJson = Static<typeof PartUrlsResponse>;
