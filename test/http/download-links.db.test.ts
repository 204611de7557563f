import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiKeyVerifier } from '../../src/http/api-key-verifier.js';
import { hashApiKeyToken } from '../../src/registry/api-keys/api-key.js';
import { ApiKeyService } from '../../src/registry/api-keys/api-key-service.js';
import { CachedApiKeyVerifier } from '../../src/registry/api-keys/cached-api-key-verifier.js';
import { deriveSigningKey, signDownloadToken } from '../../src/registry/files/download-token.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { fetchBytes, putFile, randomBytesOf } from '../support/file-client.js';
import { openTestStore, type TestStore } from '../support/object-stores.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';

const staticKey = 'static-admin-key-for-download-links';
const asStatic = { authorization: `Bearer ${staticKey}` };

/** The token of a link's URL, and the URL with the token replaced. */
function tokenOf(url: string): string {
  return new URL(url, 'http://x').searchParams.get('download_token') ?? '';
}
function withToken(url: string, token: string): string {
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.set('download_token', token);
  return `${parsed.pathname}${parsed.search}`;
}

forEachDialect('signed download links over HTTP', (ctx) => {
  describe('with API keys', () => {
    let server: RegistryServer;
    let testStore: TestStore;
    let keys: ApiKeyService;
    let recordId: string;
    const first = randomBytesOf(70_000);
    const second = randomBytesOf(50_000);
    before(async () => {
      testStore = await openTestStore('local');
      // The verifier needs the server's database: built once the server is up, asked through this.
      const late: { verifier?: CachedApiKeyVerifier } = {};
      const lateVerifier: ApiKeyVerifier = {
        isAuthRequired: () => late.verifier!.isAuthRequired(),
        verify: (token) => late.verifier!.verify(token),
        verifyKey: (token) => late.verifier!.verifyKey(token),
      };
      server = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        objectStore: testStore.store,
        verifier: lateVerifier,
        staticApiKey: staticKey,
      });
      keys = new ApiKeyService(server.handle);
      late.verifier = new CachedApiKeyVerifier({
        service: keys,
        staticKey,
        alwaysRequireAuth: true,
        cacheMs: 0,
      });
      recordId = (
        await request(server, 'POST', '/api/records', {
          body: { name: 'linked' },
          headers: asStatic,
        })
      ).body.id;
      for (const bytes of [first, second]) {
        const put = await putFile(
          server,
          `/api/records/${recordId}/files/data.bin`,
          bytes,
          asStatic,
        );
        assert.ok(put.status === 200 || put.status === 201, put.bytes.toString());
      }
      await putFile(server, `/api/records/${recordId}/files/other.bin`, first, asStatic);
    });
    after(async () => {
      await server?.close();
      await testStore?.close();
    });

    const issue = (name: string, headers: Record<string, string>, query = '') =>
      request(server, 'POST', `/api/records/${recordId}/files/${name}/download-link${query}`, {
        headers,
      });

    test('issues a link to the latest version that downloads the bytes without a key, for 5 minutes', async () => {
      const before = Date.now();
      const link = await issue('data.bin', asStatic);
      assert.equal(link.status, 200, JSON.stringify(link.body));
      const body = link.body as unknown as { url: string; version: number; expires_at: string };
      assert.equal(body.version, 2);
      assert.match(
        body.url,
        new RegExp(`^/api/records/${recordId}/files/data\\.bin\\?version=2&download_token=`),
      );
      const lifetime = Date.parse(body.expires_at) - before;
      assert.ok(lifetime > 290_000 && lifetime <= 301_000, `expires in ${lifetime} ms`);
      const download = await fetchBytes(server, 'GET', body.url);
      assert.equal(download.status, 200);
      assert.deepEqual(download.bytes, second);
      const head = await fetchBytes(server, 'HEAD', body.url);
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-length'), String(second.length));
    });

    test('issues links to a version given, and to a read key', async () => {
      const { token } = await keys.create({ name: 'reader', scope: 'read' });
      const link = await issue('data.bin', { authorization: `Bearer ${token}` }, '?version=1');
      assert.equal(link.status, 200, JSON.stringify(link.body));
      const download = await fetchBytes(
        server,
        'GET',
        (link.body as unknown as { url: string }).url,
      );
      assert.equal(download.status, 200);
      assert.deepEqual(download.bytes, first);
    });

    test('refuses a token for another file, version or record, or altered, with 403 FORBIDDEN', async () => {
      const { url } = (await issue('data.bin', asStatic)).body as unknown as { url: string };
      const token = tokenOf(url);
      const otherRecord = (
        await request(server, 'POST', '/api/records', {
          body: { name: 'other' },
          headers: asStatic,
        })
      ).body.id;
      await putFile(server, `/api/records/${otherRecord}/files/data.bin`, first, asStatic);
      const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
      const later = token.replace(/^\d+/, (expires) => String(Number(expires) + 3600));
      for (const path of [
        `/api/records/${recordId}/files/other.bin?version=1&download_token=${token}`,
        `/api/records/${recordId}/files/data.bin?version=1&download_token=${token}`,
        `/api/records/${recordId}/files/data.bin?download_token=${token}`,
        `/api/records/${otherRecord}/files/data.bin?version=2&download_token=${token}`,
        withToken(url, altered),
        withToken(url, later),
      ]) {
        const response = await request(server, 'GET', path);
        assert.equal(response.status, 403, path);
        assert.equal(response.body.error.code, 'FORBIDDEN', path);
        assert.match(response.body.error.message, /another file or version/);
      }
    });

    test('refuses an expired token, a malformed one and one of a revoked key with 401 UNAUTHENTICATED', async () => {
      const signingKey = deriveSigningKey(hashApiKeyToken(staticKey));
      const target = {
        ref: { kind: 'record', id: recordId } as const,
        name: 'data.bin',
        version: 2,
      };
      const expired = signDownloadToken(
        signingKey,
        target,
        null,
        Math.floor(Date.now() / 1000) - 1,
      );
      const path = `/api/records/${recordId}/files/data.bin?version=2&download_token=`;
      const expiredAnswer = await request(server, 'GET', `${path}${expired}`);
      assert.equal(expiredAnswer.status, 401);
      assert.equal(expiredAnswer.body.error.code, 'UNAUTHENTICATED');
      assert.match(expiredAnswer.body.error.message, /expired at/);

      const malformed = await request(server, 'GET', `${path}not-a-token`);
      assert.equal(malformed.status, 401);
      assert.equal(malformed.body.error.code, 'UNAUTHENTICATED');

      const { token } = await keys.create({ name: 'soon revoked', scope: 'write' });
      const link = await issue('data.bin', { authorization: `Bearer ${token}` });
      const { url } = link.body as unknown as { url: string };
      assert.equal((await fetchBytes(server, 'GET', url)).status, 200);
      await keys.revoke('soon revoked');
      const revoked = await request(server, 'GET', url);
      assert.equal(revoked.status, 401);
      assert.equal(revoked.body.error.code, 'UNAUTHENTICATED');
      assert.match(revoked.body.error.message, /revoked/);
    });

    test('a token opens downloads only: other routes still want a key, and issuing needs one', async () => {
      const { url } = (await issue('data.bin', asStatic)).body as unknown as { url: string };
      const token = tokenOf(url);
      for (const [method, path] of [
        ['GET', `/api/records/${recordId}/files?download_token=${token}`],
        ['GET', `/api/records/${recordId}/files/data.bin/versions?download_token=${token}`],
        ['DELETE', `/api/records/${recordId}/files/data.bin?version=2&download_token=${token}`],
        ['POST', `/api/records/${recordId}/files/data.bin/download-link?download_token=${token}`],
      ] as const) {
        const response = await request(server, method, path);
        assert.equal(response.status, 401, `${method} ${path}`);
        assert.equal(response.body.error.code, 'UNAUTHENTICATED');
      }
    });
  });

  describe('without API keys', () => {
    let server: RegistryServer;
    let testStore: TestStore;
    before(async () => {
      testStore = await openTestStore('local');
      server = await startRegistryServer({
        databaseUrl: await ctx.freshDatabaseUrl(),
        objectStore: testStore.store,
      });
    });
    after(async () => {
      await server?.close();
      await testStore?.close();
    });

    test('issues the plain download URL, which expires never', async () => {
      const id = (await request(server, 'POST', '/api/records', { body: { name: 'open' } })).body
        .id;
      await putFile(server, `/api/records/${id}/files/a b.txt`, Buffer.from('hello'));
      const link = await request(
        server,
        'POST',
        `/api/records/${id}/files/a%20b.txt/download-link`,
      );
      assert.equal(link.status, 200, JSON.stringify(link.body));
      assert.deepEqual(link.body, {
        url: `/api/records/${id}/files/a%20b.txt?version=1`,
        version: 1,
        expires_at: null,
      });
      const missing = await request(server, 'POST', `/api/records/${id}/files/nope/download-link`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'FILE_NOT_FOUND');
    });
  });
});
