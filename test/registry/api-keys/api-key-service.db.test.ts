import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../../src/db/connect.js';
import type { DatabaseHandle } from '../../../src/db/database-handle.js';
import { loadProject, upgrade } from '../../../src/migrate/index.js';
import { hashApiKeyToken } from '../../../src/registry/api-keys/api-key.js';
import { ApiKeyService } from '../../../src/registry/api-keys/api-key-service.js';
import { CachedApiKeyVerifier } from '../../../src/registry/api-keys/cached-api-key-verifier.js';
import { registryDb } from '../../../src/registry/database.js';
import { isDataRegistryError, type ErrorCode } from '../../../src/shared/errors.js';
import { forEachDialect } from '../../support/for-each-dialect.js';
import { versionsDir } from '../../support/registry-server.js';

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function hasCode(code: ErrorCode) {
  return (error: unknown) => isDataRegistryError(error) && error.code === code;
}

/** A clock the test moves by hand, in milliseconds. */
function manualClock(start = Date.parse('2026-11-25T10:00:00.000Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

forEachDialect('API keys', (ctx) => {
  let handle: DatabaseHandle;
  let service: ApiKeyService;
  before(async () => {
    handle = await openDatabase(await ctx.freshDatabaseUrl());
    await upgrade(handle, await loadProject(versionsDir), 'head');
    service = new ApiKeyService(handle);
  });
  after(() => handle.close());

  test('creates a key, returns its token once and stores only the SHA-256 of it', async () => {
    const { key, token } = await service.create({ name: 'ci', scope: 'write' });
    assert.match(token, /^drk_[A-Za-z0-9_-]{43}$/);
    assert.equal(key.name, 'ci');
    assert.equal(key.scope, 'write');
    assert.match(key.createdAt, isoUtc);
    assert.equal(key.lastUsedAt, undefined);
    assert.equal(key.revokedAt, undefined);
    const rows = await registryDb(handle)
      .selectFrom('api_keys')
      .selectAll()
      .where('name', '=', 'ci')
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.token_hash, hashApiKeyToken(token));
    assert.ok(!JSON.stringify(rows).includes(token.slice(4)));
    assert.deepEqual(await service.findByToken(token), key);
  });

  test('refuses a second key of the same name, even after the first is revoked', async () => {
    await service.create({ name: 'dup', scope: 'read' });
    await assert.rejects(
      service.create({ name: 'dup', scope: 'admin' }),
      hasCode('API_KEY_NAME_TAKEN'),
    );
    await service.revoke('dup');
    await assert.rejects(
      service.create({ name: 'dup', scope: 'admin' }),
      hasCode('API_KEY_NAME_TAKEN'),
    );
  });

  test('refuses an empty or overlong name and an unknown scope', async () => {
    await assert.rejects(service.create({ name: ' ', scope: 'read' }), hasCode('INVALID_ARGUMENT'));
    await assert.rejects(
      service.create({ name: 'x'.repeat(101), scope: 'read' }),
      hasCode('INVALID_ARGUMENT'),
    );
    await assert.rejects(
      service.create({ name: 'ok', scope: 'root' }),
      hasCode('INVALID_ARGUMENT'),
    );
  });

  test('revokes by name once; a second revoke keeps the first time; an unknown name is API_KEY_NOT_FOUND', async () => {
    await service.create({ name: 'temp', scope: 'read' });
    const first = await service.revoke('temp');
    assert.equal(first.wasRevokedNow, true);
    assert.match(first.key.revokedAt ?? '', isoUtc);
    const second = await service.revoke('temp');
    assert.equal(second.wasRevokedNow, false);
    assert.equal(second.key.revokedAt, first.key.revokedAt);
    await assert.rejects(service.revoke('never-was'), hasCode('API_KEY_NOT_FOUND'));
  });

  test('lists every key, oldest first, with no token or hash', async () => {
    const keys = await service.list();
    assert.deepEqual(
      keys.map((key) => key.name),
      ['ci', 'dup', 'temp'],
    );
    assert.ok(keys.every((key) => !('tokenHash' in key) && !('token' in key)));
    const { all, active } = await service.count();
    assert.equal(all, 3);
    assert.equal(active, 1);
  });

  test('the verifier answers a managed key by scope, caches briefly, and refuses it once revoked and the cache expired', async () => {
    const clock = manualClock();
    const verifier = new CachedApiKeyVerifier({
      service,
      alwaysRequireAuth: false,
      cacheMs: 5000,
      now: clock.now,
    });
    const { token } = await service.create({ name: 'reader', scope: 'read' });
    assert.equal(await verifier.isAuthRequired(), true);
    assert.equal(await verifier.verify(token), 'read');
    assert.match((await service.findByToken(token))?.lastUsedAt ?? '', isoUtc);
    await service.revoke('reader');
    clock.advance(4000);
    assert.equal(await verifier.verify(token), 'read', 'still cached');
    clock.advance(1001);
    assert.equal(await verifier.verify(token), undefined);
    assert.equal(await verifier.verify('drk_made-up'), undefined);
  });

  test('the static key has admin scope; a near miss of it does not', async () => {
    const staticKey = 'static-admin-key-0123456789';
    const verifier = new CachedApiKeyVerifier({ service, staticKey, alwaysRequireAuth: false });
    assert.equal(await verifier.isAuthRequired(), true);
    assert.equal(await verifier.verify(staticKey), 'admin');
    assert.equal(await verifier.verify(`${staticKey}x`), undefined);
    assert.equal(await verifier.verify(staticKey.slice(0, -1)), undefined);
  });
});

forEachDialect('API keys on an empty table', (ctx) => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await openDatabase(await ctx.freshDatabaseUrl());
    await upgrade(handle, await loadProject(versionsDir), 'head');
  });
  after(() => handle.close());

  test('no key at all: auth is not required (dev), unless always required (prod)', async () => {
    const service = new ApiKeyService(handle);
    assert.equal(
      await new CachedApiKeyVerifier({ service, alwaysRequireAuth: false }).isAuthRequired(),
      false,
    );
    assert.equal(
      await new CachedApiKeyVerifier({ service, alwaysRequireAuth: true }).isAuthRequired(),
      true,
    );
  });

  test('revoking the last key keeps auth required: it locks the API rather than opening it', async () => {
    const service = new ApiKeyService(handle);
    await service.create({ name: 'only', scope: 'admin' });
    await service.revoke('only');
    const verifier = new CachedApiKeyVerifier({ service, alwaysRequireAuth: false });
    assert.equal(await verifier.isAuthRequired(), true);
  });
});
