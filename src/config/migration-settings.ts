// The settings of the migration commands (and of the upgrade dev runs at start): the versions
// folder, the version table, and how long a statement waits for a table lock and how often it
// retries. One part of the catalogue that setting-definitions.ts assembles; pure, like the rest.

import { resolve } from 'node:path';
import * as defaults from './config-defaults.js';
import { defineSetting } from './define-setting.js';
import {
  parseCheckedText,
  parseSeconds,
  parseWholeNumber,
  SettingProblem,
} from './setting-parsers.js';

export const migrationSettings = {
  dir: defineSetting<string>({
    variable: 'DATA_REGISTRY_MIGRATIONS_DIR',
    flag: '--dir',
    valueName: '<folder>',
    isSecret: false,
    description: 'versions folder',
    defaultText: "the registry's own migrations/versions",
    parse: (text) => resolve(text.trim()),
  }),
  tableLockTimeout: defineSetting<number>({
    variable: 'DATA_REGISTRY_TABLE_LOCK_TIMEOUT',
    flag: '--table-lock-timeout',
    valueName: '<seconds>',
    isSecret: false,
    description:
      "seconds each statement of upgrade, downgrade and stamp waits for a table lock before giving way and retrying, so that the API's queries do not queue behind it; 0: no bound (the database's own)",
    defaultText: String(defaults.defaultTableLockTimeoutMs / 1000),
    parse: parseSeconds(0, 86_400),
  }),
  tableLockRetries: defineSetting<number>({
    variable: 'DATA_REGISTRY_TABLE_LOCK_RETRIES',
    flag: '--table-lock-retries',
    valueName: '<n>',
    isSecret: false,
    description:
      'retries after a table-lock timeout, 0.5 s doubling to 10 s apart, before giving up with exit 75',
    defaultText: `${defaults.defaultTableLockRetries} (about a minute)`,
    parse: parseWholeNumber(0, 10_000),
  }),
  versionTable: defineSetting<string>({
    variable: 'DATA_REGISTRY_VERSION_TABLE',
    flag: '--version-table',
    valueName: '<name>',
    isSecret: false,
    description:
      'version table (the history table adds _history); alembic_version carries on from Alembic',
    defaultText: 'dataregistry_version',
    parse: parseCheckedText((text) => {
      // A plain identifier: it is written into DDL and lock names unquoted on every database.
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,54}$/.test(text)) {
        throw new SettingProblem('give a table name of letters, digits and _ (at most 55)');
      }
    }),
  }),
} as const;
