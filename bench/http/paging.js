// Paging a big table from the first page to the last through next_cursor, one request at a time:
// the latency of `GET /api/records?limit=100` at the start, in the middle and at the end (each
// page requested `repeats` times, its median kept), beside the same SELECT run directly. The
// stretches between are walked with limit=1000 pages, whose latencies are kept per tenth of the
// table.
import path from 'node:path';
import { median } from '../support/stats.js';
import { listQuery, openLimitDatabase } from './limit.js';
import { explainListQuery, loadRecords } from './load.js';
import { defaultPoolSize, startServer } from './server.js';

const WARM_UP_REQUESTS = 300;

/** Loads `settings.pagingRecords` records into `target`, then walks them; results into `entry`. */
export async function measurePaging({ dialect, entry, settings, root, workDir, log }, target) {
  const poolSize = target.dialect === 'postgresql' ? defaultPoolSize(root, target.ours) : 1;
  log(`${dialect.label}: loading ${settings.pagingRecords} records for paging…`);
  const loaded = await loadRecords(target, settings.pagingRecords, 'big');
  log(`${dialect.label}: ${loaded.rows} records loaded in ${(loaded.ms / 1000).toFixed(1)} s`);
  const limit = await openLimitDatabase(target, poolSize);
  try {
    const server = await startServer({
      root,
      databaseUrl: target.ours,
      logLevel: 'warn',
      logFile: path.join(workDir, `server-${target.dialect}-paging.log`),
    });
    try {
      const started = performance.now();
      const walked = await walkAllPages({
        server,
        db: limit.db,
        total: loaded.rows,
        pageSize: 100,
        pagesPerPosition: 10,
        repeats: 5,
        walkPageSize: 1000,
        log,
      });
      const middle = walked.positions.find((position) => position.name === 'middle');
      const query = listQuery(limit.db, 100, middle.afterId).compile();
      entry.paging = {
        loaded,
        ...walked,
        walkMs: performance.now() - started,
        plan: await explainListQuery(target, query.sql, query.parameters),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await limit.close();
  }
}

/**
 * @param {{ server: { url: string }, db: import('kysely').Kysely<any>, total: number,
 *   pageSize: number, pagesPerPosition: number, repeats: number, walkPageSize: number,
 *   log: (message: string) => void }} options
 */
async function walkAllPages({
  server,
  db,
  total,
  pageSize,
  pagesPerPosition,
  repeats,
  walkPageSize,
  log,
}) {
  const sampleRows = pageSize * pagesPerPosition;
  const state = { cursor: undefined, afterId: undefined, rowsRead: 0, done: false };
  const walk = { latencies: Array.from({ length: 10 }, () => []), requests: 0 };
  const positions = [];
  // A fresh server compiles its code on the first requests: without this, the first position
  // would look slower for that reason alone.
  for (let i = 0; i < WARM_UP_REQUESTS; i += 1) {
    await fetchPage(server, pageSize, undefined);
    await listQuery(db, pageSize, undefined).execute();
  }
  const starts = [
    ['first', 0],
    ['middle', Math.floor(total / 2)],
    ['last', total - sampleRows],
  ];
  for (const [name, startRow] of starts) {
    await walkTo(startRow, { server, state, walk, total, walkPageSize });
    log(`paging: ${name} ${pagesPerPosition} pages from row ${state.rowsRead + 1}`);
    positions.push(
      await samplePages({ name, server, db, state, pageSize, pagesPerPosition, repeats }),
    );
  }
  if (!state.done) throw new Error(`paging: row ${state.rowsRead} of ${total} has a next_cursor`);
  if (state.rowsRead !== total)
    throw new Error(`paging: read ${state.rowsRead} rows, the table has ${total}`);
  return {
    positions,
    walk: {
      pageSize: walkPageSize,
      requests: walk.requests,
      tenths: walk.latencies.map((samples) => ({ count: samples.length, median: median(samples) })),
    },
  };
}

async function walkTo(targetRow, { server, state, walk, total, walkPageSize }) {
  while (state.rowsRead < targetRow) {
    const limit = Math.min(walkPageSize, targetRow - state.rowsRead);
    const { page, ms } = await fetchPage(server, limit, state.cursor);
    if (limit === walkPageSize) {
      walk.latencies[Math.min(9, Math.floor((state.rowsRead / total) * 10))].push(ms);
    }
    walk.requests += 1;
    advance(state, page, limit);
  }
}

async function samplePages({ name, server, db, state, pageSize, pagesPerPosition, repeats }) {
  const startRow = state.rowsRead + 1;
  const afterId = state.afterId;
  const api = [];
  const limit = [];
  for (let page = 0; page < pagesPerPosition; page += 1) {
    const apiSamples = [];
    let body;
    for (let r = 0; r < repeats; r += 1) {
      const fetched = await fetchPage(server, pageSize, state.cursor);
      body = fetched.page;
      apiSamples.push(fetched.ms);
    }
    const limitSamples = [];
    for (let r = 0; r < repeats; r += 1) {
      const started = performance.now();
      const rows = await listQuery(db, pageSize, state.afterId).execute();
      limitSamples.push(performance.now() - started);
      if (String(rows[0]?.id) !== body.items[0]?.id)
        throw new Error(
          `paging: the direct SELECT starts at ${rows[0]?.id}, the API at ${body.items[0]?.id}`,
        );
    }
    api.push(median(apiSamples));
    limit.push(median(limitSamples));
    advance(state, body, pageSize);
  }
  return { name, startRow, endRow: state.rowsRead, afterId, api, limit };
}

function advance(state, page, limit) {
  if (state.done)
    throw new Error(`paging: asked for rows past the last page (row ${state.rowsRead})`);
  if (page.items.length !== limit && page.next_cursor !== null)
    throw new Error(`paging: ${page.items.length} items for limit=${limit}, with a next_cursor`);
  state.rowsRead += page.items.length;
  state.afterId = page.items.at(-1)?.id ?? state.afterId;
  state.cursor = page.next_cursor ?? undefined;
  state.done = page.next_cursor === null;
}

/** One page, and the time (ms) from sending the request to the last byte of the answer. */
async function fetchPage(server, limit, cursor) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor !== undefined) query.set('cursor', cursor);
  const started = performance.now();
  const response = await fetch(`${server.url}/api/records?${query}`);
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200)
    throw new Error(
      `paging: GET /api/records?${query} answered ${response.status}: ${text.slice(0, 200)}`,
    );
  return { page: JSON.parse(text), ms };
}
