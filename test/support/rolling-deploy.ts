// A deployment on loopback, as docs/production.md describes one: two `dataregistry serve`
// processes (prod) on one database behind a BalancedPool health-checking /ready, under steady
// load from concurrent clients that create records and read them back. Steps run one at a time
// (each server restarted with SIGTERM, a revision applied while a reader holds a lock…); every
// request is recorded under the step it ran in. `finish()` stops the load, reads every
// acknowledged write back and reports per step. Used by test/e2e/rolling-deploy.db.test.ts and
// `npm run bench -- deploy` (bench/deploy/).

import { once } from 'node:events';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli, type CliResult } from './run-cli.js';
import { versionsDir as packageVersionsDir } from './registry-server.js';
import { holdTableLock } from './table-lock-holder.js';
import { startServe, type ServeProcess } from '../e2e/serve-process.js';
import { BalancedPool, type BalancedPoolOptions } from './balanced-pool.js';

export interface DeploymentOptions {
  /** An empty database on a server; `upgrade head` runs on it first. */
  readonly databaseUrl: string;
  /** The working folder of the processes. */
  readonly cwd: string;
  readonly drainPeriodMs: number;
  readonly gracePeriodMs: number;
  /** Concurrent clients, each sending one request after the other. */
  readonly clients: number;
  readonly pool: BalancedPoolOptions;
  /** The versions folder the servers start with; default the registry's own. */
  readonly versionsDir?: string;
}

export interface RequestOutcome {
  readonly step: string;
  readonly method: string;
  readonly backend: string;
  readonly milliseconds: number;
  /** Undefined when the request succeeded (2xx). */
  readonly failure: string | undefined;
}

export interface StepFigures {
  readonly step: string;
  readonly requests: number;
  readonly failed: number;
  readonly slowestMs: number;
  readonly p99Ms: number;
  /** The first few failures, for a message. */
  readonly failures: readonly string[];
}

export interface DeploymentReport {
  readonly steps: readonly StepFigures[];
  readonly acknowledgedWrites: number;
  /** Acknowledged writes that could not be read back afterwards, with why. */
  readonly lostWrites: readonly string[];
}

/** When the reader of `applyRevisionBehindLock` commits. */
export type ReaderRelease =
  /** This long after the migration is first seen waiting for its lock. */
  | { readonly afterWaitingMs: number }
  /** Once the upgrade prints a stderr line matching this (e.g. its table-lock retry line). */
  | { readonly onStderrLine: RegExp };

const apiKey = 'rolling-deploy-admin-key-0123456789';
const steady = 'steady';

export class Deployment {
  readonly #options: DeploymentOptions;
  readonly #ports: number[];
  readonly #servers: ServeProcess[];
  readonly #pool: BalancedPool;
  readonly #outcomes: RequestOutcome[] = [];
  readonly #written: { id: string; name: string }[] = [];
  readonly #stepOrder: string[] = [steady];
  #step = steady;
  #isLoading = true;
  #clients: Promise<void>[] = [];
  #countWaiters: { count: number; resolve: () => void }[] = [];
  /** The revisions of the last migration applied, on which the next one builds. */
  #latestVersionsDir: string | undefined;

  private constructor(options: DeploymentOptions, ports: number[], servers: ServeProcess[]) {
    this.#options = options;
    this.#ports = ports;
    this.#servers = servers;
    this.#latestVersionsDir = options.versionsDir;
    this.#pool = new BalancedPool(
      ports.map((port) => urlOf(port)),
      options.pool,
    );
  }

  /** Upgrades the database, starts both servers and the pool, then the load. */
  static async start(options: DeploymentOptions): Promise<Deployment> {
    const upgraded = await runCli(['upgrade', 'head', '--db', options.databaseUrl], {
      cwd: options.cwd,
    });
    if (upgraded.code !== 0) throw new Error(`upgrade head failed: ${upgraded.stderr}`);
    const ports = [await freePort(), await freePort()];
    const servers: ServeProcess[] = [];
    const deployment = new Deployment(options, ports, servers);
    for (const port of ports) servers.push(await deployment.#serve(port, options.versionsDir));
    await deployment.#pool.start();
    deployment.#clients = Array.from({ length: options.clients }, (_, client) =>
      deployment.#runClient(client),
    );
    return deployment;
  }

  /** The processes now serving, in the order of their ports. */
  get servers(): readonly ServeProcess[] {
    return this.#servers;
  }

  get urls(): string[] {
    return this.#ports.map((port) => urlOf(port));
  }

  /** Resolves once `count` more requests have completed (to let load run between steps). */
  requestsCompleted(count: number): Promise<void> {
    const target = this.#outcomes.length + count;
    return new Promise((resolve) => this.#countWaiters.push({ count: target, resolve }));
  }

  /** Runs `work` as the named step: the requests sent meanwhile are counted under it. */
  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.#stepOrder.push(name);
    this.#step = name;
    try {
      return await work();
    } finally {
      this.#step = steady;
    }
  }

  /**
   * Restarts server `index` as an operator rolling a release would: SIGTERM, wait for exit 0,
   * start it again on the same port (with `versionsDir`, the new release's, if given), and wait
   * until the balancer has it back in rotation.
   */
  async restart(index: number, versionsDir?: string): Promise<void> {
    const port = this.#ports[index]!;
    await this.step(`restart server ${index + 1}`, async () => {
      const exit = await this.#servers[index]!.stop('SIGTERM');
      if (exit.code !== 0) {
        throw new Error(
          `server ${index + 1} exited ${exit.code ?? exit.signal}: ${this.#servers[index]!.stderr()}`,
        );
      }
      this.#servers[index] = await this.#serve(port, versionsDir ?? this.#options.versionsDir);
      await this.#pool.waitFor(urlOf(port), true);
    });
  }

  /**
   * The expand step of a deploy, the way the lock queue makes it hurt: another connection holds
   * a read lock on `records` (an open transaction), `dataregistry upgrade head` applies the
   * revision `upgradeSql` adds (on top of the previous step's revisions, if any), and the reader
   * commits when `release` says. Resolves with the upgrade's result, the folder of the new
   * release's revisions (for the restarts that follow) and what was seen of the reader.
   */
  async applyRevisionBehindLock(options: {
    readonly upgradeSql: string;
    readonly downgradeSql: string;
    readonly release: ReaderRelease;
    /** Extra arguments for `upgrade` (e.g. the table-lock settings). */
    readonly upgradeArgs?: readonly string[];
    /** The name the step's requests are counted under; default `migration behind a lock`. */
    readonly step?: string;
  }): Promise<{
    upgrade: CliResult;
    versionsDir: string;
    revision: string;
    /** How the database names the reader's session (`pid 4242`, `connection 17`). */
    holderLabel: string;
    /** The upgrade's stderr line the reader let go on (with `onStderrLine`), if it came. */
    releasedOn: string | undefined;
  }> {
    const { databaseUrl, cwd } = this.#options;
    const versionsDir = join(cwd, `versions-${this.#stepOrder.length}`);
    cpSync(this.#latestVersionsDir ?? packageVersionsDir, versionsDir, { recursive: true });
    const made = await runCli(['revision', '-m', 'expand records', '--dir', versionsDir], { cwd });
    if (made.code !== 0) throw new Error(`revision failed: ${made.stderr}`);
    const path = made.stdout.trim();
    writeFileSync(
      path,
      readFileSync(path, 'utf8')
        .replace('-- migrate:upgrade\n', `-- migrate:upgrade\n${options.upgradeSql}\n`)
        .replace('-- migrate:downgrade\n', `-- migrate:downgrade\n${options.downgradeSql}\n`),
    );
    const revision = /([0-9a-f]{12})_expand_records/.exec(path)?.[1] ?? path;
    const result = await this.step(options.step ?? 'migration behind a lock', async () => {
      const holder = await holdTableLock(databaseUrl, 'records');
      const release = options.release;
      let upgrade: CliResult | undefined;
      let releasedOn: string | undefined;
      let seeLine = (_line: string): void => {};
      const lineSeen = new Promise<void>((resolve) => {
        seeLine = (line) => {
          releasedOn ??= line;
          resolve();
        };
      });
      const upgrading = runCli(
        [
          'upgrade',
          'head',
          '--db',
          databaseUrl,
          '--dir',
          versionsDir,
          ...(options.upgradeArgs ?? []),
        ],
        {
          cwd,
          onStderr: (stderr) => {
            if (!('onStderrLine' in release)) return;
            const line = stderr
              .split('\n')
              .find((candidate) => release.onStderrLine.test(candidate));
            if (line !== undefined) seeLine(line);
          },
        },
      ).then((result) => (upgrade = result));
      try {
        if ('onStderrLine' in release) {
          // Until the upgrade says what it waits for (or ends without saying it).
          await Promise.race([lineSeen, upgrading]);
        } else {
          // Condition, not time: until the DDL waits behind the reader (or is already done).
          while (upgrade === undefined && !(await holder.isAlterWaiting())) await sleep(20);
          await sleep(release.afterWaitingMs);
        }
      } finally {
        await holder.release();
      }
      return {
        upgrade: await upgrading,
        versionsDir,
        revision,
        holderLabel: holder.label,
        releasedOn,
      };
    });
    if (result.upgrade.code === 0) this.#latestVersionsDir = versionsDir;
    return result;
  }

  /** Stops the load, reads every acknowledged write back, stops the servers, reports. */
  async finish(): Promise<DeploymentReport> {
    this.#isLoading = false;
    await Promise.all(this.#clients);
    const lostWrites = await this.#readBack();
    await this.#pool.stop();
    for (const server of this.#servers) await server.stop('SIGTERM');
    return {
      steps: this.#stepOrder.map((step) => figuresOf(step, this.#outcomes)),
      acknowledgedWrites: this.#written.length,
      lostWrites,
    };
  }

  /** Kills what is left after a failure (safe to call after finish). */
  kill(): void {
    this.#isLoading = false;
    for (const server of this.#servers) server.child.kill('SIGKILL');
    void this.#pool.stop();
  }

  #serve(port: number, versionsDir: string | undefined): Promise<ServeProcess> {
    const { databaseUrl, drainPeriodMs, gracePeriodMs, cwd } = this.#options;
    return startServe(
      [
        '--db',
        databaseUrl,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--drain-period',
        `${drainPeriodMs}ms`,
        '--grace-period',
        `${gracePeriodMs}ms`,
        ...(versionsDir === undefined ? [] : ['--dir', versionsDir]),
      ],
      { cwd, env: { DATA_REGISTRY_ENV: 'prod', DATA_REGISTRY_API_KEY: apiKey } },
    );
  }

  /** One client: creates a record, reads it back through the balancer, again and again. */
  async #runClient(client: number): Promise<void> {
    for (let n = 0; this.#isLoading; n++) {
      const name = `client ${client} record ${n}`;
      const created = await this.#send('POST', '/api/records', { name });
      if (created === undefined) {
        // A client that was refused backs off a little instead of spinning.
        await sleep(50);
        continue;
      }
      const { id } = created as { id: string };
      this.#written.push({ id, name });
      await this.#send('GET', `/api/records/${id}`);
    }
  }

  async #send(method: string, path: string, body?: unknown): Promise<unknown> {
    const step = this.#step;
    const started = performance.now();
    let backend = '';
    let failure: string | undefined;
    let parsed: unknown;
    try {
      const sent = await this.#pool.fetch(path, {
        method,
        headers: {
          access_token: apiKey,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      backend = sent.backend;
      const text = await sent.response.text();
      if (sent.response.ok) parsed = JSON.parse(text);
      else failure = `${method} ${path} → ${sent.response.status} ${text}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      failure = `${method} ${path} → ${cause?.code ?? cause?.message ?? String(error)}`;
    }
    this.#outcomes.push({
      step,
      method,
      backend,
      milliseconds: performance.now() - started,
      failure,
    });
    const done = this.#outcomes.length;
    for (const waiter of this.#countWaiters.filter((candidate) => candidate.count <= done)) {
      waiter.resolve();
    }
    this.#countWaiters = this.#countWaiters.filter((candidate) => candidate.count > done);
    return failure === undefined ? parsed : undefined;
  }

  async #readBack(): Promise<string[]> {
    const lost: string[] = [];
    const pending = [...this.#written];
    const readers = Array.from({ length: 8 }, async () => {
      for (let write = pending.pop(); write !== undefined; write = pending.pop()) {
        const { response } = await this.#pool.fetch(`/api/records/${write.id}`, {
          headers: { access_token: apiKey },
        });
        const text = await response.text();
        if (response.status !== 200) lost.push(`${write.id}: ${response.status} ${text}`);
        else if ((JSON.parse(text) as { name: string }).name !== write.name) {
          lost.push(`${write.id}: name ${text}`);
        }
      }
    });
    await Promise.all(readers);
    return lost;
  }
}

function figuresOf(step: string, outcomes: readonly RequestOutcome[]): StepFigures {
  const mine = outcomes.filter((outcome) => outcome.step === step);
  const times = mine.map((outcome) => outcome.milliseconds).sort((a, b) => a - b);
  const failures = mine.flatMap((outcome) =>
    outcome.failure === undefined ? [] : [outcome.failure],
  );
  return {
    step,
    requests: mine.length,
    failed: failures.length,
    slowestMs: times.at(-1) ?? 0,
    p99Ms: times[Math.max(0, Math.ceil(times.length * 0.99) - 1)] ?? 0,
    failures: failures.slice(0, 5),
  };
}

function urlOf(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** A port nothing listens on now (the operating system's choice). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
