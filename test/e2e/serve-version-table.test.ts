// `serve` honours DATA_REGISTRY_VERSION_TABLE: dev upgrades into that table, prod reads its heads
// from it (a database Alembic migrated, then taken over).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { listTables, queryRows } from '../support/inspect-database.js';
import { tempDirsForThisFile } from '../support/revision-folder.js';
import { runCli } from '../support/run-cli.js';
import { startServe, type ServeProcess } from './serve-process.js';

const tempDir = tempDirsForThisFile('dr-serve-version-table-');
const servers: ServeProcess[] = [];
after(() => servers.forEach((server) => server.child.kill('SIGKILL')));

test('dev serve upgrades into the configured version table, and prod reads its heads from it', async () => {
  const cwd = tempDir();
  const url = `sqlite:${join(cwd, 'registry.db')}`;
  const env = { DATA_REGISTRY_VERSION_TABLE: 'alembic_version' };
  const dev = await startServe(['--db', url, '--port', '0'], { cwd, env });
  servers.push(dev);
  assert.equal((await dev.stop()).code, 0);
  const tables = await listTables(url);
  assert.ok(tables.includes('alembic_version') && tables.includes('alembic_version_history'));
  assert.ok(!tables.includes('dataregistry_version'), tables.join(', '));
  const [row] = await queryRows(url, 'SELECT version_num FROM alembic_version');
  const current = await runCli(['current', '--db', url, '--version-table', 'alembic_version'], {
    cwd,
  });
  assert.equal(current.stdout, `${String(row?.version_num)} (head)\n`);

  const prodEnv = {
    ...env,
    DATA_REGISTRY_ENV: 'prod',
    DATA_REGISTRY_API_KEY: 'static-admin-key-0123456789',
  };
  const prod = await startServe(['--db', url, '--port', '0'], { cwd, env: prodEnv });
  servers.push(prod);
  const messages = prod.logs.map((line) => line.msg);
  assert.ok(
    messages.some((msg) => msg.includes("the code's head")),
    messages.join('\n'),
  );
  assert.equal((await prod.stop()).code, 0);
});
