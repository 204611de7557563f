// Talks to /api: JSON requests with the signed-in key as `Authorization: Bearer`, every failure
// turned into an ApiError carrying the API's code and message (or NETWORK when no answer came).

import type { ErrorCode, ErrorJson } from './api-types.js';
import { readApiKey } from './api-key.js';

/** What went wrong: the API's error, or `NETWORK` when the server could not be reached. */
export class ApiError extends Error {
  readonly code: ErrorCode | 'NETWORK';
  /** The HTTP status; 0 for NETWORK. */
  readonly status: number;

  constructor(code: ErrorCode | 'NETWORK', message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }

  /** A lost connection or an unavailable server: worth retrying unchanged. */
  get isRetryWorthy(): boolean {
    return this.code === 'NETWORK' || this.status === 503;
  }
}

/** The request headers carrying the key, when one is signed in. */
export function authHeaders(): Record<string, string> {
  const key = readApiKey();
  return key === undefined ? {} : { authorization: `Bearer ${key}` };
}

/** `path` with its query, leaving out undefined values. */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined>,
) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

export async function requestJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...authHeaders(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('NETWORK', 'The server cannot be reached; check the connection.', 0);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (response.ok) return JSON.parse(text) as T;
  throw errorOf(response.status, text);
}

/** The ApiError of an error answer's status and body text. */
export function errorOf(status: number, text: string): ApiError {
  try {
    const { error } = JSON.parse(text) as ErrorJson;
    return new ApiError(error.code, error.message, status);
  } catch {
    const code = status === 503 ? 'DATABASE_UNAVAILABLE' : 'INTERNAL_ERROR';
    return new ApiError(code, `The server answered ${status} without an error body.`, status);
  }
}

/** The message a person reads for `error`, whatever threw it. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError && error.isRetryWorthy) {
    return error.code === 'NETWORK'
      ? 'Lost connection to the server. Retrying…'
      : `The server is unavailable: ${error.message} Retrying…`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The field an error is about, for showing it next to that field: the name for a name taken,
 * else the first `field` quoted in a validation message.
 */
export function fieldOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.code === 'RECORD_NAME_TAKEN' || error.code === 'DATASET_NAME_TAKEN') return 'name';
  if (error.code !== 'VALIDATION_FAILED') return undefined;
  return /`([a-z_]+)[`.[]/.exec(error.message)?.[1];
}
