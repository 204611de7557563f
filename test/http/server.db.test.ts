import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { openDatabase } from '../../src/db/connect.js';
import { buildServer } from '../../src/http/build-server.js';
import { httpErrorCodes } from '../../src/http/http-error-status.js';
import {
  buildRegistryServices,
  isDatabaseUnavailableOn,
} from '../../src/registry/registry-services.js';
import { DataRegistryError } from '../../src/shared/errors.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { openTestStore, type TestStore } from '../support/object-stores.js';
import {
  openVerifier,
  request,
  startRegistryServer,
  verifierOf,
  type RegistryServer,
} from '../support/registry-server.js';

const codeHead = 'b99e028ac8f3';

interface OpenApiOperation {
  readonly responses: Record<string, unknown>;
  readonly security?: unknown[];
}

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: {
    readonly schemas: {
      readonly ErrorResponse: {
        readonly properties: { error: { properties: { code: { enum: string[] } } } };
      };
    };
  };
}

async function readOpenApi(server: RegistryServer): Promise<OpenApiDocument> {
  const response = await fetch(`${server.url}/openapi.json`);
  assert.equal(response.status, 200);
  return (await response.json()) as OpenApiDocument;
}

/** A pino logger whose lines land, parsed, in `lines`. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

forEachDialect('server status, documentation and logs', (ctx) => {
  describe('on a database at head', () => {
    let server: RegistryServer;
    let testStore: TestStore;
    before(async () => {
      // With an object store, as `serve` always has: the file and upload routes exist.
      testStore = await openTestStore('local');
      server = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        objectStore: testStore.store,
      });
    });
    after(async () => {
      await server.close();
      await testStore.close();
    });

    test('GET /health answers 200 {status: ok}', async () => {
      const response = await request(server, 'GET', '/health');
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { status: 'ok' });
    });

    test('GET /ready answers 200 with the schema revisions of database and code', async () => {
      const response = await request(server, 'GET', '/ready');
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        status: 'ready',
        schema: { database_heads: [codeHead], code_heads: [codeHead], is_current: true },
      });
    });

    test('GET /api/version reports the package version and the schema revisions', async () => {
      const response = await request(server, 'GET', '/api/version');
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        version: '0.0.0-test',
        schema: { database_heads: [codeHead], code_heads: [codeHead], is_current: true },
      });
    });

    test('serves Swagger UI at /docs and the OpenAPI 3.1 document at /openapi.json', async () => {
      const docs = await fetch(`${server.url}/docs`);
      assert.equal(docs.status, 200);
      assert.match(await docs.text(), /Swagger UI/);
      assert.equal((await readOpenApi(server)).openapi, '3.1.0');
    });

    test('documents every route, each with its error responses', async () => {
      const document = await readOpenApi(server);
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
      );
      const fileRoutes = ['/api/records/{id}', '/api/datasets/{id}'].flatMap((owner) => [
        `DELETE ${owner}/files/{filename}`,
        `DELETE ${owner}/uploads/{upload_id}`,
        `GET ${owner}/files`,
        `GET ${owner}/files/{filename}`,
        `GET ${owner}/files/{filename}/versions`,
        `GET ${owner}/uploads/{upload_id}`,
        `GET ${owner}/uploads/{upload_id}/parts`,
        `GET ${owner}/uploads/{upload_id}/parts/{part_number}`,
        `POST ${owner}/files`,
        `POST ${owner}/files/{filename}/download-link`,
        `POST ${owner}/files/{filename}/restore`,
        `POST ${owner}/uploads`,
        `POST ${owner}/uploads/{upload_id}/complete`,
        `PUT ${owner}/files/{filename}`,
      ]);
      assert.deepEqual(
        operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort(),
        [
          'DELETE /api/datasets/{id}',
          'DELETE /api/records/{id}',
          'GET /api/datasets/{id}',
          'GET /api/records',
          'GET /api/records/{id}',
          'GET /api/records/{record_id}/datasets',
          'GET /api/session',
          'GET /api/version',
          'GET /health',
          'GET /ready',
          'PATCH /api/datasets/{id}',
          'PATCH /api/records/{id}',
          'POST /api/records',
          'POST /api/records/{id}/restore',
          'POST /api/records/{record_id}/datasets',
          ...fileRoutes,
        ].sort(),
      );
      for (const { path, method, operation } of operations) {
        const statuses = Object.keys(operation.responses);
        if (path.startsWith('/api/')) {
          for (const status of ['401', '403', '500', '503']) {
            assert.ok(statuses.includes(status), `${method} ${path} documents ${status}`);
          }
          assert.equal(operation.security, undefined, `${method} ${path} needs a key`);
        } else if (path !== '/health') {
          assert.ok(statuses.includes('503'), `${method} ${path} documents 503`);
        }
        if (!path.startsWith('/api/'))
          assert.deepEqual(operation.security, [], `${path} is public`);
      }
    });

    test('lists every error code the API can return in the OpenAPI error schema', async () => {
      const document = await readOpenApi(server);
      const schema = document.components.schemas.ErrorResponse;
      assert.deepEqual(
        [...schema.properties.error.properties.code.enum].sort(),
        [...httpErrorCodes].sort(),
      );
      const documented = JSON.stringify(document.paths);
      // ROUTE_NOT_FOUND answers paths that are not routes, and REQUEST_TIMEOUT and
      // HEADERS_TOO_LARGE answer connections before there is a request to route, so no route
      // documents them (test/http/error-shapes.db.test.ts sends each).
      const beforeRouting = ['ROUTE_NOT_FOUND', 'REQUEST_TIMEOUT', 'HEADERS_TOO_LARGE'];
      for (const code of httpErrorCodes.filter((c) => !beforeRouting.includes(c))) {
        assert.ok(documented.includes(code), `${code} is documented on some route`);
      }
    });

    test('echoes a well-formed incoming x-request-id and replaces a malformed one', async () => {
      const kept = await request(server, 'GET', '/health', {
        headers: { 'x-request-id': 'abc-123.x:y_z' },
      });
      assert.equal(kept.headers.get('x-request-id'), 'abc-123.x:y_z');
      for (const incoming of ['has space', 'x'.repeat(129), 'quote"s']) {
        const replaced = await request(server, 'GET', '/health', {
          headers: { 'x-request-id': incoming },
        });
        assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      }
      const drawn = await request(server, 'GET', '/api/records/987654');
      assert.match(drawn.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    });
  });

  describe('logging', () => {
    let server: RegistryServer;
    const { logger, lines } = capturingLogger();
    let failure: unknown;
    before(async () => {
      const verifier = {
        isAuthRequired: () => Promise.resolve(true),
        verify: async (token: string) => {
          if (token === 'fail') throw failure;
          return verifierOf({ ok: 'admin' }).verify(token);
        },
      };
      server = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        logger,
        verifier,
      });
    });
    after(() => server.close());

    const linesOf = (requestId: string) => lines.filter((line) => line.reqId === requestId);

    test('logs every line of a request with its request id', async () => {
      const response = await request(server, 'POST', '/api/records', {
        body: { name: 'logged' },
        headers: { 'x-request-id': 'req-logged-1', access_token: 'ok' },
      });
      assert.equal(response.status, 201);
      const own = linesOf('req-logged-1');
      assert.ok(own.length >= 2, 'incoming request and request completed');
      assert.ok(own.some((line) => line.msg === 'request completed'));
    });

    test("sends 503 with a fixed message and logs the driver's reason under the request id", async () => {
      failure = new DataRegistryError(
        'DATABASE_UNAVAILABLE',
        'Cannot connect to postgresql://app:***@db/x: secret-driver-text',
        {},
        { cause: new Error('connect ECONNREFUSED secret-driver-text') },
      );
      const response = await request(server, 'GET', '/api/records', {
        headers: { 'x-request-id': 'req-503', access_token: 'fail' },
      });
      assert.equal(response.status, 503);
      assert.equal(response.body.error.code, 'DATABASE_UNAVAILABLE');
      assert.doesNotMatch(JSON.stringify(response.body), /secret|ECONNREFUSED|postgresql/);
      assert.ok(
        linesOf('req-503').some((line) => JSON.stringify(line).includes('secret-driver-text')),
        'the reason is logged',
      );
    });

    test('sends 500 INTERNAL_ERROR for a bug, without its message, and logs it', async () => {
      failure = new Error('secret-bug-detail');
      const response = await request(server, 'GET', '/api/records', {
        headers: { 'x-request-id': 'req-500', access_token: 'fail' },
      });
      assert.equal(response.status, 500);
      assert.equal(response.body.error.code, 'INTERNAL_ERROR');
      assert.doesNotMatch(JSON.stringify(response.body), /secret/);
      const logged = linesOf('req-500').find((line) => line.level === 50);
      assert.ok(logged && JSON.stringify(logged).includes('secret-bug-detail'));
    });

    test('never logs the API key', () => {
      assert.ok(lines.length > 0);
      assert.ok(
        !lines.some(
          (line) =>
            JSON.stringify(line).includes('"ok"') && JSON.stringify(line).includes('access_token'),
        ),
      );
    });
  });

  describe('on a database without the schema', () => {
    test('GET /ready answers 503 SCHEMA_NOT_APPLIED, and 503 DATABASE_UNAVAILABLE when the status cannot be read', async () => {
      const handle = await openDatabase(await ctx.freshDatabaseUrl());
      let status: () => Promise<{ databaseHeads: string[]; codeHeads: string[] }> = () =>
        Promise.resolve({ databaseHeads: [], codeHeads: [codeHead] });
      const app = await buildServer({
        services: buildRegistryServices(handle),
        keyVerifier: openVerifier,
        isDatabaseUnavailable: isDatabaseUnavailableOn(handle),
        logger: false,
        version: '1.2.3',
        schemaStatus: () => status(),
      });
      try {
        const notApplied = await app.inject('/ready');
        assert.equal(notApplied.statusCode, 503);
        assert.equal(
          notApplied.json<{ error: { code: string } }>().error.code,
          'SCHEMA_NOT_APPLIED',
        );
        status = () =>
          Promise.reject(
            new DataRegistryError(
              'DATABASE_UNAVAILABLE',
              'Cannot connect: ECONNREFUSED 127.0.0.1:1',
            ),
          );
        const unreachable = await app.inject('/ready');
        assert.equal(unreachable.statusCode, 503);
        assert.equal(
          unreachable.json<{ error: { code: string } }>().error.code,
          'DATABASE_UNAVAILABLE',
        );
        assert.doesNotMatch(unreachable.body, /ECONNREFUSED/);
        const health = await app.inject('/health');
        assert.equal(health.statusCode, 200);
      } finally {
        await app.close();
        await handle.close();
      }
    });
  });
});
