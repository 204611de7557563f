// The settings of the database: its URL, the server's pool, and the AWS Secrets Manager secret
// that can hold its credentials (and the migration user's). One part of the catalogue that
// setting-definitions.ts assembles; pure, like the rest of it.

import { parseDatabaseUrl } from '../db/database-url.js';
import * as defaults from './config-defaults.js';
import { defineSetting } from './define-setting.js';
import {
  parseCheckedText,
  parseHttpUrl,
  parseRegion,
  parseText,
  parseWholeNumber,
} from './setting-parsers.js';

export const databaseSettings = {
  db: defineSetting<string>({
    variable: 'DATA_REGISTRY_DB_CONNECTION',
    flag: '--db',
    valueName: '<url>',
    isSecret: false, // the URL is shown with its password masked
    description: 'database URL: sqlite:PATH, postgresql://…, mysql://…',
    defaultText: `${defaults.defaultDatabaseUrl} in dev`,
    // parseDatabaseUrl throws INVALID_DATABASE_URL, which names the accepted forms.
    parse: parseCheckedText(parseDatabaseUrl),
  }),
  poolSize: defineSetting<number>({
    variable: 'DATA_REGISTRY_DB_POOL_SIZE',
    flag: '--pool-size',
    valueName: '<n>',
    isSecret: false,
    description: 'most connections the server opens (PostgreSQL, MySQL)',
    defaultText: String(defaults.defaultPoolSize),
    parse: parseWholeNumber(1, 1000),
  }),
  secretId: defineSetting<string>({
    variable: 'DATA_REGISTRY_SECRET_ID',
    flag: '--secret-id',
    valueName: '<id>',
    isSecret: false,
    description:
      'AWS Secrets Manager secret (name or ARN) with the database settings; migration commands use its migrationUsername/migrationPassword',
    defaultText: undefined,
    parse: parseText,
  }),
  awsRegion: defineSetting<string>({
    variable: 'DATA_REGISTRY_AWS_REGION',
    flag: '--aws-region',
    valueName: '<region>',
    isSecret: false,
    description: 'AWS region of the secret',
    defaultText: "the AWS SDK's, e.g. AWS_REGION",
    parse: parseRegion,
  }),
  awsEndpoint: defineSetting<string>({
    variable: 'DATA_REGISTRY_AWS_ENDPOINT',
    flag: '--aws-endpoint',
    valueName: '<url>',
    isSecret: false,
    description: 'Secrets Manager endpoint URL',
    defaultText: 'the region’s',
    parse: parseHttpUrl,
  }),
} as const;
