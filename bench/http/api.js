// The API side: autocannon from this process against the server process, `connections` requests
// always in flight. Latencies come from autocannon's own per-response timings (hrtime, ms) and
// are summarised exactly as the limit's are.
import autocannon from 'autocannon';
import { cpuBetween, readCpuClocks } from './cpu-time.js';
import { databaseCpuBetween } from './database-cpu.js';
import { LatencyRecorder } from './latencies.js';

/**
 * The requests of one scenario, as autocannon `requests`; `setupRequest` gives every request its
 * own path or body.
 * @param {{ kind: 'create' | 'get' | 'list', ids: string[], tag: string }} scenario
 */
export function requestsFor({ kind, ids, tag }) {
  let n = 0;
  switch (kind) {
    case 'create':
      return [
        {
          method: 'POST',
          path: '/api/records',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => {
            n += 1;
            return {
              ...request,
              body: JSON.stringify({
                name: `${tag}-${n}`,
                description: 'benchmark record',
                metadata: { source: 'bench', n: 1 },
              }),
            };
          },
        },
      ];
    case 'get':
      return [
        {
          method: 'GET',
          setupRequest: (request) => {
            n += 1;
            return { ...request, path: `/api/records/${ids[n % ids.length]}` };
          },
        },
      ];
    case 'list':
      return [{ method: 'GET', path: '/api/records?limit=100' }];
    default:
      throw new Error(`unknown scenario ${kind}`);
  }
}

/**
 * One autocannon run against `server`; the CPU of the server (and of the database's backends,
 * given `databaseCpu`, a database-cpu.js reader) is measured as well.
 * @returns {Promise<import('./latencies.js').RunPart>}
 */
export async function runAutocannon({ server, requests, connections, durationMs, databaseCpu }) {
  const latencies = new LatencyRecorder();
  let failures = 0;
  const statusCodes = {};
  const databaseBefore = await databaseCpu?.read();
  const before = readCpuClocks(server.pid);
  const started = performance.now();
  const instance = autocannon({
    url: server.url,
    connections,
    duration: durationMs / 1000,
    requests,
    timeout: 30,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) latencies.record(responseTime);
    else failures += 1;
  });
  const result = await instance;
  const elapsed = performance.now() - started;
  const cpu = cpuBetween(before, readCpuClocks(server.pid));
  cpu.databaseMs = databaseCpuBetween(databaseBefore, await databaseCpu?.read());
  const failed = failures + result.errors + result.timeouts;
  return {
    latencies,
    failures: failed,
    failureSample:
      failed > 0
        ? `status codes ${JSON.stringify(statusCodes)}, ${result.errors} errors, ${result.timeouts} timeouts`
        : undefined,
    durationMs: elapsed,
    cpu,
    subject: 'server',
  };
}

/**
 * One answer of the scenario's kind from a real server (status and body bytes), for the bare
 * server to send back.
 */
export async function fetchSample(server, kind, ids) {
  const init =
    kind === 'create'
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            name: `sample-${Date.now()}`,
            description: 'benchmark record',
            metadata: { source: 'bench', n: 1 },
          }),
        }
      : { method: 'GET' };
  const path = {
    create: '/api/records',
    get: `/api/records/${ids[0]}`,
    list: '/api/records?limit=100',
  }[kind];
  const response = await fetch(`${server.url}${path}`, init);
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`${init.method} ${path} answered ${response.status}`);
  return { status: response.status, body };
}
