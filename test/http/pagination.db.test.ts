import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/for-each-dialect.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';

const total = 350;

interface Item {
  readonly id: string;
  readonly name: string;
}

forEachDialect('record pagination over HTTP', (ctx) => {
  let server: RegistryServer;
  const created: Item[] = [];
  before(async () => {
    server = await startRegistryServer({ databaseUrl: await ctx.freshDatabaseUrl() });
    for (let start = 0; start < total; start += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, total - start) }, (_, i) =>
          request(server, 'POST', '/api/records', {
            body: {
              name: `page ${String(start + i).padStart(4, '0')}`,
              description: (start + i) % 7 === 0 ? 'seventh' : null,
            },
          }),
        ),
      );
      for (const response of batch) {
        assert.equal(response.status, 201);
        created.push(response.body);
      }
    }
  });
  after(() => server.close());

  /** Follows next_cursor to the end; `between` runs after each page. */
  const readAll = async (query: string, between?: () => Promise<void>) => {
    const items: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const response = await request(server, 'GET', `/api/records?${query}${suffix}`);
      assert.equal(response.status, 200);
      items.push(...(response.body.items as Item[]));
      cursor = response.body.next_cursor;
      pages += 1;
      await between?.();
    } while (cursor !== null);
    return { items, pages };
  };

  const sortedIds = (items: readonly Item[]) =>
    items.map((item) => BigInt(item.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  test('pages through every record once, in id order, without duplicates or gaps', async () => {
    const { items, pages } = await readAll('limit=40');
    assert.equal(pages, Math.ceil(total / 40));
    assert.deepEqual(
      items.map((i) => i.id),
      [...sortedIds(created)].map(String),
    );
    assert.equal(new Set(items.map((i) => i.id)).size, total);
  });

  test('uses 100 items per page by default and at most 1000', async () => {
    const first = await request(server, 'GET', '/api/records');
    assert.equal(first.body.items.length, 100);
    assert.equal(typeof first.body.next_cursor, 'string');
    const all = await request(server, 'GET', '/api/records?limit=1000');
    assert.ok(all.body.items.length >= total);
  });

  test('ends with next_cursor null when the last page is exactly full', async () => {
    const { items, pages } = await readAll(`limit=${total}&q=page`);
    assert.equal(items.length, total);
    assert.equal(pages, 1);
  });

  test('keeps every existing record exactly once while records are created concurrently', async () => {
    let extra = 0;
    const insertSome = async () => {
      await Promise.all(
        Array.from({ length: 3 }, () =>
          request(server, 'POST', '/api/records', { body: { name: `concurrent ${extra++}` } }),
        ),
      );
    };
    const { items } = await readAll('limit=30', insertSome);
    const seen = items.map((i) => i.id);
    assert.equal(new Set(seen).size, seen.length, 'no duplicates');
    const seenSet = new Set(seen);
    for (const item of created) assert.ok(seenSet.has(item.id), `record ${item.id} missing`);
    assert.deepEqual(seen, [...sortedIds(items)].map(String), 'in id order');
  });

  test('pages through search results and deleted records with the same cursor scheme', async () => {
    const sevenths = created.filter((_, index) => index % 7 === 0);
    const { items } = await readAll('limit=7&q=SEVENTH');
    assert.deepEqual(
      items.map((i) => i.id),
      [...sortedIds(sevenths)].map(String),
    );

    const victims = created.slice(0, 20);
    for (const victim of victims) {
      assert.equal((await request(server, 'DELETE', `/api/records/${victim.id}`)).status, 204);
    }
    const live = await readAll('limit=50&q=page');
    assert.equal(live.items.length, total - victims.length);
    const withDeleted = await readAll('limit=50&q=page&include_deleted=true');
    assert.equal(withDeleted.items.length, total);
  });

  test('pages newest first with order=newest, every record once, searched or not', async () => {
    const ids = async (query: string) => (await readAll(query)).items.map((i) => i.id);
    const oldest = await ids('limit=100&include_deleted=true');
    assert.ok(oldest.length >= total);
    assert.deepEqual(await ids('limit=40&order=newest&include_deleted=true'), oldest.reverse());
    const sevenths = created.filter((_, index) => index % 7 === 0);
    assert.deepEqual(
      await ids('limit=6&order=newest&q=seventh&include_deleted=true'),
      [...sortedIds(sevenths)].reverse().map(String),
    );
  });

  test('refuses a cursor of one order in the other, and an unknown order, with 400', async () => {
    const first = await request(server, 'GET', '/api/records?limit=2&order=newest');
    const cursor = encodeURIComponent(first.body.next_cursor as string);
    const mixed = await request(server, 'GET', `/api/records?order=oldest&cursor=${cursor}`);
    assert.equal(mixed.status, 400);
    assert.match(mixed.body.error.message, /`cursor`/);
    const unknown = await request(server, 'GET', '/api/records?order=sideways');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /order/);
  });

  test('refuses a cursor of another list with 400', async () => {
    const record = created.at(-1)!;
    const datasetCursor = Buffer.from(`datasets:${record.id}`).toString('base64url');
    const response = await request(server, 'GET', `/api/records?cursor=${datasetCursor}`);
    assert.equal(response.status, 400);
    assert.match(response.body.error.message, /`cursor`/);
  });
});
