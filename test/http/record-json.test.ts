// The records' JSON text, written by the routes themselves, is byte for byte what Fastify's
// serializer makes from the response schemas, and goes out with the same content type.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DataRecord } from '../../src/registry/records/data-record.js';
import {
  RecordPage,
  RecordResponse,
  recordJsonText,
  recordPageJsonText,
  type RecordJson,
} from '../../src/http/schemas/record-schemas.js';
import { sendJsonText } from '../../src/http/json-text.js';

const base: DataRecord = {
  id: '1',
  name: 'Climate runs',
  description: 'Monthly runs',
  metadataJson: '{}',
  storageId: 'climate-runs-20261125T093000123Z-a1b2c3',
  createdAt: '2026-11-25T09:30:00.123Z',
  updatedAt: '2026-11-25T09:30:00.123Z',
  deletedAt: null,
};

const records: DataRecord[] = [
  base,
  { ...base, id: '9223372036854775807', description: null },
  {
    ...base,
    name: 'Café "quoted" \\ back ☃ 𝄞',
    description: 'tab\there\nnew line\r\u2028\u2029 end',
    metadataJson: JSON.stringify({
      owner: 'ana',
      tags: ['a', 'b', 1, 2.5, -0, 1e21, true, false, null],
      nested: { deep: { deeper: [{}, [], { '': '' }] } },
      'ключ "quoted"': 'значение\u0001',
      emoji: '😀',
      '</script>': '\u2028',
    }),
    deletedAt: '2026-11-26T00:00:00.000Z',
  },
];

/** The record as the response schema's object, for Fastify's own serializer. */
function toRecordJson(record: DataRecord): RecordJson {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    metadata: JSON.parse(record.metadataJson) as RecordJson['metadata'],
    storage_id: record.storageId,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    deleted_at: record.deletedAt,
  };
}

let app: FastifyInstance;
let schemaDriven: FastifyInstance;

before(async () => {
  // The former way: objects through the response schemas.
  const server = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  server.get('/one/:i', { schema: { response: { 200: RecordResponse } } }, (request) =>
    toRecordJson(records[Number((request.params as { i: string }).i)]!),
  );
  server.get('/page/:cursor', { schema: { response: { 200: RecordPage } } }, (request) => {
    const { cursor } = request.params as { cursor: string };
    return {
      items: records.map(toRecordJson),
      next_cursor: cursor === 'none' ? null : cursor,
    };
  });
  schemaDriven = server;
  // The way the routes answer now.
  const textual = Fastify();
  textual.get('/one/:i', async (request, reply) =>
    sendJsonText(reply, 200, recordJsonText(records[Number((request.params as { i: string }).i)]!)),
  );
  textual.get('/page/:cursor', async (request, reply) => {
    const { cursor } = request.params as { cursor: string };
    const page = { items: records, nextCursor: cursor === 'none' ? null : cursor };
    return sendJsonText(reply, 200, recordPageJsonText(page));
  });
  app = textual;
  await Promise.all([schemaDriven.ready(), app.ready()]);
});

after(async () => {
  await Promise.all([schemaDriven.close(), app.close()]);
});

const paths = [...records.keys()]
  .map((i) => `/one/${i}`)
  .concat(['/page/none', '/page/cmVjb3JkczozNA']);

test('writes each record and page exactly as the response schemas would', async () => {
  for (const url of paths) {
    const expected = await schemaDriven.inject({ method: 'GET', url });
    const actual = await app.inject({ method: 'GET', url });
    assert.equal(expected.statusCode, 200, expected.body);
    assert.equal(actual.statusCode, 200);
    assert.equal(actual.body, expected.body, url);
    assert.equal(actual.headers['content-type'], expected.headers['content-type'], url);
    assert.equal(actual.headers['content-length'], expected.headers['content-length'], url);
  }
});
