// Parses and masks database URLs (sqlite:, postgresql://, mysql:// and their SQLAlchemy spellings).
// Pure: no driver, no file system, no network.

import { DataRegistryError } from '../shared/errors.js';

/**
 * How to use TLS, after libpq's `sslmode` (PostgreSQL) or MySQL's `ssl-mode`:
 * - `disable`: plain TCP (also the default, and what `allow` / `prefer` / `PREFERRED` become,
 *   because the Node drivers cannot fall back from TLS to plain TCP);
 * - `require`: encrypted, server certificate not checked (as libpq's `require`);
 * - `verify-ca`: encrypted, certificate chain checked, host name not checked;
 * - `verify-full`: encrypted, certificate chain and host name checked.
 */
export type TlsMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

interface ServerDatabaseUrlFields {
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly tls: TlsMode;
  /** From `connect_timeout` (seconds), as libpq; undefined = the dialect's default. */
  readonly connectTimeoutSeconds: number | undefined;
  /** Query parameters that were recognised as harmless but are not used (`charset`, …). */
  readonly ignoredParameters: readonly string[];
}

export interface PostgresDatabaseUrl extends ServerDatabaseUrlFields {
  readonly dialect: 'postgresql';
  /** Undefined when the URL names none: the server then uses the user name, as libpq does. */
  readonly database: string | undefined;
  /** From `application_name`, shown in pg_stat_activity. */
  readonly applicationName: string | undefined;
}

export interface MysqlDatabaseUrl extends ServerDatabaseUrlFields {
  readonly dialect: 'mysql';
  readonly database: string;
}

export interface SqliteDatabaseUrl {
  readonly dialect: 'sqlite';
  /** The file path as written (relative paths are relative to the working folder), or `:memory:`. */
  readonly path: string;
  readonly inMemory: boolean;
  readonly ignoredParameters: readonly string[];
}

/** A parsed database URL, discriminated by `dialect`. */
export type DatabaseUrl = PostgresDatabaseUrl | MysqlDatabaseUrl | SqliteDatabaseUrl;

/** The forms `parseDatabaseUrl` accepts, for error messages and `--help`. */
export const acceptedDatabaseUrlForms =
  'sqlite:PATH, sqlite:///relative/path, sqlite:////absolute/path, sqlite::memory:, ' +
  'postgresql://USER:PASSWORD@HOST:PORT/DATABASE (or postgres://), ' +
  'mysql://USER:PASSWORD@HOST:PORT/DATABASE (or mariadb://); ' +
  'a SQLAlchemy driver suffix such as postgresql+psycopg2:// or mysql+pymysql:// is accepted';

const defaultPorts = { postgresql: 5432, mysql: 3306 } as const;

/** Parameters other tools put in URLs that change nothing for this project. */
const harmlessParameters = new Set(['charset', 'client_encoding', 'driver', 'use_unicode']);

/**
 * Parses a database URL.
 *
 * - `sqlite:data/app.db`, `sqlite:/abs/app.db`, `sqlite:///relative/app.db` (SQLAlchemy),
 *   `sqlite:////abs/app.db` (SQLAlchemy), `sqlite::memory:`, `sqlite://` and
 *   `sqlite:///:memory:` (in memory). A query string is ignored.
 * - `postgresql://user:password@host:port/database` (also `postgres://`). Parameters:
 *   `sslmode` (disable, allow, prefer, require, verify-ca, verify-full; see {@link TlsMode}),
 *   `connect_timeout` (seconds), `application_name`.
 * - `mysql://user:password@host:port/database` (also `mariadb://`); the database is required.
 *   Parameters: `ssl-mode` (DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY),
 *   `connect_timeout` (seconds).
 * - Any `+driver` suffix (`postgresql+psycopg2://`, `mysql+pymysql://`) is accepted and ignored.
 * - User, password and database name are percent-decoded. The host defaults to `localhost`, the
 *   port to 5432 / 3306. `charset`, `client_encoding`, `driver` and `use_unicode` are ignored
 *   (connections always use UTF-8) and listed in `ignoredParameters`.
 *
 * @throws DataRegistryError INVALID_DATABASE_URL, quoting the masked URL and the accepted forms,
 *   when the URL cannot be parsed, names another database, or has an unknown parameter.
 * @example parseDatabaseUrl('postgres://app:s%40cret@db:6432/registry?sslmode=require')
 *   // → { dialect: 'postgresql', host: 'db', port: 6432, user: 'app', password: 's@cret', … }
 */
export function parseDatabaseUrl(url: string): DatabaseUrl {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme === undefined) throw invalidUrl(url, 'has no scheme');
  const base = scheme.replace(/\+.*$/, '');
  switch (base) {
    case 'sqlite':
      return parseSqliteUrl(url, url.trim().slice(scheme.length + 1));
    case 'postgresql':
    case 'postgres':
      return parsePostgresUrl(url);
    case 'mysql':
    case 'mariadb':
      return parseMysqlUrl(url);
    default:
      throw invalidUrl(url, `names an unsupported database (\`${scheme}:\`)`);
  }
}

function parseSqliteUrl(url: string, afterScheme: string): SqliteDatabaseUrl {
  const queryStart = afterScheme.search(/[?#]/);
  const rest = queryStart < 0 ? afterScheme : afterScheme.slice(0, queryStart);
  const ignoredParameters =
    queryStart < 0 ? [] : [...new URLSearchParams(afterScheme.slice(queryStart + 1)).keys()];
  const memory: SqliteDatabaseUrl = {
    dialect: 'sqlite',
    path: ':memory:',
    inMemory: true,
    ignoredParameters,
  };
  const file = (path: string): SqliteDatabaseUrl => ({
    dialect: 'sqlite',
    path,
    inMemory: false,
    ignoredParameters,
  });
  if (rest === ':memory:' || rest === '//' || rest === '///:memory:') return memory;
  if (rest.startsWith('///')) {
    // SQLAlchemy: three slashes precede a relative path, four an absolute one.
    const path = rest.slice(3);
    if (path === '') throw invalidUrl(url, 'names no file');
    return file(path);
  }
  if (rest.startsWith('//')) {
    throw invalidUrl(url, 'has a host, but SQLite URLs name a file');
  }
  if (rest === '') throw invalidUrl(url, 'names no file');
  return file(rest);
}

interface ServerParts {
  readonly host: string;
  readonly port: number | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly database: string | undefined;
  readonly params: URLSearchParams;
}

function parseServerUrl(url: string): ServerParts {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url.trim())) {
    throw invalidUrl(url, 'lacks `//` after the scheme');
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw invalidUrl(url, 'cannot be parsed (a password with @, / or : must be percent-encoded)');
  }
  const decode = (value: string, what: string): string | undefined => {
    if (value === '') return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      throw invalidUrl(url, `has a badly percent-encoded ${what}`);
    }
  };
  // Non-special schemes keep IPv6 brackets in `hostname`; the drivers want the bare address.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host: decode(host, 'host') ?? 'localhost',
    port: parsed.port === '' ? undefined : Number(parsed.port),
    user: decode(parsed.username, 'user name'),
    password: decode(parsed.password, 'password'),
    database: decode(parsed.pathname.replace(/^\//, ''), 'database name'),
    params: parsed.searchParams,
  };
}

const postgresSslModes: Record<string, TlsMode> = {
  disable: 'disable',
  allow: 'disable',
  prefer: 'disable',
  require: 'require',
  'verify-ca': 'verify-ca',
  'verify-full': 'verify-full',
};

const mysqlSslModes: Record<string, TlsMode> = {
  disabled: 'disable',
  preferred: 'disable',
  required: 'require',
  verify_ca: 'verify-ca',
  verify_identity: 'verify-full',
};

function parsePostgresUrl(url: string): PostgresDatabaseUrl {
  const parts = parseServerUrl(url);
  const params = readParameters(url, parts.params, [
    'sslmode',
    'connect_timeout',
    'application_name',
  ]);
  return {
    dialect: 'postgresql',
    host: parts.host,
    port: parts.port ?? defaultPorts.postgresql,
    user: parts.user,
    password: parts.password,
    database: parts.database,
    tls: readTlsMode(url, 'sslmode', params.known.get('sslmode'), postgresSslModes),
    connectTimeoutSeconds: readTimeout(url, params.known.get('connect_timeout')),
    applicationName: params.known.get('application_name'),
    ignoredParameters: params.ignored,
  };
}

function parseMysqlUrl(url: string): MysqlDatabaseUrl {
  const parts = parseServerUrl(url);
  if (parts.database === undefined) {
    throw invalidUrl(url, 'names no database (mysql://USER@HOST/DATABASE)');
  }
  const params = readParameters(url, parts.params, ['ssl-mode', 'connect_timeout']);
  const sslMode = params.known.get('ssl-mode')?.toLowerCase();
  return {
    dialect: 'mysql',
    host: parts.host,
    port: parts.port ?? defaultPorts.mysql,
    user: parts.user,
    password: parts.password,
    database: parts.database,
    tls: readTlsMode(url, 'ssl-mode', sslMode, mysqlSslModes),
    connectTimeoutSeconds: readTimeout(url, params.known.get('connect_timeout')),
    ignoredParameters: params.ignored,
  };
}

function readParameters(
  url: string,
  params: URLSearchParams,
  knownNames: readonly string[],
): { known: Map<string, string>; ignored: string[] } {
  const known = new Map<string, string>();
  const ignored: string[] = [];
  for (const [name, value] of params) {
    if (knownNames.includes(name)) known.set(name, value);
    else if (harmlessParameters.has(name)) ignored.push(name);
    else {
      throw invalidUrl(
        url,
        `has an unknown parameter \`${name}\` (known: ${[...knownNames, ...harmlessParameters].join(', ')})`,
      );
    }
  }
  return { known, ignored };
}

function readTlsMode(
  url: string,
  parameter: string,
  value: string | undefined,
  modes: Record<string, TlsMode>,
): TlsMode {
  if (value === undefined) return 'disable';
  const mode = modes[value];
  if (mode === undefined) {
    throw invalidUrl(
      url,
      `has an unknown ${parameter} \`${value}\` (known: ${Object.keys(modes).join(', ')})`,
    );
  }
  return mode;
}

function readTimeout(url: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) === 0) {
    throw invalidUrl(url, `has connect_timeout \`${value}\`; give a whole number of seconds`);
  }
  return Number(value);
}

function invalidUrl(url: string, problem: string): DataRegistryError {
  const masked = maskDatabaseUrl(url);
  return new DataRegistryError(
    'INVALID_DATABASE_URL',
    `Database URL \`${masked}\` ${problem}. Accepted forms: ${acceptedDatabaseUrlForms}.`,
    { url: masked },
  );
}

/**
 * The URL with its password (in the user-info part or a `password=` parameter) replaced by
 * `***`, for messages and logs. Never throws, whatever the input; when a URL is malformed it
 * masks too much rather than too little.
 *
 * @example maskDatabaseUrl('postgresql://app:secret@db/registry') // 'postgresql://app:***@db/registry'
 */
export function maskDatabaseUrl(url: string): string {
  const masked = maskUserInfoPassword(url);
  return masked.replace(/([?&]password=)[^&]*/gi, '$1***');
}

function maskUserInfoPassword(url: string): string {
  // Where the user info would start: after `scheme://`; without `//` (a malformed URL, or a URL
  // whose scheme was left out, `app:secret@db/registry`) from the very start, so that the first
  // `:` found may be the scheme's and the user name is masked along with the password.
  const slashes = /^\s*[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(url)?.[0].length;
  const start = slashes ?? 0;
  const rest = url.slice(start);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  let credentialsEnd = authority.lastIndexOf('@');
  if (credentialsEnd < 0 || slashes === undefined) {
    // A password with a raw `/`, `?` or `#` ends the authority early, and the rest may still parse
    // (`postgresql://u:123/pw@h/d` reads as host `u`, port 123), so mask up to the last `@`.
    credentialsEnd = rest.lastIndexOf('@');
    if (credentialsEnd < 0) return url;
  }
  const credentials = rest.slice(0, credentialsEnd);
  const colon = credentials.indexOf(':');
  if (colon < 0 || colon === credentials.length - 1) return url;
  return `${url.slice(0, start + colon + 1)}***${rest.slice(credentialsEnd)}`;
}
