import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listTables } from '../support/inspect-database.js';
import { forEachDialect } from '../support/for-each-dialect.js';
import { request, startRegistryServer, type RegistryServer } from '../support/registry-server.js';

/** Names stored and returned byte for byte. */
const verbatimNames = [
  "Robert'); DROP TABLE records;--",
  '" OR 1=1 --',
  "' OR ''='",
  'back\\slash \\\\ \\n \\0',
  'percent % under_score ! bang',
  '`backtick` [bracket] $dollar$ $$body$$',
  '/* comment */ -- dash # hash',
  'données 数据 🧪 Ελληνικά',
  'עברית right-to-left \u202e override',
  'zero\u200bwidth and e\u0301 combining',
  'x'.repeat(200),
  '🧪'.repeat(200),
];

forEachDialect('hostile input over HTTP', (ctx) => {
  let server: RegistryServer;
  let databaseUrl: string;
  before(async () => {
    databaseUrl = await ctx.freshDatabaseUrl();
    server = await startRegistryServer({ databaseUrl });
  });
  after(() => server.close());

  const create = (body: unknown) => request(server, 'POST', '/api/records', { body });

  const expectValidationError = async (body: unknown, field: RegExp | string) => {
    const response = await create(body);
    assert.equal(response.status, 400, JSON.stringify(body).slice(0, 200));
    assert.equal(response.body.error.code, 'VALIDATION_FAILED');
    assert.match(
      response.body.error.message,
      typeof field === 'string' ? new RegExp(field) : field,
    );
  };

  test('stores SQL fragments, quotes and unicode in names and descriptions verbatim', async () => {
    for (const name of verbatimNames) {
      const description = `desc of ${name}\n\twith tab and newline\r\n`;
      const response = await create({ name, description });
      assert.equal(response.status, 201, name);
      assert.equal(response.body.name, name);
      assert.equal(response.body.description, description);
      const fetched = await request(server, 'GET', `/api/records/${response.body.id}`);
      assert.equal(fetched.body.name, name);
      assert.equal(fetched.body.description, description);
      assert.match(fetched.body.storage_id, /^[a-z0-9-]+-\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    }
    assert.deepEqual(
      (await listTables(databaseUrl)).filter((t) =>
        ['records', 'datasets', 'api_keys'].includes(t),
      ),
      ['api_keys', 'datasets', 'records'],
      'no statement was executed from the input',
    );
  });

  test('stores hostile metadata verbatim: SQL in keys and values, NUL, lone surrogates, unicode keys', async () => {
    const metadata = {
      "'; DROP TABLE records; --": "'); DELETE FROM records; --",
      'nul \u0000 inside': 'value \u0000 with NUL',
      lone: '\ud800 high surrogate alone',
      'ключ 🔑': ['🧪', { deep: 'é' }],
      numbers: [0, -1, 1.5e-10, 12345678901234],
      empty: {},
      constructor: 'a plain key',
    };
    const response = await create({ name: 'hostile metadata', metadata });
    assert.equal(response.status, 201);
    assert.deepEqual(response.body.metadata, metadata);
    const fetched = await request(server, 'GET', `/api/records/${response.body.id}`);
    assert.deepEqual(fetched.body.metadata, metadata);
  });

  test('refuses wrong types with 400 naming the field', async () => {
    await expectValidationError({ name: 5 }, '`name`');
    await expectValidationError({ name: null }, '`name`');
    await expectValidationError({ name: ['a'] }, '`name`');
    await expectValidationError({ name: { a: 1 } }, '`name`');
    await expectValidationError({ name: 'ok', description: 5 }, '`description`');
    await expectValidationError({ name: 'ok', metadata: [] }, '`metadata`');
    await expectValidationError({ name: 'ok', metadata: 'text' }, '`metadata`');
    await expectValidationError({ name: 'ok', metadata: null }, '`metadata`');
    await expectValidationError({ name: 'ok', unknown: 1 }, '`unknown`');
    await expectValidationError({}, '`name`');
    await expectValidationError([], 'body');
    await expectValidationError('"just a string"', 'body');
    await expectValidationError('null', 'body');
  });

  test('refuses names the database could not hold faithfully with 400', async () => {
    await expectValidationError({ name: '' }, '`name`');
    await expectValidationError({ name: 'x'.repeat(201) }, /`name`.*200/);
    await expectValidationError({ name: '🧪'.repeat(201) }, /`name`.*200/);
    await expectValidationError({ name: 'nul\u0000byte' }, /`name`.*U\+0000/);
    await expectValidationError({ name: 'line\nbreak' }, /`name`.*U\+000A/);
    await expectValidationError({ name: 'del\u007f' }, /`name`.*U\+007F/);
    await expectValidationError({ name: 'c1\u0085' }, /`name`.*U\+0085/);
    await expectValidationError('{"name": "lone \\ud800 surrogate"}', /`name`.*U\+D800/);
    await expectValidationError({ name: ' padded' }, /`name`.*whitespace/);
    await expectValidationError({ name: 'padded ' }, /`name`.*whitespace/);
    await expectValidationError({ name: 'ok', description: 'nul\u0000' }, /`description`/);
    await expectValidationError({ name: 'ok', description: 'x'.repeat(10_001) }, /`description`/);
  });

  test('accepts metadata up to 64 KiB and 32 levels, and refuses more with 400', async () => {
    const filler = (bytes: number) => ({ f: 'x'.repeat(bytes - '{"f":""}'.length) });
    assert.equal((await create({ name: 'meta 64k', metadata: filler(64 * 1024) })).status, 201);
    await expectValidationError(
      { name: 'meta big', metadata: filler(64 * 1024 + 1) },
      /`metadata`.*65537 bytes/,
    );
    const nested = (levels: number): unknown => {
      let value: unknown = {};
      for (let i = 1; i < levels; i++) value = { a: value };
      return value;
    };
    assert.equal((await create({ name: 'meta 32 deep', metadata: nested(32) })).status, 201);
    await expectValidationError(
      { name: 'meta 33 deep', metadata: nested(33) },
      /`metadata`.*32 levels/,
    );
  });

  test('refuses pathologically deep JSON with 400, not a crash', async () => {
    const depth = 100_000;
    const body = `{"name": "abyss", "metadata": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const response = await create(body);
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'VALIDATION_FAILED');
    const arrays = `{"name": "abyss", "metadata": {"a": ${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    assert.equal((await create(arrays)).status, 400);
  });

  test('refuses numbers JSON cannot carry (1e400) with 400', async () => {
    await expectValidationError('{"name": "inf", "metadata": {"n": 1e400}}', /`metadata.n`/);
  });

  test('answers 413 REQUEST_TOO_LARGE for a body over the limit', async () => {
    const response = await create({ name: 'huge', metadata: { f: 'x'.repeat(2 * 1024 * 1024) } });
    assert.equal(response.status, 413);
    assert.equal(response.body.error.code, 'REQUEST_TOO_LARGE');
  });

  test('answers 400 for malformed JSON and __proto__ keys, 415 for other content types', async () => {
    for (const body of [
      '{bad',
      '{"name": "x",}',
      '',
      '{"name": "x", "__proto__": {"admin": true}}',
    ]) {
      const response = await request(server, 'POST', '/api/records', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(response.status, 400, body);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
    }
    const xml = await request(server, 'POST', '/api/records', {
      body: '<name>x</name>',
      headers: { 'content-type': 'application/xml' },
    });
    assert.equal(xml.status, 415);
    assert.equal(xml.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
    const none = await fetch(`${server.url}/api/records`, { method: 'POST' });
    assert.equal(none.status, 400);
  });

  test('searches for LIKE wildcards, quotes and backslashes literally', async () => {
    const names = [
      '100% pure',
      '100 percent',
      'snake_case',
      'snakeXcase',
      'bang!',
      "o'clock",
      'a\\b',
    ];
    const ids = new Map<string, string>();
    for (const name of names) ids.set(name, (await create({ name: `lit ${name}` })).body.id);
    const search = async (q: string) => {
      const response = await request(
        server,
        'GET',
        `/api/records?limit=1000&q=${encodeURIComponent(q)}`,
      );
      assert.equal(response.status, 200, q);
      return response.body.items
        .map((r: { name: string }) => r.name)
        .filter((n: string) => n.startsWith('lit '));
    };
    assert.deepEqual(await search('0%'), ['lit 100% pure']);
    assert.deepEqual(await search('e_c'), ['lit snake_case']);
    assert.deepEqual(await search('g!'), ['lit bang!']);
    assert.deepEqual(await search("o'c"), ["lit o'clock"]);
    assert.deepEqual(await search('a\\b'), ['lit a\\b']);
    assert.deepEqual(await search("'; DROP TABLE records; --"), []);
    const control = await request(server, 'GET', `/api/records?q=${encodeURIComponent('\u0000')}`);
    assert.equal(control.status, 400);
    assert.match(control.body.error.message, /`q`/);
  });

  test('refuses bad paging parameters with 400 naming them', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=-5', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      ['cursor=%27%3B%20DROP', 'cursor'],
      ['include_deleted=maybe', 'include_deleted'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ] as const) {
      const response = await request(server, 'GET', `/api/records?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      assert.match(response.body.error.message, new RegExp(`\`${field}\``), query);
    }
  });
});
