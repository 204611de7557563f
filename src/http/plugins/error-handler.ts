// Turns every error into `{"error": {"code", "message"}}` with the status of its code, and logs
// it with the request id. Driver messages go to the log only; the only path to a 500 is a bug.

import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fieldLimits } from '../../registry/shared/field-checks.js';
import { isDataRegistryError } from '../../shared/errors.js';
import { httpErrorStatus, isHttpErrorCode, type HttpErrorCode } from '../http-error-status.js';
import type { ApiServer } from '../server-types.js';
import { describeValidationError, type ValidationIssue } from './validation-message.js';

interface ErrorReply {
  readonly code: HttpErrorCode;
  readonly message: string;
  /** What goes to the log besides code and message (the original error for 5xx). */
  readonly logged?: unknown;
}

const unavailableMessage = 'The database cannot be reached; try again shortly.';
const internalMessage =
  "Unexpected server error; the server log has the details under this response's x-request-id.";

/**
 * Installs the error and not-found handlers. An error no service translated becomes 503
 * DATABASE_UNAVAILABLE when `isDatabaseUnavailable` says so (the dialect's classification, chosen
 * by the caller), 500 otherwise.
 */
export function registerErrorHandler(
  app: ApiServer,
  isDatabaseUnavailable: (error: unknown) => boolean,
): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const described = describeError(error, isDatabaseUnavailable);
    if (httpErrorStatus[described.code] === 413 && !request.raw.complete) {
      // Fastify closes the connection after a 413 (the rest of the body may follow). Closing
      // while the client is still sending makes its kernel answer with a reset, which often
      // reaches the client before it has read the 413; so read and drop the rest first, up to
      // a bound, and the client reads the answer.
      return discardRequestBody(request.raw).then(() => {
        sendError(request, reply, described);
        return reply;
      });
    }
    sendError(request, reply, described);
    return undefined;
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    sendError(request, reply, {
      code: 'ROUTE_NOT_FOUND',
      message: `No route matches ${request.method} ${shown}; /openapi.json lists the routes.`,
    });
  });
}

/**
 * Fastify's `frameworkErrors`: errors found while routing, before any hook runs (a URL that
 * cannot be decoded, a path parameter over maxParamLength), answered like every other.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  sendError(
    request,
    reply,
    describeFastifyError(error) ?? {
      code: 'VALIDATION_FAILED',
      message: `The request is not valid: ${error.message}.`,
    },
  );
}

/** The most of an oversized body read and dropped before answering 413; beyond, the reset risk remains. */
export const discardedBodyLimit = { bytes: 64 * 1024 ** 2, milliseconds: 10_000 } as const;

/** Resolves once the request body has been read to its end, or past the bound (in bytes or time). */
function discardRequestBody(request: IncomingMessage): Promise<void> {
  const declared = Number(request.headers['content-length']);
  if (request.destroyed || declared > discardedBodyLimit.bytes) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = 0;
    const finish = () => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', finish);
      request.off('close', finish);
      request.off('error', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > discardedBodyLimit.bytes) finish();
    };
    const timer = setTimeout(finish, discardedBodyLimit.milliseconds);
    request.on('data', onData);
    request.once('end', finish);
    request.once('close', finish);
    request.once('error', finish);
    request.resume();
  });
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: ErrorReply): void {
  const status = httpErrorStatus[error.code];
  // SHUTTING_DOWN is the server saying no on purpose, to every health check of the drain.
  if (status >= 500 && error.code !== 'SHUTTING_DOWN') {
    request.log.error({ err: error.logged, code: error.code }, error.message);
  } else {
    request.log.info({ code: error.code }, error.message);
  }
  void reply.code(status).send({ error: { code: error.code, message: error.message } });
}

function describeError(
  error: unknown,
  isDatabaseUnavailable: (error: unknown) => boolean,
): ErrorReply {
  if (isDataRegistryError(error)) {
    if (error.code === 'DATABASE_UNAVAILABLE') {
      return {
        code: 'DATABASE_UNAVAILABLE',
        message: unavailableMessage,
        logged: error.cause ?? error,
      };
    }
    if (isHttpErrorCode(error.code) && error.code !== 'INTERNAL_ERROR') {
      return { code: error.code, message: error.message };
    }
    return { code: 'INTERNAL_ERROR', message: internalMessage, logged: error };
  }
  const fastifyError = describeFastifyError(error);
  if (fastifyError !== undefined) return fastifyError;
  if (isUnavailableSafely(isDatabaseUnavailable, error)) {
    return { code: 'DATABASE_UNAVAILABLE', message: unavailableMessage, logged: error };
  }
  return { code: 'INTERNAL_ERROR', message: internalMessage, logged: error };
}

/** Fastify's client errors that deserve their own message. */
const fastifyClientErrors = new Map<string | undefined, ErrorReply>(
  Object.entries({
    FST_ERR_CTP_BODY_TOO_LARGE: {
      code: 'REQUEST_TOO_LARGE',
      message: `The request body is too large; metadata may hold at most ${fieldLimits.metadataBytes / 1024} KiB.`,
    },
    FST_ERR_CTP_INVALID_MEDIA_TYPE: {
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'The body must be JSON; send it with `Content-Type: application/json`.',
    },
    FST_ERR_CTP_EMPTY_JSON_BODY: {
      code: 'VALIDATION_FAILED',
      message: 'The body is empty; send a JSON object.',
    },
    FST_ERR_CTP_INVALID_JSON_BODY: {
      code: 'VALIDATION_FAILED',
      message:
        'The body is not valid JSON, or holds a `__proto__` or `constructor.prototype` key, which is refused.',
    },
  }),
);

/** Fastify's own client errors: validation, body parsing, content type, size. */
function describeFastifyError(error: unknown): ErrorReply | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as Partial<FastifyError> & { validation?: ValidationIssue[] };
  if (Array.isArray(candidate.validation)) {
    return {
      code: 'VALIDATION_FAILED',
      message: describeValidationError(candidate.validation, candidate.validationContext),
    };
  }
  const known = fastifyClientErrors.get(candidate.code);
  if (known !== undefined) return known;
  const status = candidate.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Any other client error Fastify detects (a malformed URL, a wrong Content-Length…). Its
    // message is Fastify's own, written for clients, and holds no driver text.
    return {
      code:
        status === 413
          ? 'REQUEST_TOO_LARGE'
          : status === 415
            ? 'UNSUPPORTED_MEDIA_TYPE'
            : 'VALIDATION_FAILED',
      message: `The request is not valid: ${candidate.message ?? 'unknown reason'}.`,
    };
  }
  return undefined;
}

/** A predicate that throws while looking at an error must not hide that error: it answers no. */
function isUnavailableSafely(
  isDatabaseUnavailable: (error: unknown) => boolean,
  error: unknown,
): boolean {
  try {
    return isDatabaseUnavailable(error);
  } catch {
    return false;
  }
}
