// The `dataregistry` command line: argv → command → print → exit code.
// Each command's module is imported only when that command runs, so start-up stays fast.

import { Command, CommanderError, Option } from 'commander';
import { exitCodeByError, exitCodes } from './exit-codes.js';
import { packageVersion } from './package-version.js';
import type * as RevisionCommands from './commands/revision-commands.js';
import type * as MigrateCommand from './commands/migrate-command.js';
import type * as InspectCommands from './commands/inspect-commands.js';
import type * as StampCommand from './commands/stamp-command.js';
import type * as ServeCommand from './commands/serve-command.js';
import type * as ConfigCommand from './commands/config-command.js';
import type * as KeysCommands from './commands/keys-commands.js';
import type * as PurgeCommand from './commands/purge-command.js';
import type * as TransferCommands from './commands/transfer-commands.js';

const program = new Command('dataregistry')
  .description('A data registry, and the Alembic-style migration engine that keeps its schema.')
  .version(packageVersion(), '-V, --version')
  .showSuggestionAfterError()
  // Usage errors as one line like every other error; Commander puts its suggestion on a second
  // line (`error: unknown command 'upgade'` / `(Did you mean upgrade?)`).
  .configureOutput({
    outputError: (text, write) => write(`dataregistry: ${text.trim().replace(/\s*\n\s*/g, ' ')}\n`),
  })
  .exitOverride();

/** Options shared by every command that reads revisions or a database. */
function withMigrationOptions(command: Command): Command {
  return command
    .option(
      '--db <url>',
      'database URL: sqlite:PATH, postgresql://…, mysql://… (env DATA_REGISTRY_DB_CONNECTION; default sqlite:./data/dataregistry.db)',
    )
    .option(
      '--dir <folder>',
      "versions folder (env DATA_REGISTRY_MIGRATIONS_DIR; default: the registry's own migrations/versions)",
    )
    .option('--version-table <name>', 'version table name (the history table adds _history)')
    .option('--debug', 'show the stack trace of an error')
    .option('--env-file <file>', envFileHelp)
    .option('--secret-id <id>', secretIdHelp)
    .option('--aws-region <region>', awsRegionHelp)
    .option('--aws-endpoint <url>', awsEndpointHelp);
}

const envFileHelp =
  'read DATA_REGISTRY_* variables from a dotenv file (flags and the environment take precedence)';
const secretIdHelp =
  'AWS Secrets Manager secret with the database settings (env DATA_REGISTRY_SECRET_ID); migration commands use its migrationUsername/migrationPassword';
const awsRegionHelp = 'AWS region of the secret (env DATA_REGISTRY_AWS_REGION)';
const awsEndpointHelp = 'Secrets Manager endpoint URL (env DATA_REGISTRY_AWS_ENDPOINT)';

/** Options of the configuration (docs/configuration.md) for serve, config and keys. */
function withConfigOptions(command: Command): Command {
  return command
    .option('--env-file <file>', envFileHelp)
    .option('--env <env>', 'dev or prod (env DATA_REGISTRY_ENV; default dev)')
    .option(
      '--db <url>',
      'database URL (env DATA_REGISTRY_DB_CONNECTION; dev default sqlite:./data/dataregistry.db)',
    )
    .option(
      '--pool-size <n>',
      'most database connections (env DATA_REGISTRY_DB_POOL_SIZE; default 10)',
    )
    .option('--secret-id <id>', secretIdHelp)
    .option('--aws-region <region>', awsRegionHelp)
    .option('--aws-endpoint <url>', awsEndpointHelp)
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug, trace or silent (env DATA_REGISTRY_LOG_LEVEL; default info)',
    )
    .option('--debug', 'show the stack trace of an error');
}

function withServerOptions(command: Command): Command {
  return command
    .option(
      '--host <host>',
      'address to listen on (env DATA_REGISTRY_HOST; default 127.0.0.1 in dev, 0.0.0.0 in prod)',
    )
    .option(
      '--port <port>',
      'port to listen on, 0 for any free one (env DATA_REGISTRY_PORT; default 5000)',
    )
    .option(
      '--dir <folder>',
      "versions folder (env DATA_REGISTRY_MIGRATIONS_DIR; default: the registry's own migrations/versions)",
    );
}

/** Options of file storage (docs/configuration.md) for serve, config and purge. */
function withStorageOptions(command: Command): Command {
  return command
    .option(
      '--storage <location>',
      'where files are stored: a folder or s3://bucket/optional/prefix (env DATA_REGISTRY_STORAGE; default ./data/files)',
    )
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint URL: MinIO, Ceph, R2… (env DATA_REGISTRY_S3_ENDPOINT)',
    )
    .option('--s3-region <region>', 'region of the bucket (env DATA_REGISTRY_S3_REGION)')
    .addOption(
      new Option(
        '--s3-force-path-style [bool]',
        'address buckets as endpoint/bucket/key (env DATA_REGISTRY_S3_FORCE_PATH_STYLE)',
      ).preset('true'),
    )
    .option(
      '--max-upload-bytes <size>',
      'largest file accepted: bytes, or 500MB, 10GiB… (env DATA_REGISTRY_MAX_UPLOAD_BYTES; default 5TiB)',
    )
    .option(
      '--upload-session-max-age <duration>',
      'idle time after which purge aborts an upload session: 12h, 7d… (env DATA_REGISTRY_UPLOAD_SESSION_MAX_AGE; default 7d)',
    );
}

function lockTimeoutOption(): Option {
  return new Option(
    '--lock-timeout <seconds>',
    'give up waiting for the migration lock after this many seconds (default: wait)',
  );
}

withMigrationOptions(
  program
    .command('revision')
    .description('write a new revision file whose parent is the current head, and print its path')
    .requiredOption(
      '-m, --message <message>',
      'what the revision does; becomes part of the file name',
    )
    .option(
      '--js',
      'write a JavaScript revision (upgrade(db)/downgrade(db) functions) instead of SQL',
    )
    .option(
      '--head <rev>',
      'the parent to build on when there are several heads (base: a new root)',
    ),
).action(async (flags: Parameters<typeof RevisionCommands.revisionCommand>[0]) =>
  (await import('./commands/revision-commands.js')).revisionCommand(flags),
);

withMigrationOptions(
  program
    .command('upgrade')
    .description('apply revisions up to a target: head, heads, +N, <rev>, <rev>+N (default head)')
    .argument('[target]', 'where to go; with --sql also <from>:<to>', 'head')
    .option('--sql', 'print the SQL that would run instead of running it')
    .option('--single-transaction', 'run the whole upgrade in one transaction (all or nothing)')
    .addOption(lockTimeoutOption()),
).action(async (target: string, flags: MigrateCommand.MigrateFlags) =>
  (await import('./commands/migrate-command.js')).migrateCommand('upgrade', target, flags),
);

withMigrationOptions(
  program
    .command('downgrade')
    .description('revert revisions down to a target: -N, base, <rev>, <rev>-N')
    .argument('<target>', 'where to go; with --sql also <from>:<to>')
    .option('--sql', 'print the SQL that would run instead of running it')
    .option('--single-transaction', 'run the whole downgrade in one transaction (all or nothing)')
    .addOption(lockTimeoutOption()),
).action(async (target: string, flags: MigrateCommand.MigrateFlags) =>
  (await import('./commands/migrate-command.js')).migrateCommand('downgrade', target, flags),
);

withMigrationOptions(
  program
    .command('current')
    .description("show the database's revision(s), marked (head) when at a head")
    .option('-v, --verbose', 'show each revision in full'),
).action(async (flags: Parameters<typeof InspectCommands.currentCommand>[0]) =>
  (await import('./commands/inspect-commands.js')).currentCommand(flags),
);

withMigrationOptions(
  program
    .command('history')
    .description('list revisions, newest first')
    .option('-r, --rev <range>', 'a range such as base:head, ae1:, -3:current')
    .option(
      '-i, --indicate-current',
      'mark the database’s current revision(s) (needs the database)',
    )
    .option('-v, --verbose', 'show each revision in full'),
).action(async (flags: Parameters<typeof InspectCommands.historyCommand>[0]) =>
  (await import('./commands/inspect-commands.js')).historyCommand(flags),
);

withMigrationOptions(
  program
    .command('heads')
    .description('show the heads: revisions nothing revises yet')
    .option('-v, --verbose', 'show each revision in full'),
).action(async (flags: Parameters<typeof InspectCommands.headsCommand>[0]) =>
  (await import('./commands/inspect-commands.js')).headsCommand(flags),
);

withMigrationOptions(
  program
    .command('branches')
    .description('show branch points and the revisions branching off them'),
).action(async (flags: Parameters<typeof InspectCommands.branchesCommand>[0]) =>
  (await import('./commands/inspect-commands.js')).branchesCommand(flags),
);

withMigrationOptions(
  program
    .command('show')
    .description('show one revision (an id, a unique prefix, or head)')
    .argument('<rev>'),
).action(async (rev: string, flags: Parameters<typeof InspectCommands.showCommand>[1]) =>
  (await import('./commands/inspect-commands.js')).showCommand(rev, flags),
);

withMigrationOptions(
  program
    .command('stamp')
    .description('record a target as applied without running anything (stamp base clears it)')
    .argument('<target>')
    .addOption(lockTimeoutOption()),
).action(async (target: string, flags: Parameters<typeof StampCommand.stampCommand>[1]) =>
  (await import('./commands/stamp-command.js')).stampCommand(target, flags),
);

withMigrationOptions(
  program
    .command('merge')
    .description('write a revision that joins several heads: merge -m "msg" <rev> <rev>… | heads')
    .argument('<revs...>', 'revisions to join, or heads')
    .requiredOption('-m, --message <message>', 'what the merge is for'),
).action(async (revs: string[], flags: Parameters<typeof RevisionCommands.mergeCommand>[1]) =>
  (await import('./commands/revision-commands.js')).mergeCommand(revs, flags),
);

withStorageOptions(
  withServerOptions(
    withConfigOptions(
      program
        .command('serve')
        .description(
          'start the HTTP API (dev: SQLite, upgraded to head on start; prod: configured database and API keys)',
        ),
    ),
  ),
)
  .option('--insecure', 'allow an open API (no key configured) on a non-loopback --host')
  .action(async (flags: ServeCommand.ServeFlags) =>
    (await import('./commands/serve-command.js')).serveCommand(flags),
  );

withStorageOptions(
  withServerOptions(
    withConfigOptions(
      program
        .command('config')
        .description(
          'print the effective configuration, secrets masked, and where each value came from',
        ),
    ),
  ),
)
  .option('--json', 'print JSON instead of a table')
  .action(async (flags: ConfigCommand.ConfigCommandFlags) =>
    (await import('./commands/config-command.js')).configCommand(flags),
  );

withStorageOptions(
  withConfigOptions(
    program
      .command('purge')
      .description(
        'remove the stored files of records and datasets deleted longer ago than --older-than, and stored objects of that age no file references, and abort abandoned uploads, printing each removal',
      )
      .requiredOption(
        '--older-than <duration>',
        'purge what was deleted (or, unreferenced, stored) longer ago than this: 30d, 12h, 2w…',
      )
      .option('--dry-run', 'print what would be removed, and change nothing'),
  ),
).action(async (flags: PurgeCommand.PurgeFlags) =>
  (await import('./commands/purge-command.js')).purgeCommand(flags),
);

const keys = program
  .command('keys')
  .description('manage API keys stored in the database (create, list, revoke)');

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
).action(async (flags: KeysCommands.KeysCreateFlags) =>
  (await import('./commands/keys-commands.js')).keysCreateCommand(flags),
);

withConfigOptions(
  keys
    .command('list')
    .description('list API keys: name, scope, created, last used, revoked (never tokens)')
    .option('--json', 'print JSON instead of a table'),
).action(async (flags: Parameters<typeof KeysCommands.keysListCommand>[0]) =>
  (await import('./commands/keys-commands.js')).keysListCommand(flags),
);

withConfigOptions(
  keys
    .command('revoke')
    .description('revoke an API key by name; servers refuse it within a few seconds')
    .argument('<name>'),
).action(async (name: string, flags: Parameters<typeof KeysCommands.keysRevokeCommand>[1]) =>
  (await import('./commands/keys-commands.js')).keysRevokeCommand(name, flags),
);

/** Options of the commands that talk to a running registry (upload, download). */
function withClientOptions(command: Command): Command {
  return command
    .option(
      '--url <url>',
      'the registry server (env DATA_REGISTRY_URL; default http://127.0.0.1:5000); the API key comes from DATA_REGISTRY_API_KEY',
    )
    .option('--env-file <file>', envFileHelp)
    .option('--debug', 'show the stack trace of an error');
}

withClientOptions(
  program
    .command('upload')
    .description(
      "upload files to a record, verifying each one's SHA-256; with S3 storage directly to the store, resuming an interrupted upload",
    )
    .argument('<record>', "the record's id or exact name")
    .argument('<paths...>', 'files to upload; each keeps its name')
    .option('--parallel <n>', 'parts in flight at once in a direct upload (default 4)')
    .option('--no-direct', 'send every byte through the server, even with S3 storage'),
).action(async (record: string, paths: string[], flags: TransferCommands.UploadFlags) =>
  (await import('./commands/transfer-commands.js')).uploadCommand(record, paths, flags),
);

withClientOptions(
  program
    .command('download')
    .description("download a record's file, verifying its SHA-256 before it appears under its name")
    .argument('<record>', "the record's id or exact name")
    .argument('<file>', "the file's name")
    .option('-o, --output <path>', 'where to write it: a file, or a folder (default: ./<file>)'),
).action(async (record: string, file: string, flags: TransferCommands.DownloadFlags) =>
  (await import('./commands/transfer-commands.js')).downloadCommand(record, file, flags),
);

await run(process.argv);

async function run(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    process.exitCode = exitCodes.ok;
  } catch (error) {
    process.exitCode = await reportError(error, debug);
  }
}

async function reportError(error: unknown, debug: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (usage errors) or the help/version text.
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  const { isDataRegistryError } = await import('../shared/errors.js');
  if (isDataRegistryError(error)) {
    process.stderr.write(`dataregistry: error: ${error.message}\n`);
    if (debug) process.stderr.write(`${error.stack ?? ''}\n`);
    return exitCodeByError[error.code];
  }
  // Anything else is a bug; say so in one line unless --debug asks for the stack.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`dataregistry: unexpected error: ${message}\n`);
  process.stderr.write(
    debug
      ? `${error instanceof Error ? (error.stack ?? '') : ''}\n`
      : 'Run again with --debug for the stack trace.\n',
  );
  return exitCodes.failed;
}
