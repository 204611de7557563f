// A request body as a stream of its own, for uploads. The object store destroys the body it was
// given when a put fails; destroying the request itself would also destroy its socket, and no
// error (413…) could be answered. So the request is piped into another stream, which a failing
// put may destroy freely, and which errors when the client goes away mid-body.

import type { IncomingMessage } from 'node:http';
import { PassThrough, type Duplex } from 'node:stream';

export interface DetachedBody<T extends Duplex> {
  /** The body's bytes, through `into`. */
  readonly body: T;
  /** Aborted (with a reason) when the client closes the connection before the body's end. */
  readonly signal: AbortSignal;
}

/** The message of the error a detached body fails with when the client disconnects. */
export const clientGoneMessage = 'The client closed the connection before the body was complete.';

/** Pipes `request` into `into` (default a PassThrough). Call once per request. */
export function detachBody<T extends Duplex = PassThrough>(
  request: IncomingMessage,
  into?: T,
): DetachedBody<T> {
  const body = into ?? (new PassThrough() as unknown as T);
  const controller = new AbortController();
  const onGone = () => {
    if (request.complete) return;
    const reason = new Error(clientGoneMessage);
    controller.abort(reason);
    body.destroy(reason);
  };
  // Whoever reads the body (the store's put, the multipart file promise) sees its error; this
  // listener only keeps an error that happens while nobody reads from being an uncaught one.
  body.on('error', () => undefined);
  request.once('error', onGone);
  request.once('close', onGone);
  // pipe(), unlike pipeline(), leaves the request alone when `body` is destroyed: it unpipes.
  request.pipe(body);
  return { body, signal: controller.signal };
}
