// A client-side load balancer on loopback: requests spread round-robin over the backends that
// its health check (GET /ready every `checkIntervalMs`) considers healthy, as an AWS target
// group or a Kubernetes Service would. Requests go through Node's fetch (undici), whose
// kept-alive connections are what a restart must not break. Never retries a request.

import { setTimeout as sleep } from 'node:timers/promises';

export interface BalancedPoolOptions {
  /** Milliseconds between two health checks of a backend. */
  readonly checkIntervalMs: number;
  /** Failed checks in a row that take a backend out of rotation. */
  readonly unhealthyThreshold: number;
  /** Passed checks in a row that put it back. */
  readonly healthyThreshold: number;
}

interface Backend {
  readonly url: string;
  isHealthy: boolean;
  passes: number;
  failures: number;
  /** Resolvers waiting for this backend's next state change. */
  waiters: { healthy: boolean; resolve: () => void }[];
}

export class BalancedPool {
  readonly #backends: Backend[];
  readonly #options: BalancedPoolOptions;
  #next = 0;
  #isRunning = false;
  readonly #loops: Promise<void>[] = [];

  constructor(urls: readonly string[], options: BalancedPoolOptions) {
    this.#options = options;
    this.#backends = urls.map((url) => ({
      url,
      isHealthy: false,
      passes: 0,
      failures: 0,
      waiters: [],
    }));
  }

  /** Starts the health checks; resolves once every backend is healthy. */
  async start(): Promise<void> {
    this.#isRunning = true;
    for (const backend of this.#backends) this.#loops.push(this.#checkLoop(backend));
    await Promise.all(this.#backends.map((backend) => this.waitFor(backend.url, true)));
  }

  async stop(): Promise<void> {
    this.#isRunning = false;
    await Promise.all(this.#loops);
  }

  /** Resolves once the pool considers the backend healthy (or, with false, out of rotation). */
  waitFor(url: string, healthy: boolean): Promise<void> {
    const backend = this.#backendOf(url);
    if (backend.isHealthy === healthy) return Promise.resolve();
    return new Promise((resolve) => backend.waiters.push({ healthy, resolve }));
  }

  /** The backends in rotation now. */
  healthyUrls(): string[] {
    return this.#backends.filter((backend) => backend.isHealthy).map((backend) => backend.url);
  }

  /**
   * Sends the request to the next healthy backend. Throws, like fetch, when the connection
   * fails; rejects at once when no backend is healthy (a balancer's 503).
   */
  async fetch(
    path: string,
    init: RequestInit = {},
  ): Promise<{ backend: string; response: Response }> {
    const healthy = this.#backends.filter((backend) => backend.isHealthy);
    if (healthy.length === 0) throw new Error('no healthy backend');
    const backend = healthy[this.#next++ % healthy.length]!;
    return { backend: backend.url, response: await fetch(`${backend.url}${path}`, init) };
  }

  async #checkLoop(backend: Backend): Promise<void> {
    while (this.#isRunning) {
      const passed = await this.#check(backend.url);
      if (passed) {
        backend.failures = 0;
        backend.passes += 1;
        if (!backend.isHealthy && backend.passes >= this.#options.healthyThreshold) {
          this.#setHealthy(backend, true);
        }
      } else {
        backend.passes = 0;
        backend.failures += 1;
        if (backend.isHealthy && backend.failures >= this.#options.unhealthyThreshold) {
          this.#setHealthy(backend, false);
        }
      }
      await sleep(this.#options.checkIntervalMs);
    }
  }

  async #check(url: string): Promise<boolean> {
    try {
      const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  #setHealthy(backend: Backend, healthy: boolean): void {
    backend.isHealthy = healthy;
    const waiting = backend.waiters.filter((waiter) => waiter.healthy === healthy);
    backend.waiters = backend.waiters.filter((waiter) => waiter.healthy !== healthy);
    for (const waiter of waiting) waiter.resolve();
  }

  #backendOf(url: string): Backend {
    const backend = this.#backends.find((candidate) => candidate.url === url);
    if (backend === undefined) throw new Error(`${url} is not a backend of the pool`);
    return backend;
  }
}
