// Turns a database secret, as RDS writes it to Secrets Manager, into database URLs: one for the
// server and one for the migration commands. Pure: the secret's text is passed in.

import { parseDatabaseUrl } from '../db/database-url.js';
import { DataRegistryError, isDataRegistryError } from '../shared/errors.js';

/** The URLs a secret yields. */
export interface DatabaseSecret {
  /** With `username`/`password`: what the server connects as. */
  readonly url: string;
  /** With `migrationUsername`/`migrationPassword` when given, else the same as `url`. */
  readonly migrationUrl: string;
  /** True when the secret carries migration credentials of its own. */
  readonly hasMigrationCredentials: boolean;
}

const engines: Readonly<Record<string, 'postgresql' | 'mysql'>> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  'aurora-postgresql': 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  aurora: 'mysql',
  'aurora-mysql': 'mysql',
};

/**
 * Parses the secret's `SecretString`:
 * `{"engine":"postgres","host":"db.example","port":5432,"dbname":"registry","username":"app",
 * "password":"…","migrationUsername":"owner","migrationPassword":"…"}`. `port` (number or
 * string) defaults to the engine's; `dbname` is required for MySQL; `sslmode` (optional) becomes
 * the URL's `sslmode` (PostgreSQL) or `ssl-mode` (MySQL). Other fields (`dbInstanceIdentifier`…)
 * are ignored.
 *
 * @throws DataRegistryError MALFORMED_SECRET naming the secret and the field at fault, never a
 *   value from the secret.
 * @example parseDatabaseSecret('{"engine":"postgres","host":"h","username":"u","password":"p"}', 'db')
 *   // → { url: 'postgresql://u:p@h:5432', migrationUrl: 'postgresql://u:p@h:5432', … }
 */
export function parseDatabaseSecret(text: string, secretId: string): DatabaseSecret {
  const malformed = (problem: string) =>
    new DataRegistryError(
      'MALFORMED_SECRET',
      `Secret ${secretId} ${problem}; it must be a JSON object such as {"engine":"postgres","host":"…","port":5432,"dbname":"…","username":"…","password":"…"} (see docs/production.md).`,
      { secretId },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed('is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed('is JSON but not an object');
  }
  const fields = parsed as Record<string, unknown>;
  const readText = (name: string, required: boolean): string | undefined => {
    const value = fields[name];
    if (value === undefined || value === null || value === '') {
      if (required) throw malformed(`has no \`${name}\``);
      return undefined;
    }
    if (typeof value !== 'string') throw malformed(`has a \`${name}\` that is not a string`);
    return value;
  };
  const engineName = readText('engine', true)!;
  const dialect = engines[engineName.toLowerCase()];
  if (dialect === undefined) {
    throw malformed(
      `names the engine \`${engineName}\`, which dataregistry does not support (${Object.keys(engines).join(', ')})`,
    );
  }
  const host = readText('host', true)!;
  const port = readPort(fields.port, malformed);
  const dbname = readText('dbname', dialect === 'mysql');
  const sslmode = readText('sslmode', false);
  const username = readText('username', true)!;
  const password = readText('password', true)!;
  const migrationUsername = readText('migrationUsername', false);
  const migrationPassword = readText('migrationPassword', false);
  if ((migrationUsername === undefined) !== (migrationPassword === undefined)) {
    throw malformed(
      'has only one of `migrationUsername` and `migrationPassword`; give both or neither',
    );
  }
  const build = (user: string, pass: string) => {
    const authority = `${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${formatHost(host)}`;
    const path = dbname === undefined ? '' : `/${encodeURIComponent(dbname)}`;
    const query =
      sslmode === undefined
        ? ''
        : `?${dialect === 'postgresql' ? 'sslmode' : 'ssl-mode'}=${encodeURIComponent(sslmode)}`;
    const url = `${dialect}://${authority}${port === undefined ? '' : `:${port}`}${path}${query}`;
    try {
      parseDatabaseUrl(url);
    } catch (error) {
      if (isDataRegistryError(error)) throw malformed('does not make a valid database URL');
      throw error;
    }
    return url;
  };
  const url = build(username, password);
  const hasMigrationCredentials = migrationUsername !== undefined;
  return {
    url,
    migrationUrl: hasMigrationCredentials ? build(migrationUsername, migrationPassword!) : url,
    hasMigrationCredentials,
  };
}

function readPort(value: unknown, malformed: (problem: string) => Error): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const port = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw malformed('has a `port` that is not a whole number from 1 to 65535');
  }
  return port;
}

/** IPv6 addresses go in brackets in a URL. */
function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
