// The settings of the server and of the clients that talk to it: dev or prod, where it listens,
// how it shuts down, its one configured API key, its log, and the URL upload and download use.
// One part of the catalogue that setting-definitions.ts assembles; pure, like the rest of it.

import * as defaults from './config-defaults.js';
import { defineSetting } from './define-setting.js';
import { formatWait, parseWait } from './quantities.js';
import {
  listOf,
  parseHttpUrl,
  parseOneOf,
  parseQuantity,
  parseWholeNumber,
  SettingProblem,
} from './setting-parsers.js';

export type Environment = 'dev' | 'prod';
export const environments: readonly Environment[] = ['dev', 'prod'];

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const logLevels: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/** How `serve` writes its log: readable lines, or one JSON object per line (pino's). */
export type LogFormat = 'pretty' | 'json';
export const logFormats: readonly LogFormat[] = ['pretty', 'json'];

export const serverSettings = {
  env: defineSetting<Environment>({
    variable: 'DATA_REGISTRY_ENV',
    flag: '--env',
    valueName: '<env>',
    isSecret: false,
    description: 'dev (SQLite, migrates itself, open API on loopback) or prod',
    defaultText: defaults.defaultEnvironment,
    parse: parseOneOf(environments),
  }),
  host: defineSetting<string>({
    variable: 'DATA_REGISTRY_HOST',
    flag: '--host',
    valueName: '<host>',
    isSecret: false,
    description: 'address the server listens on',
    defaultText: `${defaults.defaultHostOf('dev')} in dev, ${defaults.defaultHostOf('prod')} in prod`,
    parse: (text) => {
      const value = text.trim();
      if (/\s|\//.test(value)) throw new SettingProblem('give a host name or IP address');
      return value;
    },
  }),
  port: defineSetting<number>({
    variable: 'DATA_REGISTRY_PORT',
    flag: '--port',
    valueName: '<port>',
    isSecret: false,
    description: 'TCP port the server listens on, 0 for any free one',
    defaultText: String(defaults.defaultPort),
    parse: parseWholeNumber(0, 65535),
  }),
  drainPeriod: defineSetting<number>({
    variable: 'DATA_REGISTRY_DRAIN_PERIOD',
    flag: '--drain-period',
    valueName: '<duration>',
    isSecret: false,
    description:
      'on SIGTERM, how long /ready answers 503 while the other routes still serve, before the server stops listening: 5s, 1500ms, 0',
    defaultText: formatWait(defaults.defaultDrainPeriodMs),
    parse: parseQuantity(parseWait, 'seconds (5, 5s), or 1500ms, 2m; 0 for none'),
  }),
  gracePeriod: defineSetting<number>({
    variable: 'DATA_REGISTRY_GRACE_PERIOD',
    flag: '--grace-period',
    valueName: '<duration>',
    isSecret: false,
    description:
      'then, how long the requests in flight have to finish before their connections are closed',
    defaultText: formatWait(defaults.defaultGracePeriodMs),
    parse: parseQuantity(parseWait, 'seconds (20, 20s), or 1500ms, 2m; 0 for none'),
  }),
  apiKey: defineSetting<string>({
    variable: 'DATA_REGISTRY_API_KEY',
    flag: undefined,
    isSecret: true,
    description: 'one API key with admin scope',
    defaultText: undefined,
    parse: (text) => {
      const value = text.trim();
      if (value.length < 16) throw new SettingProblem('give a key of at least 16 characters');
      return value;
    },
  }),
  logLevel: defineSetting<LogLevel>({
    variable: 'DATA_REGISTRY_LOG_LEVEL',
    flag: '--log-level',
    valueName: '<level>',
    isSecret: false,
    description: `least severe level logged: ${listOf(logLevels)}`,
    defaultText: defaults.defaultLogLevel,
    parse: parseOneOf(logLevels),
  }),
  logFormat: defineSetting<LogFormat>({
    variable: 'DATA_REGISTRY_LOG_FORMAT',
    flag: '--log-format',
    valueName: '<format>',
    isSecret: false,
    description: 'how serve writes its log: pretty (readable lines) or json (one object per line)',
    defaultText: defaults.defaultLogFormatText,
    parse: parseOneOf(logFormats),
  }),
  url: defineSetting<string>({
    variable: 'DATA_REGISTRY_URL',
    flag: '--url',
    valueName: '<url>',
    isSecret: false,
    description:
      'the registry server that upload and download talk to, with the key in DATA_REGISTRY_API_KEY',
    defaultText: defaults.defaultRegistryUrl,
    parse: (text) => parseHttpUrl(text).replace(/\/+$/, ''),
  }),
} as const;
