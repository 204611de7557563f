import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/for-each-dialect.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';

forEachDialect('datasets over HTTP', (ctx) => {
  let server: RegistryServer;
  before(async () => {
    server = await startRegistryServer({ databaseUrl: await ctx.freshDatabaseUrl() });
  });
  after(() => server.close());

  let recordCount = 0;
  const newRecord = async (): Promise<string> => {
    const response = await request(server, 'POST', '/api/records', {
      body: { name: `record ${recordCount++}` },
    });
    assert.equal(response.status, 201);
    return response.body.id;
  };
  const createDataset = (recordId: string, body: unknown) =>
    request(server, 'POST', `/api/records/${recordId}/datasets`, { body });

  test('creates a dataset of a record and returns it', async () => {
    const recordId = await newRecord();
    const response = await createDataset(recordId, {
      name: 'temperatures',
      description: 'daily',
      data_type: 'csv',
      metadata: { columns: ['day', 'celsius'] },
    });
    assert.equal(response.status, 201);
    const dataset = response.body;
    assert.match(dataset.id, /^[1-9][0-9]*$/);
    assert.equal(dataset.record_id, recordId);
    assert.equal(dataset.name, 'temperatures');
    assert.equal(dataset.description, 'daily');
    assert.equal(dataset.data_type, 'csv');
    assert.deepEqual(dataset.metadata, { columns: ['day', 'celsius'] });
    assert.equal(dataset.deleted_at, null);
    const fetched = await request(server, 'GET', `/api/datasets/${dataset.id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, dataset);
  });

  test('keeps names unique among the live datasets of one record only', async () => {
    const first = await newRecord();
    const second = await newRecord();
    assert.equal((await createDataset(first, { name: 'shared', data_type: 'csv' })).status, 201);
    const clash = await createDataset(first, { name: 'shared', data_type: 'parquet' });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'DATASET_NAME_TAKEN');
    assert.equal((await createDataset(second, { name: 'shared', data_type: 'csv' })).status, 201);
  });

  test("lists a record's datasets page by page, and deleted ones with include_deleted", async () => {
    const recordId = await newRecord();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      ids.push((await createDataset(recordId, { name: `part ${i}`, data_type: 'bin' })).body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await request(
        server,
        'GET',
        `/api/records/${recordId}/datasets?limit=10${suffix}`,
      );
      assert.equal(page.status, 200);
      seen.push(...page.body.items.map((d: { id: string }) => d.id));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    assert.deepEqual(seen, ids);

    assert.equal((await request(server, 'DELETE', `/api/datasets/${ids[0]}`)).status, 204);
    const live = await request(server, 'GET', `/api/records/${recordId}/datasets?limit=100`);
    assert.equal(live.body.items.length, 24);
    const all = await request(
      server,
      'GET',
      `/api/records/${recordId}/datasets?limit=100&include_deleted=true`,
    );
    assert.equal(all.body.items.length, 25);
    assert.notEqual(all.body.items[0]?.deleted_at, null);
  });

  test('changes a dataset with PATCH and refuses a rename onto a live name', async () => {
    const recordId = await newRecord();
    const a = (await createDataset(recordId, { name: 'a', data_type: 'csv', metadata: { v: 1 } }))
      .body;
    await createDataset(recordId, { name: 'b', data_type: 'csv' });
    const changed = await request(server, 'PATCH', `/api/datasets/${a.id}`, {
      body: { name: 'a2', data_type: 'parquet', description: 'converted', metadata: { v: 2 } },
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.name, 'a2');
    assert.equal(changed.body.data_type, 'parquet');
    assert.equal(changed.body.description, 'converted');
    assert.deepEqual(changed.body.metadata, { v: 2 });
    const clash = await request(server, 'PATCH', `/api/datasets/${a.id}`, { body: { name: 'b' } });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'DATASET_NAME_TAKEN');
  });

  test('deletes a dataset softly, freeing its name', async () => {
    const recordId = await newRecord();
    const dataset = (await createDataset(recordId, { name: 'gone', data_type: 'csv' })).body;
    assert.equal((await request(server, 'DELETE', `/api/datasets/${dataset.id}`)).status, 204);
    for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']] as const) {
      const response = await request(server, method, `/api/datasets/${dataset.id}`, { body });
      assert.equal(response.status, 404, method);
      assert.equal(response.body.error.code, 'DATASET_NOT_FOUND');
    }
    assert.equal((await createDataset(recordId, { name: 'gone', data_type: 'csv' })).status, 201);
  });

  test('hides the datasets of a deleted record, and shows them again when it is restored', async () => {
    const recordId = await newRecord();
    const dataset = (await createDataset(recordId, { name: 'kept', data_type: 'csv' })).body;
    assert.equal((await request(server, 'DELETE', `/api/records/${recordId}`)).status, 204);

    const get = await request(server, 'GET', `/api/datasets/${dataset.id}`);
    assert.equal(get.status, 404);
    assert.equal(get.body.error.code, 'DATASET_NOT_FOUND');
    const list = await request(server, 'GET', `/api/records/${recordId}/datasets`);
    assert.equal(list.status, 404);
    assert.equal(list.body.error.code, 'RECORD_NOT_FOUND');
    const create = await createDataset(recordId, { name: 'late', data_type: 'csv' });
    assert.equal(create.status, 404);
    assert.equal(create.body.error.code, 'RECORD_NOT_FOUND');
    assert.equal(
      (await request(server, 'PATCH', `/api/datasets/${dataset.id}`, { body: { name: 'y' } }))
        .status,
      404,
    );
    assert.equal((await request(server, 'DELETE', `/api/datasets/${dataset.id}`)).status, 404);

    assert.equal((await request(server, 'POST', `/api/records/${recordId}/restore`)).status, 200);
    const back = await request(server, 'GET', `/api/datasets/${dataset.id}`);
    assert.equal(back.status, 200);
    assert.deepEqual(back.body, dataset);
  });

  test('answers 404 for unknown records and datasets and 400 for malformed ids', async () => {
    const missingRecord = await createDataset('987654321', { name: 'x', data_type: 'csv' });
    assert.equal(missingRecord.status, 404);
    assert.equal(missingRecord.body.error.code, 'RECORD_NOT_FOUND');
    const missingList = await request(server, 'GET', '/api/records/987654321/datasets');
    assert.equal(missingList.body.error.code, 'RECORD_NOT_FOUND');
    const missing = await request(server, 'GET', '/api/datasets/987654321');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'DATASET_NOT_FOUND');
    const malformed = await request(server, 'GET', '/api/records/x1/datasets');
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error.message, /`record_id`/);
    const malformedDataset = await request(server, 'GET', '/api/datasets/1e3');
    assert.equal(malformedDataset.status, 400);
    assert.match(malformedDataset.body.error.message, /`id`/);
  });

  test('refuses invalid dataset input with 400 naming the field', async () => {
    const recordId = await newRecord();
    for (const [body, field] of [
      [{ name: 'no type' }, 'data_type'],
      [{ name: 'x', data_type: '' }, 'data_type'],
      [{ name: 'x', data_type: 'y'.repeat(101) }, 'data_type'],
      [{ name: 'x', data_type: 'tab\there' }, 'data_type'],
      [{ name: 'x', data_type: 5 }, 'data_type'],
      [{ data_type: 'csv' }, 'name'],
      [{ name: 'x', data_type: 'csv', metadata: [1] }, 'metadata'],
      [{ name: 'x', data_type: 'csv', record_id: '1' }, 'record_id'],
    ] as const) {
      const response = await createDataset(recordId, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      assert.match(response.body.error.message, new RegExp(`\`${field}\``), JSON.stringify(body));
    }
    const cursor = Buffer.from(`records:${recordId}`).toString('base64url');
    const wrongCursor = await request(
      server,
      'GET',
      `/api/records/${recordId}/datasets?cursor=${cursor}`,
    );
    assert.equal(wrongCursor.status, 400);
  });

  test('stores a hostile dataset name verbatim', async () => {
    const recordId = await newRecord();
    const name = "x'); DROP TABLE datasets; -- 🧪";
    const response = await createDataset(recordId, { name, data_type: "csv' OR '1'='1" });
    assert.equal(response.status, 201);
    const fetched = await request(server, 'GET', `/api/datasets/${response.body.id}`);
    assert.equal(fetched.body.name, name);
    assert.equal(fetched.body.data_type, "csv' OR '1'='1");
  });
});
