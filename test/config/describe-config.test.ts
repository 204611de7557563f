import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { describeConfig, formatConfigRows } from '../../src/config/describe-config.js';

test('masks the database password and the API key, and names every source', async () => {
  const config = await loadConfig(
    { db: 'postgresql://app:s3cret-pw@db:5432/registry', port: '8080' },
    { env: { DATA_REGISTRY_API_KEY: 'admin-key-0123456789', DATA_REGISTRY_ENV: 'prod' } },
  );
  const rows = describeConfig(config);
  const text = formatConfigRows(rows);
  assert.ok(!text.includes('s3cret-pw'), text);
  assert.ok(!text.includes('admin-key-0123456789'), text);
  const byName = new Map(rows.map((row) => [row.name, row]));
  assert.deepEqual(byName.get('DATA_REGISTRY_DB_CONNECTION'), {
    name: 'DATA_REGISTRY_DB_CONNECTION',
    flag: '--db',
    value: 'postgresql://app:***@db:5432/registry',
    source: 'flag',
  });
  assert.equal(byName.get('migration database')?.value, 'postgresql://app:***@db:5432/registry');
  assert.deepEqual(byName.get('DATA_REGISTRY_API_KEY'), {
    name: 'DATA_REGISTRY_API_KEY',
    flag: undefined,
    value: '***',
    source: 'env',
  });
  assert.equal(byName.get('DATA_REGISTRY_PORT')?.source, 'flag');
  assert.equal(byName.get('DATA_REGISTRY_ENV')?.source, 'env');
  assert.equal(byName.get('DATA_REGISTRY_LOG_LEVEL')?.source, 'default');
  assert.deepEqual(byName.get('DATA_REGISTRY_LOG_FORMAT'), {
    name: 'DATA_REGISTRY_LOG_FORMAT',
    flag: '--log-format',
    value: 'pretty on a terminal, else json',
    source: 'default',
  });
});

test('prints one aligned line per setting, `(not set)` for what has no value', async () => {
  const text = formatConfigRows(describeConfig(await loadConfig({}, { env: {} })));
  const lines = text.split('\n');
  assert.match(lines[0]!, /^DATA_REGISTRY_ENV +dev {2,}default$/);
  assert.ok(
    lines.some((line) => /^DATA_REGISTRY_API_KEY +\(not set\)$/.test(line)),
    text,
  );
  assert.ok(
    lines.some((line) => /^DATA_REGISTRY_PORT +5000 +default$/.test(line)),
    text,
  );
});
