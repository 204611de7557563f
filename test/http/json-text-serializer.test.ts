// The answers of records and datasets, written by json-text-serializer.ts with the stored
// metadata text spliced in, are byte for byte what Fastify's schema-driven serializer makes of
// the same values from the response schemas, with the same headers; their errors too.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance, type FastifySerializerCompiler } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { jsonTextSerializerCompiler } from '../../src/http/json-text-serializer.js';
import { registerErrorHandler } from '../../src/http/plugins/error-handler.js';
import {
  deletedResponse,
  ErrorResponse,
  errorResponses,
} from '../../src/http/schemas/common-schemas.js';
import {
  DatasetPage,
  DatasetResponse,
  toDatasetJson,
} from '../../src/http/schemas/dataset-schemas.js';
import { RecordPage, RecordResponse, toRecordJson } from '../../src/http/schemas/record-schemas.js';
import type { Dataset } from '../../src/registry/datasets/dataset.js';
import type { DataRecord } from '../../src/registry/records/data-record.js';
import { toJsonText } from '../../src/registry/shared/json-text.js';
import { DataRegistryError } from '../../src/shared/errors.js';

const richMetadata = toJsonText({
  owner: 'ana',
  tags: ['a', 'b', 1, 2.5, -0, 1e21, true, false, null],
  nested: { deep: { deeper: [{}, [], { '': '' }] } },
  'ключ "quoted"': 'значение\u0001',
  emoji: '😀',
  '</script>': '\u2028',
  '10': 'an integer key',
});

const record: DataRecord = {
  id: '1',
  name: 'Climate runs',
  description: 'Monthly runs',
  metadata: toJsonText({}),
  storageId: 'climate-runs-20261125T093000123Z-a1b2c3',
  createdAt: '2026-11-25T09:30:00.123Z',
  updatedAt: '2026-11-25T09:30:00.123Z',
  deletedAt: null,
};

const records: DataRecord[] = [
  record,
  { ...record, id: '9223372036854775807', description: null },
  {
    ...record,
    name: 'Café "quoted" \\ back ☃ 𝄞',
    description: 'tab\there\nnew line\r\u2028\u2029 end',
    metadata: richMetadata,
    deletedAt: '2026-11-26T00:00:00.000Z',
  },
];

const dataset: Dataset = {
  id: '7',
  recordId: '1',
  name: 'Monthly means',
  description: null,
  dataType: 'csv',
  metadata: toJsonText({ columns: ['t', 'p'] }),
  createdAt: '2026-11-25T09:30:00.123Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
  deletedAt: null,
};

const datasets: Dataset[] = [
  dataset,
  {
    ...dataset,
    id: '9223372036854775807',
    recordId: '9223372036854775806',
    name: 'Ünïcode "name" \\ 𝄞',
    description: 'line\nbreak\u2028',
    dataType: 'parquet/part "x"',
    metadata: richMetadata,
    deletedAt: '2026-11-26T00:00:00.000Z',
  },
];

/** What Fastify's own serializer gets: the answer with its metadata parsed. */
function parsedMetadata<T extends { metadata: string }>(json: T): Omit<T, 'metadata'> {
  return { ...json, metadata: JSON.parse(json.metadata) as unknown };
}

function serverWith(serializerCompiler: FastifySerializerCompiler<TSchema> | undefined) {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ErrorResponse);
  registerErrorHandler(app, () => false);
  const isSchemaDriven = serializerCompiler === undefined;
  const route = (url: string, schema: TSchema, answer: (index: number) => unknown) => {
    app.get(
      url,
      {
        schema: {
          params: Type.Object({ i: Type.String() }),
          response: { 200: schema, ...deletedResponse, ...errorResponses('RECORD_NOT_FOUND') },
        },
        ...(isSchemaDriven ? {} : { serializerCompiler }),
      },
      async (request, reply) => {
        const index = Number(request.params.i);
        if (index === 204) return reply.code(204).send(null);
        if (index === 404) {
          throw new DataRegistryError(
            'RECORD_NOT_FOUND',
            'No live record has the id "9" ☃ \u2028 </script>.',
          );
        }
        return answer(index);
      },
    );
  };
  const recordJson = (r: DataRecord) =>
    isSchemaDriven ? parsedMetadata(toRecordJson(r)) : toRecordJson(r);
  const datasetJson = (d: Dataset) =>
    isSchemaDriven ? parsedMetadata(toDatasetJson(d)) : toDatasetJson(d);
  route('/records/:i', RecordResponse, (i) => recordJson(records[i]!));
  route('/records/pages/:i', RecordPage, (i) => ({
    items: records.slice(i).map(recordJson),
    next_cursor: i === 0 ? null : 'cmVjb3JkczozNA',
  }));
  route('/datasets/:i', DatasetResponse, (i) => datasetJson(datasets[i]!));
  route('/datasets/pages/:i', DatasetPage, (i) => ({
    items: datasets.slice(i).map(datasetJson),
    next_cursor: i === 0 ? null : 'ZGF0YXNldHM6Nw',
  }));
  return app;
}

let schemaDriven: FastifyInstance;
let written: FastifyInstance;

before(async () => {
  schemaDriven = serverWith(undefined);
  written = serverWith(jsonTextSerializerCompiler);
  await Promise.all([schemaDriven.ready(), written.ready()]);
});

after(async () => {
  await Promise.all([schemaDriven.close(), written.close()]);
});

const paths = [
  ...[0, 1, 2].map((i) => `/records/${i}`),
  '/records/pages/0',
  '/records/pages/1',
  '/records/pages/3',
  '/datasets/0',
  '/datasets/1',
  '/datasets/pages/0',
  '/datasets/pages/1',
];

test('writes each record, dataset and page exactly as the response schemas would', async () => {
  for (const url of paths) {
    const expected = await schemaDriven.inject({ method: 'GET', url });
    const actual = await written.inject({ method: 'GET', url });
    assert.equal(expected.statusCode, 200, expected.body);
    assert.equal(actual.statusCode, 200);
    assert.equal(actual.body, expected.body, url);
    assert.equal(actual.headers['content-type'], expected.headers['content-type'], url);
    assert.equal(actual.headers['content-length'], expected.headers['content-length'], url);
  }
});

test('writes error bodies and empty 204 answers exactly as the schemas would', async () => {
  for (const url of ['/records/404', '/datasets/pages/404', '/records/204', '/datasets/x']) {
    const expected = await schemaDriven.inject({ method: 'GET', url });
    const actual = await written.inject({ method: 'GET', url });
    assert.equal(actual.statusCode, expected.statusCode, url);
    assert.equal(actual.body, expected.body, url);
    assert.equal(actual.headers['content-type'], expected.headers['content-type'], url);
  }
  const notFound = await written.inject({ method: 'GET', url: '/records/404' });
  assert.equal(notFound.statusCode, 404);
  assert.equal(notFound.json<{ error: { code: string } }>().error.code, 'RECORD_NOT_FOUND');
});

test('refuses, when the server starts, a success schema declared without a writer', async () => {
  const app = Fastify();
  app.get(
    '/unwritten',
    {
      schema: { response: { 200: Type.Object({ a: Type.String() }) } },
      serializerCompiler: jsonTextSerializerCompiler,
    },
    () => ({ a: 'b' }),
  );
  await assert.rejects(async () => {
    await app.ready();
  }, /GET \/unwritten: its 200 answer has no writer/);
  await app.close();
});
