// An HTTP proxy in front of the S3 server of a transfer test: it forwards every request as it is
// (the Host header too, so presigned signatures still hold), counts the part PUTs of multipart
// uploads, and can hold part PUTs unanswered, so that a test can interrupt a direct upload at a
// known point.

import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PartProxy {
  /** `http://127.0.0.1:<port>`: the S3 endpoint to give the server. */
  readonly url: string;
  /** Part numbers whose PUT reached the S3 server and was answered 2xx, in order of completion. */
  readonly storedParts: number[];
  /** Part numbers whose PUT arrived (held ones included), in order of arrival. */
  readonly receivedParts: number[];
  /** Lets `count` part PUTs through, then holds every further one until `release()`. */
  holdAfter(count: number): void;
  /** Forwards every part PUT again; held ones are dropped, not forwarded. */
  release(): void;
  /** Forgets the counts. */
  reset(): void;
  close(): Promise<void>;
}

export async function startPartProxy(target: string): Promise<PartProxy> {
  const targetUrl = new URL(target);
  let allowed = Number.POSITIVE_INFINITY;
  let forwardedParts = 0;
  const storedParts: number[] = [];
  const receivedParts: number[] = [];
  const held = new Set<IncomingMessage>();

  const server: Server = createServer((incoming, outgoing) => {
    const query = new URL(incoming.url ?? '/', 'http://proxy').searchParams;
    const partNumber = incoming.method === 'PUT' ? query.get('partNumber') : null;
    if (partNumber !== null) {
      receivedParts.push(Number(partNumber));
      if (forwardedParts >= allowed) {
        held.add(incoming);
        incoming.on('close', () => held.delete(incoming));
        return; // never answered: the client sees a part in flight until it gives up or dies
      }
      forwardedParts += 1;
    }
    const upstream = forward(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        answer.on('end', () => {
          const status = answer.statusCode ?? 0;
          if (partNumber !== null && status >= 200 && status < 300) {
            storedParts.push(Number(partNumber));
          }
        });
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  const release = (): void => {
    allowed = Number.POSITIVE_INFINITY;
    for (const request of held) request.socket.destroy();
    held.clear();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    storedParts,
    receivedParts,
    holdAfter(count) {
      allowed = forwardedParts + count;
    },
    release,
    reset() {
      storedParts.length = 0;
      receivedParts.length = 0;
    },
    async close() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
