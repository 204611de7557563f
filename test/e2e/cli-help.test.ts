// `--help` of the built CLI: each setting's flag with its variable and default, as users read it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settingDefinitions } from '../../src/config/setting-definitions.js';
import { defaultOrphanSweepLimit } from '../../src/registry/files/orphan-sweep.js';
import { runCli } from '../support/run-cli.js';

/** The help text with commander's line wrapping undone. */
async function helpOf(command: string): Promise<string> {
  const result = await runCli([command, '--help']);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.replace(/\n +/g, ' ');
}

test('serve --help names the flag, variable and default of every server setting', async () => {
  const help = await helpOf('serve');
  for (const definition of Object.values(settingDefinitions)) {
    // --url is the client's; --keep-versions purge's only (tested below).
    if (definition.flag === undefined || ['--url', '--keep-versions'].includes(definition.flag))
      continue;
    assert.ok(help.includes(`${definition.flag} ${definition.valueName}`), definition.flag);
    assert.ok(help.includes(`env ${definition.variable}`), definition.variable);
    if (definition.defaultText !== undefined) {
      assert.ok(help.includes(`default: ${definition.defaultText})`), definition.defaultText);
    }
  }
  assert.match(help, /--port <port> +TCP port .*\(env DATA_REGISTRY_PORT; default: 5000\)/);
  assert.match(
    help,
    /--log-format <format> .*\(env DATA_REGISTRY_LOG_FORMAT; default: pretty on a terminal, else json\)/,
  );
});

test('purge --help names --keep-versions with its variable and default', async () => {
  const help = await helpOf('purge');
  const definition = settingDefinitions.keepVersions;
  assert.ok(help.includes(`${definition.flag} ${definition.valueName}`), help);
  assert.ok(help.includes(`env ${definition.variable}; default: ${definition.defaultText})`), help);
});

test('purge --help tells the plain purge from --orphans, with the default --limit', async () => {
  const help = await helpOf('purge');
  assert.match(help, /working from the database alone; with --orphans, walk the store/);
  assert.ok(help.includes('--start-after <key>'), help);
  assert.ok(help.includes(`(default: ${defaultOrphanSweepLimit})`), help);
});

test('upgrade --help names the database and versions folder settings with their defaults', async () => {
  const help = await helpOf('upgrade');
  assert.match(
    help,
    /--db <url> +database URL: sqlite:PATH, postgresql:\/\/…, mysql:\/\/… \(env DATA_REGISTRY_DB_CONNECTION; default: sqlite:\.\/data\/dataregistry\.db in dev\)/,
  );
  assert.match(
    help,
    /--dir <folder> +versions folder \(env DATA_REGISTRY_MIGRATIONS_DIR; default: /,
  );
  assert.match(help, /--lock-timeout <seconds>/);
  assert.match(
    help,
    /--table-lock-timeout <seconds> .*\(env DATA_REGISTRY_TABLE_LOCK_TIMEOUT; default: 1\)/,
  );
  assert.match(
    help,
    /--table-lock-retries <n> .*\(env DATA_REGISTRY_TABLE_LOCK_RETRIES; default: 10 \(about a minute\)\)/,
  );
});

test('stamp --help names the table-lock settings too', async () => {
  const help = await helpOf('stamp');
  assert.match(help, /--table-lock-timeout <seconds>/);
  assert.match(help, /--table-lock-retries <n>/);
});
