// Answers the errors Node's HTTP parser finds before there is a request to route (malformed
// HTTP, headers over the limit, a request not received in time) in the API's error shape,
// where Fastify's default writes `{"error":"Bad Request","statusCode":400}`.

import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { httpErrorStatus, type HttpErrorCode } from '../http-error-status.js';

const answers: Readonly<Record<string, { code: HttpErrorCode; message: string }>> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'REQUEST_TIMEOUT',
    message: 'The request was not received in time; send it again.',
  },
  HPE_HEADER_OVERFLOW: {
    code: 'HEADERS_TOO_LARGE',
    message: 'The request headers are too large; send fewer or shorter headers (at most 16 KiB).',
  },
};

const malformed = {
  code: 'VALIDATION_FAILED',
  message: 'The request is not valid HTTP/1.1.',
} as const satisfies { code: HttpErrorCode; message: string };

/** Fastify's `clientErrorHandler`: called with the parser's error and the connection. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection, or one already closed: there is nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, message } = answers[error.code ?? ''] ?? malformed;
  const status = httpErrorStatus[code];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    // end() sends the answer then FIN; the connection closes once it is written.
    socket.once('finish', () => socket.destroy());
    return;
  }
  socket.destroy();
}
