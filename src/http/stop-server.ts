// Stops a server built by buildServer the way a rolling restart needs (docs/production.md):
// drain (ready says no, the rest serves), stop listening and close idle connections, let the
// requests in flight finish within a grace period, then close whatever is left.

import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { drainStateOf } from './plugins/drain.js';

export interface StopServerOptions {
  /**
   * Milliseconds between the moment /ready starts answering 503 SHUTTING_DOWN and the moment the
   * server stops listening: long enough for the balancer's health checks to take it out of
   * rotation. 0 stops listening at once.
   */
  readonly drainPeriodMs: number;
  /** Milliseconds the requests in flight have to finish once the server stops listening. */
  readonly gracePeriodMs: number;
  readonly logger: FastifyBaseLogger;
}

export interface StopReport {
  /** Connections closed by force because their request had not finished within the grace period. */
  readonly forcedConnections: number;
}

/** Resolves once the server is closed (it never rejects for requests cut short: it counts them). */
export async function stopServer(
  app: FastifyInstance,
  options: StopServerOptions,
): Promise<StopReport> {
  const state = drainStateOf(app);
  state.isDraining = true;
  const { drainPeriodMs, gracePeriodMs, logger } = options;
  if (drainPeriodMs > 0) {
    logger.info(
      { drainPeriodMs },
      `Draining for ${seconds(drainPeriodMs)}: /ready answers 503 SHUTTING_DOWN, other routes still serve`,
    );
    await sleep(drainPeriodMs);
  }
  logger.info(
    { inFlight: state.inFlight.size, gracePeriodMs },
    `Stopping: no new connections; idle ones closed; finishing ${state.inFlight.size} request(s) in flight (grace period ${seconds(gracePeriodMs)})`,
  );
  // app.close() stops listening, closes idle kept-alive connections (Node's server.close()
  // does since Node 19) and resolves once every connection has ended.
  const closed = app.close();
  let forcedConnections = 0;
  const grace = new AbortController();
  const graceOver = sleep(gracePeriodMs, undefined, { signal: grace.signal }).then(
    () => {
      forcedConnections = state.inFlight.size;
      if (forcedConnections > 0) {
        logger.warn(
          { forcedConnections },
          `Grace period over: closing ${forcedConnections} connection(s) whose request had not finished`,
        );
      }
      app.server.closeAllConnections();
    },
    () => undefined,
  );
  await closed;
  grace.abort();
  await graceOver;
  return { forcedConnections };
}

function seconds(milliseconds: number): string {
  return `${milliseconds / 1000} s`;
}
