import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/for-each-dialect.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

forEachDialect('records over HTTP', (ctx) => {
  let server: RegistryServer;
  before(async () => {
    server = await startRegistryServer({ databaseUrl: await ctx.freshDatabaseUrl() });
  });
  after(() => server.close());

  const create = (body: unknown) => request(server, 'POST', '/api/records', { body });

  test('creates a record and returns it with id, storage id and UTC timestamps', async () => {
    const response = await create({
      name: 'Climate runs',
      description: 'Monthly runs',
      metadata: { owner: 'ana', tags: ['a', 'b'], nested: { n: 1.5, ok: true, none: null } },
    });
    assert.equal(response.status, 201);
    const record = response.body;
    assert.match(record.id, /^[1-9][0-9]*$/);
    assert.equal(record.name, 'Climate runs');
    assert.equal(record.description, 'Monthly runs');
    assert.deepEqual(record.metadata, {
      owner: 'ana',
      tags: ['a', 'b'],
      nested: { n: 1.5, ok: true, none: null },
    });
    assert.match(record.storage_id, /^climate-runs-\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    assert.match(record.created_at, isoUtc);
    assert.equal(record.updated_at, record.created_at);
    assert.equal(record.deleted_at, null);
    const fetched = await request(server, 'GET', `/api/records/${record.id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, record);
  });

  test('defaults description to null and metadata to {}', async () => {
    const response = await create({ name: 'bare' });
    assert.equal(response.status, 201);
    assert.equal(response.body.description, null);
    assert.deepEqual(response.body.metadata, {});
  });

  test('refuses a second live record with the same name with 409 RECORD_NAME_TAKEN', async () => {
    assert.equal((await create({ name: 'twice' })).status, 201);
    const second = await create({ name: 'twice' });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'RECORD_NAME_TAKEN');
    assert.match(second.body.error.message, /"twice"/);
  });

  test('treats names that differ only in case as different names', async () => {
    assert.equal((await create({ name: 'Case' })).status, 201);
    assert.equal((await create({ name: 'case' })).status, 201);
  });

  test('answers 404 RECORD_NOT_FOUND for an id that does not exist', async () => {
    for (const [method, path] of [
      ['GET', '/api/records/987654321'],
      ['PATCH', '/api/records/987654321'],
      ['DELETE', '/api/records/987654321'],
      ['POST', '/api/records/987654321/restore'],
    ] as const) {
      const response = await request(server, method, path, {
        body: method === 'PATCH' ? { name: 'x' } : undefined,
      });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.error.code, 'RECORD_NOT_FOUND');
    }
  });

  test('answers 400 naming `id` for ids that are not positive 64-bit integers', async () => {
    for (const id of [
      'abc',
      '0',
      '-1',
      '1.5',
      '01',
      '12345678901234567890',
      '9223372036854775808',
    ]) {
      const response = await request(server, 'GET', `/api/records/${id}`);
      assert.equal(response.status, 400, id);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      assert.match(response.body.error.message, /`id`/);
    }
  });

  test('changes name, description and metadata with PATCH, leaving absent fields alone', async () => {
    const created = (await create({ name: 'to change', description: 'd', metadata: { a: 1 } }))
      .body;
    const renamed = await request(server, 'PATCH', `/api/records/${created.id}`, {
      body: { name: 'changed' },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'changed');
    assert.equal(renamed.body.description, 'd');
    assert.deepEqual(renamed.body.metadata, { a: 1 });
    assert.equal(renamed.body.storage_id, created.storage_id, 'the storage id never changes');
    assert.ok(renamed.body.updated_at >= created.updated_at);
    const cleared = await request(server, 'PATCH', `/api/records/${created.id}`, {
      body: { description: null, metadata: { b: [2] } },
    });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.description, null);
    assert.deepEqual(cleared.body.metadata, { b: [2] });
    const unchanged = await request(server, 'PATCH', `/api/records/${created.id}`, { body: {} });
    assert.equal(unchanged.status, 200);
    assert.deepEqual(unchanged.body, cleared.body);
  });

  test('refuses a rename onto a live name with 409 and accepts renaming to its own name', async () => {
    const first = (await create({ name: 'rename-a' })).body;
    await create({ name: 'rename-b' });
    const clash = await request(server, 'PATCH', `/api/records/${first.id}`, {
      body: { name: 'rename-b' },
    });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'RECORD_NAME_TAKEN');
    const same = await request(server, 'PATCH', `/api/records/${first.id}`, {
      body: { name: 'rename-a' },
    });
    assert.equal(same.status, 200);
  });

  test('soft-deletes: hidden from get, patch and lists, shown with include_deleted, name free again', async () => {
    const created = (await create({ name: 'doomed' })).body;
    const deleted = await request(server, 'DELETE', `/api/records/${created.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined);
    assert.equal((await request(server, 'GET', `/api/records/${created.id}`)).status, 404);
    const patch = await request(server, 'PATCH', `/api/records/${created.id}`, {
      body: { name: 'x' },
    });
    assert.equal(patch.status, 404);
    assert.equal((await request(server, 'DELETE', `/api/records/${created.id}`)).status, 404);
    const live = await request(server, 'GET', '/api/records?limit=1000');
    assert.ok(!live.body.items.some((r: { id: string }) => r.id === created.id));
    const all = await request(server, 'GET', '/api/records?limit=1000&include_deleted=true');
    const shown = all.body.items.find((r: { id: string }) => r.id === created.id);
    assert.ok(shown, 'listed with include_deleted=true');
    assert.match(shown.deleted_at ?? 'null', isoUtc);
    const reused = await create({ name: 'doomed' });
    assert.equal(reused.status, 201, 'the name is free again');
    assert.notEqual(reused.body.storage_id, created.storage_id);
  });

  test('restores a deleted record, and refuses with 409 when its name was taken meanwhile', async () => {
    const original = (await create({ name: 'phoenix' })).body;
    await request(server, 'DELETE', `/api/records/${original.id}`);
    const restored = await request(server, 'POST', `/api/records/${original.id}/restore`);
    assert.equal(restored.status, 200);
    assert.equal(restored.body.deleted_at, null);
    assert.equal(restored.body.storage_id, original.storage_id);
    assert.equal((await request(server, 'GET', `/api/records/${original.id}`)).status, 200);

    await request(server, 'DELETE', `/api/records/${original.id}`);
    assert.equal((await create({ name: 'phoenix' })).status, 201);
    const refused = await request(server, 'POST', `/api/records/${original.id}/restore`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'RECORD_NAME_TAKEN');
    assert.equal((await request(server, 'GET', `/api/records/${original.id}`)).status, 404);
  });

  test('restoring a live record returns it unchanged', async () => {
    const created = (await create({ name: 'alive' })).body;
    const restored = await request(server, 'POST', `/api/records/${created.id}/restore`);
    assert.equal(restored.status, 200);
    assert.deepEqual(restored.body, created);
  });

  test('accepts DELETE and restore sent with a JSON content type but no body', async () => {
    const created = (await create({ name: 'headers only' })).body;
    const headers = { 'content-type': 'application/json' };
    const deleted = await fetch(`${server.url}/api/records/${created.id}`, {
      method: 'DELETE',
      headers,
    });
    assert.equal(deleted.status, 204);
    const restored = await fetch(`${server.url}/api/records/${created.id}/restore`, {
      method: 'POST',
      headers,
    });
    assert.equal(restored.status, 200);
  });

  test('lets only one of many concurrent creations of one name succeed', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => create({ name: 'race' })));
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
  });
});
