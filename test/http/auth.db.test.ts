import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../support/for-each-dialect.js';
import {
  request,
  startRegistryServer,
  verifierOf,
  type RegistryServer,
} from '../support/registry-server.js';

const tokens = { 'read-token': 'read', 'write-token': 'write', 'admin-token': 'admin' } as const;

const viaAccessToken = (token: string) => ({ access_token: token });
const viaBearer = (token: string) => ({ authorization: `Bearer ${token}` });

forEachDialect('API keys over HTTP', (ctx) => {
  describe('with keys configured', () => {
    let server: RegistryServer;
    let recordId: string;
    before(async () => {
      server = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        verifier: verifierOf(tokens),
      });
      const created = await request(server, 'POST', '/api/records', {
        body: { name: 'guarded' },
        headers: viaAccessToken('admin-token'),
      });
      recordId = created.body.id;
    });
    after(() => server.close());

    test('answers 401 UNAUTHENTICATED without a key, with a WWW-Authenticate header', async () => {
      for (const [method, path] of [
        ['GET', '/api/records'],
        ['GET', `/api/records/${recordId}`],
        ['POST', '/api/records'],
        ['GET', '/api/version'],
        ['DELETE', `/api/datasets/1`],
      ] as const) {
        const response = await request(server, method, path, {
          body: method === 'POST' ? { name: 'x' } : undefined,
        });
        assert.equal(response.status, 401, `${method} ${path}`);
        assert.equal(response.body.error.code, 'UNAUTHENTICATED');
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
    });

    test('answers 401 for an unknown key, an empty one and a non-Bearer Authorization', async () => {
      for (const headers of [
        viaAccessToken('nope'),
        viaBearer('nope'),
        viaAccessToken(''),
        { authorization: 'Basic cmVhZC10b2tlbjp4' },
        { authorization: 'read-token' },
      ]) {
        const response = await request(server, 'GET', '/api/records', { headers });
        assert.equal(response.status, 401, JSON.stringify(headers));
        assert.equal(response.body.error.code, 'UNAUTHENTICATED');
      }
    });

    for (const [how, header] of [
      ['access_token header', viaAccessToken],
      ['Authorization: Bearer', viaBearer],
    ] as const) {
      test(`lets a read key read but not write (${how})`, async () => {
        const headers = header('read-token');
        assert.equal((await request(server, 'GET', '/api/records', { headers })).status, 200);
        assert.equal(
          (await request(server, 'GET', `/api/records/${recordId}`, { headers })).status,
          200,
        );
        assert.equal((await request(server, 'GET', '/api/version', { headers })).status, 200);
        const head = await fetch(`${server.url}/api/records/${recordId}`, {
          method: 'HEAD',
          headers,
        });
        assert.equal(head.status, 200);
        for (const [method, path, body] of [
          ['POST', '/api/records', { name: 'by reader' }],
          ['PATCH', `/api/records/${recordId}`, { name: 'by reader' }],
          ['DELETE', `/api/records/${recordId}`, undefined],
          ['POST', `/api/records/${recordId}/restore`, undefined],
          ['POST', `/api/records/${recordId}/datasets`, { name: 'd', data_type: 'csv' }],
        ] as const) {
          const response = await request(server, method, path, { body, headers });
          assert.equal(response.status, 403, `${method} ${path}`);
          assert.equal(response.body.error.code, 'FORBIDDEN');
          assert.match(response.body.error.message, /`read`.*`write`/);
        }
      });

      test(`lets a write key and an admin key read and write (${how})`, async () => {
        for (const token of ['write-token', 'admin-token']) {
          const headers = header(token);
          const created = await request(server, 'POST', '/api/records', {
            body: { name: `by ${token} ${how}` },
            headers,
          });
          assert.equal(created.status, 201, token);
          const id = created.body.id;
          assert.equal(
            (await request(server, 'GET', `/api/records/${id}`, { headers })).status,
            200,
          );
          const patched = await request(server, 'PATCH', `/api/records/${id}`, {
            body: { description: 'x' },
            headers,
          });
          assert.equal(patched.status, 200);
          assert.equal(
            (await request(server, 'DELETE', `/api/records/${id}`, { headers })).status,
            204,
          );
          assert.equal(
            (await request(server, 'POST', `/api/records/${id}/restore`, { headers })).status,
            200,
          );
        }
      });
    }

    test('accepts the Bearer scheme in any case and prefers Authorization over access_token', async () => {
      const lower = await request(server, 'GET', '/api/records', {
        headers: { authorization: 'bearer read-token' },
      });
      assert.equal(lower.status, 200);
      const both = await request(server, 'POST', '/api/records', {
        body: { name: 'both headers' },
        headers: { authorization: 'Bearer write-token', access_token: 'read-token' },
      });
      assert.equal(both.status, 201);
    });

    test('checks the key before reading or validating the body', async () => {
      const response = await request(server, 'POST', '/api/records', { body: '{not json' });
      assert.equal(response.status, 401);
    });

    test('serves /health, /ready, /openapi.json and /docs without a key', async () => {
      for (const path of ['/health', '/ready', '/openapi.json', '/docs', '/docs/json']) {
        const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
        assert.ok(response.status < 400, `${path}: ${response.status}`);
      }
    });

    test('tells a key its scope at /api/session, and asks for one without it', async () => {
      for (const [token, scope] of Object.entries(tokens)) {
        const response = await request(server, 'GET', '/api/session', {
          headers: viaBearer(token),
        });
        assert.deepEqual(response.body, { is_auth_required: true, scope });
      }
      assert.equal((await request(server, 'GET', '/api/session')).status, 401);
    });

    test('answers 404 for unknown routes without asking for a key', async () => {
      const response = await request(server, 'GET', '/nothing-here');
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'ROUTE_NOT_FOUND');
    });
  });

  describe('with no key configured', () => {
    let server: RegistryServer;
    before(async () => {
      server = await startRegistryServer({ databaseUrl: await ctx.freshDatabaseUrl() });
    });
    after(() => server.close());

    test('opens /api to everyone, ignoring any key sent', async () => {
      const created = await request(server, 'POST', '/api/records', { body: { name: 'open' } });
      assert.equal(created.status, 201);
      const withJunk = await request(server, 'GET', '/api/records', {
        headers: viaBearer('whatever'),
      });
      assert.equal(withJunk.status, 200);
      const session = await request(server, 'GET', '/api/session');
      assert.deepEqual(session.body, { is_auth_required: false, scope: 'admin' });
    });
  });
});
