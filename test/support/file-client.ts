// Small HTTP helpers for file tests: uploads with and without a length, downloads as bytes,
// requests with paths sent verbatim, and a client that goes away mid-body.

import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/db/database-handle.js';
import type { ApiBody } from './registry-server.js';

export interface BytesResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
  /** The body parsed as JSON when it is JSON, else undefined. */
  readonly body: ApiBody;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function randomBytesOf(size: number): Buffer {
  return randomBytes(size);
}

/** fetch, with the answer as bytes (and as JSON when it is JSON). */
export async function fetchBytes(
  server: { readonly url: string },
  method: string,
  path: string,
  options: {
    body?: RequestInit['body'];
    headers?: Record<string, string>;
    redirect?: RequestInit['redirect'];
  } = {},
): Promise<BytesResponse> {
  const init: RequestInit & { duplex?: 'half' } = {
    method,
    headers: options.headers,
    redirect: options.redirect ?? 'manual',
  };
  if (options.body !== undefined) {
    init.body = options.body;
    if (options.body instanceof ReadableStream) init.duplex = 'half';
  }
  const response = await fetch(`${server.url}${path}`, init);
  const bytes = Buffer.from(await response.arrayBuffer());
  const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    bytes,
    body: (isJson && bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : undefined) as ApiBody,
  };
}

/** PUTs the bytes with Content-Length. */
export function putFile(
  server: { readonly url: string },
  path: string,
  bytes: Buffer,
  headers: Record<string, string> = {},
): Promise<BytesResponse> {
  return fetchBytes(server, 'PUT', path, { body: bytes, headers });
}

/** PUTs the chunks with chunked transfer encoding (no Content-Length). */
export function putChunked(
  server: { readonly url: string },
  path: string,
  chunks: readonly Buffer[],
  headers: Record<string, string> = {},
): Promise<BytesResponse> {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
  return fetchBytes(server, 'PUT', path, { body, headers });
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * A request with the path sent byte for byte (fetch would normalise `..`), and an optional body.
 * Resolves with the answer even when the server answers before reading the whole body and
 * closes the connection (a write error after the answer is ignored).
 */
export function rawRequest(
  server: { readonly url: string },
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer | readonly Buffer[] } = {},
): Promise<RawResponse> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: options.headers },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunks =
      options.body === undefined ? [] : Array.isArray(options.body) ? options.body : [options.body];
    void (async () => {
      for (const chunk of chunks as Buffer[]) {
        if (req.destroyed || answered) break;
        if (!req.write(chunk)) await new Promise((resume) => req.once('drain', resume));
      }
      if (!req.destroyed) req.end();
    })();
  });
}

/**
 * Starts an upload announcing `declaredLength` bytes (or chunked when undefined), sends
 * `sendBytes` of them, then destroys the socket, as a client that crashed or lost its network.
 * Rejects when the server answers (or closes) first.
 */
export async function uploadThenDisconnect(
  server: { readonly url: string },
  method: string,
  path: string,
  options: {
    declaredLength?: number;
    sendBytes: number;
    headers?: Record<string, string>;
    /** Sent first (e.g. a multipart part's headers), before the random bytes. */
    prefix?: Buffer;
  },
): Promise<void> {
  const url = new URL(server.url);
  const headers: Record<string, string> = { ...options.headers };
  if (options.declaredLength !== undefined)
    headers['content-length'] = String(options.declaredLength);
  const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers });
  let isOver = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      isOver = true;
      resolve();
    };
    req.on('error', stop);
    req.on('close', stop);
    req.on('response', (res) => {
      res.resume();
      stop();
    });
  });
  const chunk = randomBytes(64 * 1024);
  let sent = 0;
  if (options.prefix !== undefined) req.write(options.prefix);
  while (sent < options.sendBytes && !isOver) {
    const piece = chunk.subarray(0, Math.min(chunk.length, options.sendBytes - sent));
    sent += piece.length;
    if (!req.write(piece)) {
      await Promise.race([new Promise((resume) => req.once('drain', resume)), stopped]);
    }
  }
  if (isOver)
    throw new Error('The server answered or closed the connection before the disconnection');
  // Let the server receive and store what was sent before the connection drops.
  await sleep(300);
  req.destroy();
}

/** Polls `check` until it holds (or throws its last failure after `timeoutMs`). */
export async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

/** Rows of the files table: all of them, and the live ones. */
export async function countFileRows(
  handle: DatabaseHandle,
): Promise<{ all: number; live: number }> {
  const result = await sql<{ all: number | string; live: number | string | null }>`
    select count(*) as ${sql.ref('all')},
           sum(case when deleted_at is null then 1 else 0 end) as live
    from files`.execute(handle.db);
  const row = result.rows[0];
  return { all: Number(row?.all ?? 0), live: Number(row?.live ?? 0) };
}
