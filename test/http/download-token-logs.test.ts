// A download link's token is a credential for five minutes: the request log names the download
// (method, URL, status) but never the token's value. SQLite, local store, the server's own pino.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { ApiKeyVerifier } from '../../src/http/api-key-verifier.js';
import { fetchBytes, putFile } from '../support/file-client.js';
import { openTestStore, type TestStore } from '../support/object-stores.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';
import { freshDatabaseUrl } from '../support/test-databases.js';

const staticKey = 'static-key-for-download-token-logs';
const asStatic = { authorization: `Bearer ${staticKey}` };
const lines: string[] = [];
let server: RegistryServer;
let testStore: TestStore;

before(async () => {
  testStore = await openTestStore('local');
  const verifier: ApiKeyVerifier = {
    isAuthRequired: () => Promise.resolve(true),
    verify: (token) => Promise.resolve(token === staticKey ? 'admin' : undefined),
    verifyKey: (token) =>
      Promise.resolve(token === staticKey ? { scope: 'admin', name: null } : undefined),
  };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  server = await startRegistryServer({
    databaseUrl: await freshDatabaseUrl('sqlite'),
    objectStore: testStore.store,
    verifier,
    staticApiKey: staticKey,
    logger: pino({ level: 'info' }, sink),
  });
});
after(async () => {
  await server?.close();
  await testStore?.close();
});

test("the request log shows a download by link without the token's value", async () => {
  const record = await request(server, 'POST', '/api/records', {
    body: { name: 'logged' },
    headers: asStatic,
  });
  const path = `/api/records/${record.body.id}/files/data.txt`;
  await putFile(server, path, Buffer.from('bytes'), asStatic);
  const link = await request(server, 'POST', `${path}/download-link`, { headers: asStatic });
  const { url } = link.body as unknown as { url: string };
  const token = new URL(url, 'http://x').searchParams.get('download_token') ?? '';
  assert.ok(token.length > 20, JSON.stringify(link.body));
  assert.equal((await fetchBytes(server, 'GET', url)).status, 200);
  assert.equal((await fetchBytes(server, 'HEAD', url)).status, 200);
  const logged = lines.map((line) => JSON.parse(line) as { req?: { url?: string } });
  const downloads = logged.filter((line) => line.req?.url?.startsWith(`${path}?`));
  assert.equal(downloads.length, 2, lines.join('\n'));
  for (const line of downloads) {
    assert.match(line.req?.url ?? '', /download_token=\[REDACTED\]/);
  }
  assert.ok(!lines.some((line) => line.includes(token)), 'no line holds the token');
});
