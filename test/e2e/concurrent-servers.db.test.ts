// Two `dataregistry serve` processes on one database and one store, as behind a balancer: uploads
// of one name with `If-None-Match: *` sent to both at once. The condition is checked in the
// transaction that writes the row, so exactly one wins in every race, whichever process takes it,
// and the loser leaves no row, object or temporary file. In one process the same test can pass
// by luck of the event loop; across processes only the database decides.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachDialect } from '../support/for-each-dialect.js';
import { randomBytesOf, sha256 } from '../support/file-client.js';
import { openTestStore, storeKinds, type TestStore } from '../support/object-stores.js';
import { runCli } from '../support/run-cli.js';
import { startServe, type ServeProcess } from './serve-process.js';

const RACES = 8;

forEachDialect('two servers, one name, If-None-Match: *', (ctx) => {
  for (const kind of storeKinds) {
    describe(`on ${kind} storage`, () => {
      let testStore: TestStore;
      const servers: ServeProcess[] = [];
      const cwd = mkdtempSync(join(tmpdir(), 'dr-two-servers-'));
      before(async () => {
        testStore = await openTestStore(kind);
        const databaseUrl = await ctx.freshDatabaseUrl();
        const upgrade = await runCli(['upgrade', 'head', '--db', databaseUrl], { cwd });
        assert.equal(upgrade.code, 0, upgrade.stderr);
        const env = {
          DATA_REGISTRY_DB_CONNECTION: databaseUrl,
          DATA_REGISTRY_STORAGE: testStore.store.location,
          ...(kind === 's3'
            ? {
                DATA_REGISTRY_S3_ENDPOINT: testStore.s3Endpoint,
                DATA_REGISTRY_S3_REGION: 'us-east-1',
                DATA_REGISTRY_S3_FORCE_PATH_STYLE: 'true',
                AWS_ACCESS_KEY_ID: 'S3RVER',
                AWS_SECRET_ACCESS_KEY: 'S3RVER',
              }
            : {}),
        };
        for (let index = 0; index < 2; index += 1)
          servers.push(await startServe(['--port', '0'], { cwd, env }));
      });
      after(async () => {
        await Promise.all(servers.map((server) => server.stop()));
        await testStore?.close();
        rmSync(cwd, { recursive: true, force: true });
      });

      test(`${RACES} races: exactly one upload wins each, the other gets 412 and leaves nothing`, async () => {
        const created = await fetch(`${servers[0]!.url}/api/records`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'raced' }),
        });
        assert.equal(created.status, 201);
        const record = (await created.json()) as { id: string; storage_id: string };
        const winners: string[] = [];
        for (let race = 0; race < RACES; race += 1) {
          const name = `race-${race}.bin`;
          const bodies = [randomBytesOf(200_000), randomBytesOf(200_000)];
          const answers = await Promise.all(
            servers.map(async (server, index) => {
              const response = await fetch(`${server.url}/api/records/${record.id}/files/${name}`, {
                method: 'PUT',
                headers: { 'if-none-match': '*', 'content-type': 'application/octet-stream' },
                body: bodies[index],
              });
              return { status: response.status, body: (await response.json()) as never };
            }),
          );
          const statuses = answers.map((answer) => answer.status).sort();
          assert.deepEqual(statuses, [201, 412], JSON.stringify(answers));
          const loser = answers.find((answer) => answer.status === 412)!;
          assert.equal((loser.body as { error: { code: string } }).error.code, 'FILE_EXISTS');
          const winnerIndex = answers.findIndex((answer) => answer.status === 201);
          winners.push(String(winnerIndex));
          const read = await fetch(
            `${servers[1 - winnerIndex]!.url}/api/records/${record.id}/files/${name}`,
          );
          assert.equal(read.status, 200);
          assert.equal(sha256(Buffer.from(await read.arrayBuffer())), sha256(bodies[winnerIndex]!));
          const versions = await fetch(
            `${servers[0]!.url}/api/records/${record.id}/files/${name}/versions`,
          );
          const listed = (await versions.json()) as { items: { version: number }[] };
          assert.deepEqual(
            listed.items.map((item) => item.version),
            [1],
          );
        }
        // One object per race, and no temporary file of the losers.
        const objects = (await testStore.listEverything()).filter((key) =>
          key.includes(`${record.storage_id}/`),
        );
        assert.equal(objects.length, RACES, objects.join('\n'));
        if (kind === 's3') assert.deepEqual(await testStore.listUnfinishedUploads(), []);
      });
    });
  }
});
