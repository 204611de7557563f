// The one error type of the project, and the catalogue of its codes.
// Edges (CLI exit codes, HTTP statuses) map codes once; nothing else inspects messages.

/** Every error code the project can raise, with a one-line meaning (documented in docs/errors.md). */
export const errorCatalogue = {
  INVALID_ARGUMENT: 'A command-line argument or option is not valid.',
  INVALID_TARGET: 'A revision target (head, +2, ae1f-1, …) cannot be parsed.',
  REVISION_NOT_FOUND: 'No revision matches the given id or prefix.',
  AMBIGUOUS_REVISION: 'A revision prefix matches more than one revision.',
  MULTIPLE_HEADS: 'The command needs one head but the revision graph has several.',
  AMBIGUOUS_PATH:
    'A relative target crosses a branch point or merge point, so the path is not unique.',
  RELATIVE_TARGET_OUT_OF_RANGE: 'A relative target (+N, -N) goes past head or base.',
  DUPLICATE_REVISION: 'Two revision files declare the same revision id.',
  MISSING_PARENT: 'A revision names a parent that no revision file declares.',
  REVISION_CYCLE: 'The revision graph contains a cycle.',
  MALFORMED_REVISION_FILE: 'A revision file cannot be parsed.',
  VERSIONS_FOLDER_NOT_FOUND: 'The versions folder does not exist.',
  CHECK_FAILED:
    '`dataregistry check` found an error (or, with --strict, a warning) in the revisions.',
  APPLIED_REVISION_MISSING:
    'The database records a revision that no file in the versions folder declares.',
  REVISION_FAILED: 'A statement of a revision failed while it was being applied or reverted.',
  IMPORT_INCOMPLETE:
    '`import-alembic` wrote what it could, but some revisions need a person (listed in its report).',
  REVISION_NOT_CONVERTED:
    'A revision the plan would run carries `-- migrate:not-converted` (import-alembic left it for a person).',
  NO_TRANSACTION_CONFLICT:
    'A revision marked no-transaction cannot run inside --single-transaction.',
  OFFLINE_UNSUPPORTED: 'The operation cannot be rendered as SQL with --sql.',
  LOCK_TIMEOUT: 'Another process held the migration lock longer than --lock-timeout.',
  TABLE_LOCK_TIMEOUT:
    'A revision (or stamp) kept timing out waiting for a table lock another session holds, past --table-lock-retries.',
  INVALID_DATABASE_URL: 'The database URL cannot be parsed or names an unsupported database.',
  DATABASE_UNAVAILABLE: 'The database server cannot be reached or refused the connection.',
  DATABASE_NOT_FOUND:
    'The SQLite file (or its folder) does not exist, and the command only reads or needs tables.',
  DATABASE_ERROR: 'The database rejected a statement for a reason other than the above.',
  FILE_EXISTS:
    'The file to be written already exists (a revision file; over HTTP, a live file with `If-None-Match: *`).',
  // The HTTP API (records, datasets); statuses in src/http/http-error-status.ts.
  VALIDATION_FAILED: 'A request field is missing, of the wrong type, or outside its limits.',
  UNAUTHENTICATED:
    'The request carries no API key, or one that is unknown or revoked (or an expired download token).',
  FORBIDDEN:
    "The API key's scope does not allow the request (or a download token is for another file).",
  ROUTE_NOT_FOUND: 'No API route matches the method and path.',
  RECORD_NOT_FOUND: 'No live record has the given id.',
  RECORD_NAME_TAKEN: 'Another live record already has the name.',
  DATASET_NOT_FOUND: 'No live dataset has the given id.',
  DATASET_NAME_TAKEN: 'Another live dataset of the record already has the name.',
  REQUEST_TOO_LARGE: 'The request body is larger than the server accepts.',
  UNSUPPORTED_MEDIA_TYPE: 'The request body is not of a content type the route accepts.',
  SCHEMA_NOT_APPLIED: 'The database has no revision applied: the registry tables are missing.',
  INTERNAL_ERROR: 'An unexpected server error (a bug); details are in the server log.',
  // The server's own lifecycle and the HTTP layer below the routes (src/http/).
  SHUTTING_DOWN:
    'The server is stopping: /ready answers it so that a load balancer stops sending requests.',
  REQUEST_TIMEOUT: 'The client did not send the whole request in time.',
  HEADERS_TOO_LARGE: 'The request headers are larger than the server accepts.',
  // Configuration (src/config/) and API key management (src/registry/api-keys/).
  INVALID_CONFIG: 'A configuration value (flag, environment variable or env file) is not valid.',
  MISSING_CONFIG: 'A setting the chosen environment or bind address requires is not set.',
  SECRET_UNREADABLE: 'Secrets Manager refused the secret: unknown id, access denied, or no string.',
  SECRETS_MANAGER_UNAVAILABLE: 'Secrets Manager cannot be reached, timed out or failed.',
  MALFORMED_SECRET: 'The database secret is not JSON of the RDS shape.',
  API_KEY_NAME_TAKEN: 'Another API key already has the name.',
  API_KEY_NOT_FOUND: 'No API key has the given name.',
  // File storage (src/storage/).
  OBJECT_NOT_FOUND: 'The object store holds no object (or multipart upload) under the key.',
  FILE_TOO_LARGE: 'A file is larger than the configured maximum upload size.',
  STORAGE_UNAVAILABLE:
    'The object store (folder or S3) cannot be reached, refused access or failed.',
  // Files and upload sessions (src/registry/files/, src/registry/uploads/).
  FILE_NOT_FOUND: 'No live file of the record or dataset has the given name.',
  FILE_VERSION_NOT_FOUND: 'The live file has no version of the given number (never, or deleted).',
  FILE_CHANGED: "The file's latest version is not the one `If-Match` names.",
  FILE_NOT_DELETED: 'Restore brings back deleted files only; the file of that name is live.',
  RANGE_NOT_SATISFIABLE: 'The requested byte range starts past the end of the file.',
  UPLOAD_SESSION_NOT_FOUND: 'No open upload session of the record or dataset has the given id.',
  DIRECT_UPLOAD_UNSUPPORTED: 'Upload sessions need S3 storage; this server stores files locally.',
  UPLOAD_INCOMPLETE: 'The parts given to complete an upload session do not make up the whole file.',
  CHECKSUM_MISMATCH: "The stored bytes' SHA-256 differs from the one the client declared.",
  // The command-line client (src/client/).
  SERVER_UNREACHABLE:
    'The registry server cannot be reached at its URL (--url, DATA_REGISTRY_URL): refused, timed out or not found.',
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/**
 * The project's error. `message` is written for the person who will read it: it names the input
 * and the way out. `details` carries structured fields for callers (the heads of MULTIPLE_HEADS…).
 */
export class DataRegistryError extends Error {
  override readonly name = 'DataRegistryError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isDataRegistryError(error: unknown): error is DataRegistryError {
  return error instanceof DataRegistryError;
}
