// A loopback TCP proxy in front of a real database server, which a test can cut and restore to
// make the database unreachable for a server under test, without touching the database itself.

import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The loopback port to connect to instead of the target's. */
  readonly port: number;
  /**
   * Ends every connection through the proxy (with a TCP reset) and resets new ones as soon as
   * they arrive, until `restore()`: to its clients the database has gone away.
   */
  cut(): void;
  /** Forwards new connections again. */
  restore(): void;
  /** Stops listening and ends every connection. */
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let isCut = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    track(client);
    if (isCut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    track(upstream);
    const endBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', endBoth);
    upstream.on('error', endBoth);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The proxy has no port');
  const resetAll = () => {
    for (const socket of sockets) socket.resetAndDestroy();
  };
  return {
    port: address.port,
    cut() {
      isCut = true;
      resetAll();
    },
    restore() {
      isCut = false;
    },
    close() {
      resetAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
