// The registry's HTTP API as seen by the command-line client: JSON requests with the API key, and
// the translation of every failure into one DataRegistryError (the server's own code and message
// when it sent one). Knows nothing of files on disk or of progress.

import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { DataRegistryError, errorCatalogue, type ErrorCode } from '../shared/errors.js';
import { HttpTransport, networkErrorCode, readText } from './http-transport.js';

export interface RegistryClientOptions {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` when set. */
  readonly apiKey?: string | undefined;
}

export interface StreamRequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Readable;
  readonly signal?: AbortSignal;
}

export class RegistryClient {
  readonly url: string;
  readonly transport = new HttpTransport();
  readonly #apiKey: string | undefined;

  constructor(options: RegistryClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
  }

  /**
   * A JSON request to the API (`path` starts with /api/). Resolves with the parsed body of a 2xx
   * answer (undefined for 204).
   *
   * @throws DataRegistryError with the server's code and message for an error answer,
   *   SERVER_UNREACHABLE when no answer comes.
   */
  async json<T>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.#send({
      method,
      path,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await readText(response);
    if (response.statusCode === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new DataRegistryError(
        'INTERNAL_ERROR',
        `The server at ${this.url} answered ${method} ${path} with a body that is not JSON; is --url the registry?`,
      );
    }
  }

  /**
   * A request whose response body the caller streams (a download), or whose request body is a
   * stream (an upload, with its `content-length` header). Resolves with a 2xx response.
   *
   * @throws as {@link json}.
   */
  stream(
    method: string,
    path: string,
    options: StreamRequestOptions = {},
  ): Promise<IncomingMessage> {
    return this.#send({ method, path, ...options });
  }

  /** Ends idle connections so that the process can exit. */
  close(): void {
    this.transport.close();
  }

  async #send(request: {
    method: string;
    path: string;
    headers?: Readonly<Record<string, string>> | undefined;
    body?: Buffer | string | Readable | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<IncomingMessage> {
    const headers: Record<string, string> = { ...request.headers };
    if (this.#apiKey !== undefined) headers.authorization = `Bearer ${this.#apiKey}`;
    let response: IncomingMessage;
    try {
      response = await this.transport.send({
        method: request.method,
        url: new URL(`${this.url}${request.path}`),
        headers,
        body: request.body,
        signal: request.signal,
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return response;
    throw errorOfResponse(status, await readText(response, 64 * 1024), this.url);
  }

  /** SERVER_UNREACHABLE naming the URL, for a request that got no answer. */
  unreachable(error: unknown): DataRegistryError {
    if (error instanceof DataRegistryError) return error;
    const code = networkErrorCode(error);
    const reason = code ?? (error instanceof Error ? error.message : String(error));
    return new DataRegistryError(
      'SERVER_UNREACHABLE',
      `Cannot reach the registry at ${this.url} (${reason}): start the server, or give its URL with --url or DATA_REGISTRY_URL.`,
      { url: this.url, networkCode: code },
      { cause: error },
    );
  }
}

/** The server's `{"error": {"code", "message"}}` as a DataRegistryError, or a generic one. */
export function errorOfResponse(status: number, text: string, url: string): DataRegistryError {
  const body = parseErrorBody(text);
  if (body !== undefined) {
    const code: ErrorCode = Object.hasOwn(errorCatalogue, body.code)
      ? (body.code as ErrorCode)
      : 'INTERNAL_ERROR';
    return new DataRegistryError(code, oneLine(body.message), { status, serverCode: body.code });
  }
  const excerpt = oneLine(text).slice(0, 200);
  return new DataRegistryError(
    status === 502 || status === 503 || status === 504 ? 'SERVER_UNREACHABLE' : 'INTERNAL_ERROR',
    `The server at ${url} answered HTTP ${status}${excerpt === '' ? '' : `: ${excerpt}`}`,
    { status },
  );
}

function parseErrorBody(text: string): { code: string; message: string } | undefined {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = body.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  } catch {
    // Not JSON: a proxy's page, or not the registry at all.
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
