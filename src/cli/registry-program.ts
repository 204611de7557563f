// The registry commands' wiring (serve, config, purge, keys, upload, download): names,
// arguments, options and help; each command's module is imported only when it runs.

import { Option, type Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import {
  withClientOptions,
  withConfigOptions,
  withServerOptions,
  withPurgeOptions,
  withStorageOptions,
} from './setting-options.js';

const serveCommand = () => import('./commands/serve-command.js');
const configCommand = () => import('./commands/config-command.js');
const purgeCommand = () => import('./commands/purge-command.js');
const keysCommands = () => import('./commands/keys-commands.js');
const transferCommands = () => import('./commands/transfer-commands.js');

const jsonHelp = 'print JSON instead of a table';

/** Adds serve, config, purge and keys create | list | revoke. */
export function addRegistryCommands(program: Command): void {
  const serve = program
    .command('serve')
    .description(
      'start the HTTP API (dev: SQLite, upgraded to head on start; prod: configured database and API keys)',
    );
  withStorageOptions(withServerOptions(withConfigOptions(serve)))
    .option('--insecure', 'allow an open API (no key configured) on a non-loopback --host')
    .action(lazyAction(serveCommand, 'serveCommand'));

  const config = program
    .command('config')
    .description(
      'print the effective configuration, secrets masked, and where each value came from',
    );
  withStorageOptions(withServerOptions(withConfigOptions(config)))
    .option('--json', jsonHelp)
    .action(lazyAction(configCommand, 'configCommand'));

  const purge = program
    .command('purge')
    .description(
      'remove for good what was deleted longer ago than --older-than (records, datasets, files, superseded versions) and abort abandoned upload sessions, working from the database alone; with --orphans, walk the store instead for what no row references',
    )
    .requiredOption(
      '--older-than <duration>',
      'purge what was deleted (with --orphans: stored, unreferenced) longer ago than this: 30d, 12h, 2w…',
    )
    .option('--dry-run', 'print what would be removed, and change nothing')
    .option(
      '--orphans',
      'walk the store, in key order, for objects no file or upload session references, multipart uploads no session tracks and temporary files of stopped uploads, and remove those older than --older-than',
    )
    .option(
      '--limit <objects>',
      'with --orphans: examine at most this many objects, then say where to resume (default: 10000)',
    )
    .option(
      '--start-after <key>',
      'with --orphans: start after this key, the one the previous run stopped at',
    );
  withPurgeOptions(withStorageOptions(withConfigOptions(purge))).action(
    lazyAction(purgeCommand, 'purgeCommand'),
  );

  addKeysCommands(
    program
      .command('keys')
      .description('manage API keys stored in the database (create, list, revoke)'),
  );
}

function addKeysCommands(keys: Command): void {
  withConfigOptions(
    keys
      .command('create')
      .description('create an API key and print its token, once (only a hash is stored)')
      .requiredOption('--name <name>', 'a unique name, e.g. ci')
      .addOption(
        new Option('--scope <scope>', 'read, write or admin')
          .choices(['read', 'write', 'admin'])
          .makeOptionMandatory(),
      ),
  ).action(lazyAction(keysCommands, 'keysCreateCommand'));

  withConfigOptions(
    keys
      .command('list')
      .description('list API keys: name, scope, created, last used, revoked (never tokens)')
      .option('--json', jsonHelp),
  ).action(lazyAction(keysCommands, 'keysListCommand'));

  withConfigOptions(
    keys
      .command('revoke')
      .description('revoke an API key by name; servers refuse it within a few seconds')
      .argument('<name>'),
  ).action(lazyAction(keysCommands, 'keysRevokeCommand'));
}

/** Adds upload and download, which talk to a running registry. */
export function addTransferCommands(program: Command): void {
  withClientOptions(
    program
      .command('upload')
      .description(
        "upload files to a record, verifying each one's SHA-256; with S3 storage directly to the store, resuming an interrupted upload",
      )
      .argument('<record>', "the record's id or exact name")
      .argument('<paths...>', 'files to upload; each keeps its name')
      .option('--parallel <n>', 'parts in flight at once in a direct upload (default 4)')
      .option('--no-direct', 'send every byte through the server, even with S3 storage')
      .option(
        '--no-overwrite',
        'refuse (FILE_EXISTS) rather than add a version to a file of the same name',
      )
      .option(
        '--dataset <id>',
        "upload to this dataset of the record instead of the record's own files",
      ),
  ).action(lazyAction(transferCommands, 'uploadCommand'));

  withClientOptions(
    program
      .command('download')
      .description(
        "download a record's file, verifying its SHA-256 before it appears under its name",
      )
      .argument('<record>', "the record's id or exact name")
      .argument('<file>', "the file's name")
      .option('-o, --output <path>', 'where to write it: a file, or a folder (default: ./<file>)')
      .option('--dataset <id>', "a file of this dataset of the record instead of the record's own"),
  ).action(lazyAction(transferCommands, 'downloadCommand'));
}
