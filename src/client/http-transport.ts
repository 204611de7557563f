// One HTTP request over node:http(s), its body a buffer or a stream sent with an explicit
// Content-Length (presigned S3 part PUTs refuse chunked bodies). Knows nothing of the registry.

import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** A stream needs a `content-length` header; a buffer or string gets one. */
  readonly body?: Buffer | string | Readable;
  /** Abandon the request (and its body) when this fires. */
  readonly signal?: AbortSignal;
}

/** Idle time after which a request (connecting, sending or waiting) is abandoned. */
const idleTimeoutMs = 120_000;

/**
 * Sends requests over keep-alive connections (several parts in flight reuse them). `close()` ends
 * the idle connections so that the process can exit.
 */
export class HttpTransport {
  readonly #agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 32 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 32 }),
  };

  /**
   * Resolves with the response as soon as its headers arrive, even while the body is still being
   * sent (a server may refuse a request before reading it); the caller reads or discards the
   * response. Rejects with the socket's error (`code` ECONNREFUSED, ENOTFOUND, ECONNRESET…) when
   * no response arrives.
   */
  send(request: HttpRequest): Promise<IncomingMessage> {
    const { url, body } = request;
    const isHttps = url.protocol === 'https:';
    const headers: Record<string, string> = { ...request.headers };
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const outgoing = (isHttps ? https : http).request(url, {
        method: request.method,
        headers,
        agent: this.#agents[isHttps ? 'https:' : 'http:'],
        signal: request.signal,
      });
      let isSettled = false;
      outgoing.setTimeout(idleTimeoutMs, () =>
        outgoing.destroy(
          Object.assign(new Error(`no answer within ${idleTimeoutMs / 1000} s`), {
            code: 'ETIMEDOUT',
          }),
        ),
      );
      outgoing.on('response', (response) => {
        isSettled = true;
        resolve(response);
      });
      outgoing.on('error', (error) => {
        if (isSettled) return;
        isSettled = true;
        reject(error);
      });
      if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
        outgoing.end(body);
        return;
      }
      body.on('error', (error) => outgoing.destroy(error));
      // A request ended early (refused, reset) must not leave the file open.
      outgoing.on('close', () => {
        if (!body.readableEnded) body.destroy();
      });
      body.pipe(outgoing);
    });
  }

  close(): void {
    this.#agents['http:'].destroy();
    this.#agents['https:'].destroy();
  }
}

/** Reads a (small) response body as text, at most `limit` bytes. */
export async function readText(response: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) {
      response.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and throws away a response body, so that its connection can be reused. */
export async function discard(response: IncomingMessage): Promise<void> {
  response.resume();
  if (response.complete) return;
  await new Promise<void>((resolve) => {
    response.on('end', resolve);
    response.on('error', () => resolve());
    response.on('close', resolve);
  });
}

/** The socket error's code (ECONNREFUSED…), when it has one. */
export function networkErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
