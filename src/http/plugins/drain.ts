// The server's side of a rolling restart, before it stops listening: once draining, /ready
// answers 503 SHUTTING_DOWN (routes/status-routes.ts asks `isDraining`) so that a load balancer
// takes the server out of rotation, while every other route keeps serving; every response then
// carries `Connection: close`, so that clients open their next connection to another server.
// Also counts the requests in flight, which stop-server.ts reports when its grace period ends.

import type { ServerResponse } from 'node:http';
import type { ApiServer } from '../server-types.js';

export interface DrainState {
  /** True from the first SIGTERM or SIGINT (stop-server.ts) until the process exits. */
  isDraining: boolean;
  /** Responses not yet finished or aborted. */
  readonly inFlight: Set<ServerResponse>;
}

const drainStates = new WeakMap<object, DrainState>();

/** Installs the hooks; the returned state is also found by {@link drainStateOf}. */
export function registerDrain(app: ApiServer): DrainState {
  const state: DrainState = { isDraining: false, inFlight: new Set() };
  drainStates.set(app, state);
  app.server.on('request', (_request, response: ServerResponse) => {
    state.inFlight.add(response);
    response.once('close', () => {
      state.inFlight.delete(response);
      // A response that began before the drain went out without `Connection: close`; once the
      // server no longer listens, its connection is idle now and closes instead of waiting.
      if (state.isDraining && !app.server.listening) app.server.closeIdleConnections();
    });
  });
  // onSend rather than onRequest: a request that arrived before the drain and answers during it
  // must close its connection too. Fastify adds the same header itself once app.close() runs.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (state.isDraining) void reply.header('connection', 'close');
    done(null, payload);
  });
  return state;
}

/** The drain state of a server made by buildServer. */
export function drainStateOf(app: object): DrainState {
  const state = drainStates.get(app);
  if (state === undefined) throw new Error('The server was not built by buildServer');
  return state;
}
