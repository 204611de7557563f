import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { maskDatabaseUrl, parseDatabaseUrl, type DatabaseUrl } from '../../src/db/database-url.js';
import { DataRegistryError } from '../../src/shared/errors.js';

/** Asserts INVALID_DATABASE_URL with `words` in the message; returns the error for more checks. */
function assertInvalid(url: string, ...words: string[]): DataRegistryError {
  let caught: unknown;
  assert.throws(
    () => parseDatabaseUrl(url),
    (error: unknown) => ((caught = error), true),
  );
  assert.ok(caught instanceof DataRegistryError, String(caught));
  assert.equal(caught.code, 'INVALID_DATABASE_URL');
  for (const word of words)
    assert.ok(caught.message.includes(word), `${word} in ${caught.message}`);
  assert.ok(caught.message.includes('Accepted forms'), caught.message);
  return caught;
}

function parsed<D extends DatabaseUrl['dialect']>(
  url: string,
  dialect: D,
): Extract<DatabaseUrl, { dialect: D }> {
  const result = parseDatabaseUrl(url);
  assert.equal(result.dialect, dialect);
  return result as Extract<DatabaseUrl, { dialect: D }>;
}

describe('parseDatabaseUrl: SQLite', () => {
  const files: [string, string][] = [
    ['sqlite:data/app.db', 'data/app.db'],
    ['sqlite:app.db', 'app.db'],
    ['sqlite:/abs/app.db', '/abs/app.db'],
    ['sqlite:///relative/app.db', 'relative/app.db'],
    ['sqlite:////absolute/app.db', '/absolute/app.db'],
    ['sqlite+pysqlite:///x.db', 'x.db'],
    ['SQLite:Data.db', 'Data.db'],
    ['  sqlite:app.db  ', 'app.db'],
  ];
  for (const [url, path] of files) {
    test(`reads ${JSON.stringify(url)} as the file ${path}`, () => {
      assert.deepEqual(parseDatabaseUrl(url), {
        dialect: 'sqlite',
        path,
        inMemory: false,
        ignoredParameters: [],
      });
    });
  }

  for (const url of ['sqlite::memory:', 'sqlite://', 'sqlite:///:memory:']) {
    test(`reads ${url} as an in-memory database`, () => {
      assert.deepEqual(parseDatabaseUrl(url), {
        dialect: 'sqlite',
        path: ':memory:',
        inMemory: true,
        ignoredParameters: [],
      });
    });
  }

  test('ignores a query string but lists its parameters', () => {
    const url = parsed('sqlite:app.db?mode=ro&cache=shared', 'sqlite');
    assert.equal(url.path, 'app.db');
    assert.deepEqual(url.ignoredParameters, ['mode', 'cache']);
  });

  test('rejects a URL naming no file', () => {
    assertInvalid('sqlite:', 'names no file');
    assertInvalid('sqlite:///', 'names no file');
  });

  test('rejects a host in a SQLite URL', () => {
    assertInvalid('sqlite://host/app.db', 'has a host');
  });
});

describe('parseDatabaseUrl: PostgreSQL', () => {
  test('reads every part of a full URL, percent-decoding the credentials', () => {
    assert.deepEqual(parseDatabaseUrl('postgres://app:s%40cret@db:6432/registry?sslmode=require'), {
      dialect: 'postgresql',
      host: 'db',
      port: 6432,
      user: 'app',
      password: 's@cret',
      database: 'registry',
      tls: 'require',
      connectTimeoutSeconds: undefined,
      applicationName: undefined,
      ignoredParameters: [],
    });
  });

  test('accepts postgresql://, postgres:// and SQLAlchemy driver suffixes alike', () => {
    for (const scheme of [
      'postgresql',
      'postgres',
      'postgresql+psycopg2',
      'postgresql+asyncpg',
      'POSTGRESQL',
    ]) {
      const url = parsed(`${scheme}://u:p@h/d`, 'postgresql');
      assert.equal(url.host, 'h', scheme);
      assert.equal(url.database, 'd', scheme);
    }
  });

  test('defaults the port to 5432 and TLS to disable', () => {
    const url = parsed('postgresql://h/d', 'postgresql');
    assert.equal(url.port, 5432);
    assert.equal(url.tls, 'disable');
  });

  test('defaults the host to localhost and leaves user, password and database undefined', () => {
    const url = parsed('postgresql://', 'postgresql');
    assert.equal(url.host, 'localhost');
    assert.equal(url.user, undefined);
    assert.equal(url.password, undefined);
    assert.equal(url.database, undefined);
    assert.equal(parsed('postgresql:///registry', 'postgresql').host, 'localhost');
  });

  test('reads a user without a password', () => {
    const url = parsed('postgresql://app@h/d', 'postgresql');
    assert.equal(url.user, 'app');
    assert.equal(url.password, undefined);
  });

  test('percent-decodes user, password and database name', () => {
    const url = parsed('postgresql://%61pp%20user:p%3Aa%2Fs%3Fs%23w%25@h/my%20db', 'postgresql');
    assert.equal(url.user, 'app user');
    assert.equal(url.password, 'p:a/s?s#w%');
    assert.equal(url.database, 'my db');
  });

  test('strips the brackets of an IPv6 host', () => {
    const url = parsed('postgresql://u@[::1]:5433/d', 'postgresql');
    assert.equal(url.host, '::1');
    assert.equal(url.port, 5433);
  });

  const sslModes: [string, string][] = [
    ['disable', 'disable'],
    ['allow', 'disable'],
    ['prefer', 'disable'],
    ['require', 'require'],
    ['verify-ca', 'verify-ca'],
    ['verify-full', 'verify-full'],
  ];
  for (const [sslmode, tls] of sslModes) {
    test(`maps sslmode=${sslmode} to TLS mode ${tls}`, () => {
      assert.equal(parsed(`postgresql://h/d?sslmode=${sslmode}`, 'postgresql').tls, tls);
    });
  }

  test('rejects an unknown sslmode, listing the known ones', () => {
    assertInvalid('postgresql://h/d?sslmode=bogus', 'sslmode', '`bogus`', 'verify-full');
  });

  test('rejects the MySQL spelling ssl-mode', () => {
    assertInvalid('postgresql://h/d?ssl-mode=REQUIRED', 'unknown parameter', '`ssl-mode`');
  });

  test('reads connect_timeout in seconds and application_name', () => {
    const url = parsed(
      'postgresql://h/d?connect_timeout=10&application_name=registry%20api',
      'postgresql',
    );
    assert.equal(url.connectTimeoutSeconds, 10);
    assert.equal(url.applicationName, 'registry api');
  });

  test('rejects a connect_timeout that is not a positive whole number', () => {
    for (const value of ['0', '-1', '1.5', 'ten', '']) {
      assertInvalid(`postgresql://h/d?connect_timeout=${value}`, 'connect_timeout', 'whole number');
    }
  });

  test('lists harmless parameters as ignored', () => {
    const url = parsed('postgresql://h/d?client_encoding=utf8&charset=utf8', 'postgresql');
    assert.deepEqual(url.ignoredParameters, ['client_encoding', 'charset']);
  });

  test('rejects an unknown parameter, listing the known ones', () => {
    assertInvalid(
      'postgresql://h/d?search_path=x',
      'unknown parameter',
      '`search_path`',
      'sslmode',
    );
  });

  test('rejects an invalid port', () => {
    assertInvalid('postgresql://h:99999/d', 'cannot be parsed');
    assertInvalid('postgresql://h:abc/d', 'cannot be parsed');
  });

  test('rejects a URL without // after the scheme', () => {
    assertInvalid('postgresql:h/d', 'lacks `//`');
  });

  test('rejects a badly percent-encoded database name', () => {
    assertInvalid('postgresql://h/d%ZZ', 'percent-encoded database name');
  });
});

describe('parseDatabaseUrl: MySQL', () => {
  test('reads every part of a full URL', () => {
    assert.deepEqual(parseDatabaseUrl('mysql://root:p%40ss@db:3307/registry?ssl-mode=REQUIRED'), {
      dialect: 'mysql',
      host: 'db',
      port: 3307,
      user: 'root',
      password: 'p@ss',
      database: 'registry',
      tls: 'require',
      connectTimeoutSeconds: undefined,
      ignoredParameters: [],
    });
  });

  test('accepts mysql://, mariadb:// and SQLAlchemy driver suffixes alike', () => {
    for (const scheme of [
      'mysql',
      'mariadb',
      'mysql+pymysql',
      'mysql+mysqldb',
      'mariadb+mariadbconnector',
    ]) {
      const url = parsed(`${scheme}://u:p@h/d`, 'mysql');
      assert.equal(url.database, 'd', scheme);
    }
  });

  test('defaults the port to 3306 and the host to localhost', () => {
    const url = parsed('mysql:///registry', 'mysql');
    assert.equal(url.port, 3306);
    assert.equal(url.host, 'localhost');
  });

  const sslModes: [string, string][] = [
    ['DISABLED', 'disable'],
    ['PREFERRED', 'disable'],
    ['REQUIRED', 'require'],
    ['VERIFY_CA', 'verify-ca'],
    ['VERIFY_IDENTITY', 'verify-full'],
    ['required', 'require'],
  ];
  for (const [sslMode, tls] of sslModes) {
    test(`maps ssl-mode=${sslMode} to TLS mode ${tls}`, () => {
      assert.equal(parsed(`mysql://h/d?ssl-mode=${sslMode}`, 'mysql').tls, tls);
    });
  }

  test('rejects an unknown ssl-mode and the PostgreSQL spelling sslmode', () => {
    assertInvalid('mysql://h/d?ssl-mode=ALWAYS', 'ssl-mode', 'always');
    assertInvalid('mysql://h/d?sslmode=require', 'unknown parameter', '`sslmode`');
  });

  test('ignores charset, as SQLAlchemy URLs often carry it', () => {
    assert.deepEqual(parsed('mysql+pymysql://u@h/d?charset=utf8mb4', 'mysql').ignoredParameters, [
      'charset',
    ]);
  });

  test('reads connect_timeout in seconds', () => {
    assert.equal(parsed('mysql://h/d?connect_timeout=3', 'mysql').connectTimeoutSeconds, 3);
  });

  test('rejects a URL naming no database', () => {
    assertInvalid('mysql://u@h', 'names no database');
    assertInvalid('mysql://u@h/', 'names no database');
  });
});

describe('parseDatabaseUrl: other input', () => {
  test('rejects text without a scheme', () => {
    assertInvalid('', 'has no scheme');
    assertInvalid('registry.db', 'has no scheme');
  });

  test('rejects an unsupported database, naming its scheme', () => {
    assertInvalid('mongodb://h/d', 'unsupported database', '`mongodb:`');
    assertInvalid('mssql+pyodbc://h/d', 'unsupported database', '`mssql+pyodbc:`');
    assertInvalid('http://h/d', 'unsupported database');
  });

  test('puts the masked URL in the error details', () => {
    const error = assertInvalid('mongodb://u:secret@h/d');
    assert.deepEqual(error.details, { url: 'mongodb://u:***@h/d' });
  });
});

describe('parseDatabaseUrl: passwords never appear in errors', () => {
  const password = 'hunter2';
  const malformed = [
    `mongodb://u:${password}@h/d`,
    `postgresql://u:${password}@h:99999/d`,
    `postgresql://u:${password}@h:bad/d`,
    `postgresql://u:${password}@h/d?sslmode=nope`,
    `postgresql://u:${password}@h/d?unknown=1`,
    `postgresql://u:${password}@h/d?connect_timeout=soon`,
    `postgresql://u:${password}@h/d%ZZ`,
    `postgresql://u:hun%ZZter2@h/d`,
    `postgresql://u:hun/ter2@h/d`,
    `postgresql://u:123/${password}@h/d?unknown=1`,
    `postgresql://u:hu#nter2@h/d`,
    `postgresql://u:hu?nter2@h/d`,
    `postgresql:u:${password}@h/d`,
    `postgresql:/u:${password}@h/d`,
    `mysql://u:${password}@h`,
    `mysql://u:12#${password}@h/d`,
    `mysql://u:${password}@h/d?ssl-mode=SOMETIMES`,
    `sqlite://u:${password}@h/app.db`,
    `app:${password}@db/registry`,
    `//u:${password}@db/registry`,
    `:${password}@db/registry`,
    `postgresql://u@h/d?password=${password}`,
    `postgresql://u@h/d?sslmode=x&password=${password}#frag`,
  ];
  for (const url of malformed) {
    test(`keeps the password out of the error for ${JSON.stringify(url)}`, () => {
      const error = assertInvalid(url);
      assert.ok(!error.message.includes('hunter2'), error.message);
      assert.ok(
        !error.message.includes('hun/ter2') && !error.message.includes('ter2@'),
        error.message,
      );
      assert.ok(!JSON.stringify(error.details).includes('hunter2'), JSON.stringify(error.details));
      assert.ok(error.message.includes('***'), error.message);
    });
  }
});

describe('maskDatabaseUrl', () => {
  const cases: [string, string][] = [
    ['postgresql://app:secret@db/registry', 'postgresql://app:***@db/registry'],
    [
      'mysql+pymysql://root:pw@db:3306/d?charset=utf8',
      'mysql+pymysql://root:***@db:3306/d?charset=utf8',
    ],
    ['postgresql://app:s%40cret@db/registry', 'postgresql://app:***@db/registry'],
    ['postgresql://app:p@ss@db/registry', 'postgresql://app:***@db/registry'],
    ['postgresql://:secret@db/registry', 'postgresql://:***@db/registry'],
    ['postgresql://app:hun/ter2@db/registry', 'postgresql://app:***@db/registry'],
    ['postgresql://app@db/registry', 'postgresql://app@db/registry'],
    ['postgresql://app:@db/registry', 'postgresql://app:@db/registry'],
    ['postgresql://db:5432/registry', 'postgresql://db:5432/registry'],
    [
      'postgresql://app:secret@db/d?application_name=a@b',
      'postgresql://app:***@db/d?application_name=a@b',
    ],
    [
      'postgresql://db/d?password=secret&sslmode=require',
      'postgresql://db/d?password=***&sslmode=require',
    ],
    [
      'postgresql://db/d?sslmode=require&PASSWORD=secret',
      'postgresql://db/d?sslmode=require&PASSWORD=***',
    ],
    ['postgresql:app:secret@db/d', 'postgresql:***@db/d'],
    ['sqlite:data/app.db', 'sqlite:data/app.db'],
    ['sqlite::memory:', 'sqlite::memory:'],
    ['', ''],
    ['not a url at all', 'not a url at all'],
  ];
  for (const [url, masked] of cases) {
    test(`masks ${JSON.stringify(url)} as ${JSON.stringify(masked)}`, () => {
      assert.equal(maskDatabaseUrl(url), masked);
    });
  }

  test('masks too much rather than too little when a port-like password hides the host', () => {
    const masked = maskDatabaseUrl('postgresql://u:123/secret@db/d');
    assert.ok(!masked.includes('secret'), masked);
    assert.ok(!masked.includes('123'), masked);
  });

  test('never throws, whatever the input', () => {
    for (const url of [
      '://',
      '@',
      ':@',
      'a://@',
      'a://:@/',
      '%%%',
      'postgresql://[',
      '\u0000:x@y',
    ]) {
      assert.equal(typeof maskDatabaseUrl(url), 'string');
    }
  });
});
