// The migration commands' wiring: names, arguments, options and help; each command's module is
// imported only when it runs (lazy-action.ts).

import type { Command } from 'commander';
import { lazyAction } from './lazy-action.js';
import {
  lockTimeoutOption,
  settingOption,
  withMigrationOptions,
  withTableLockOptions,
  withVersionsFolderOptions,
} from './setting-options.js';

const revisionCommands = () => import('./commands/revision-commands.js');
const migrateCommand = () => import('./commands/migrate-command.js');
const inspectCommands = () => import('./commands/inspect-commands.js');
const stampCommand = () => import('./commands/stamp-command.js');
const checkCommand = () => import('./commands/check-command.js');
const importAlembicCommand = () => import('./commands/import-alembic-command.js');

const verboseHelp = 'show each revision in full';

/**
 * Adds revision, upgrade, downgrade, current, history, heads, branches, show, stamp, merge, check
 * and import-alembic.
 */
export function addMigrationCommands(program: Command): void {
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
  ).action(lazyAction(revisionCommands, 'revisionCommand'));

  addMigrate(program, 'upgrade')
    .description('apply revisions up to a target: head, heads, +N, <rev>, <rev>+N (default head)')
    .argument('[target]', 'where to go; with --sql also <from>:<to>', 'head');
  addMigrate(program, 'downgrade')
    .description('revert revisions down to a target: -N, base, <rev>, <rev>-N')
    .argument('<target>', 'where to go; with --sql also <from>:<to>');

  withMigrationOptions(
    program
      .command('current')
      .description("show the database's revision(s), marked (head) when at a head")
      .option('-v, --verbose', verboseHelp),
  ).action(lazyAction(inspectCommands, 'currentCommand'));

  withMigrationOptions(
    program
      .command('history')
      .description('list revisions, newest first')
      .option('-r, --rev <range>', 'a range such as base:head, ae1:, -3:current')
      .option(
        '-i, --indicate-current',
        'mark the database’s current revision(s) (needs the database)',
      )
      .option('-v, --verbose', verboseHelp),
  ).action(lazyAction(inspectCommands, 'historyCommand'));

  withMigrationOptions(
    program
      .command('heads')
      .description('show the heads: revisions nothing revises yet')
      .option('-v, --verbose', verboseHelp),
  ).action(lazyAction(inspectCommands, 'headsCommand'));

  withMigrationOptions(
    program
      .command('branches')
      .description('show branch points and the revisions branching off them'),
  ).action(lazyAction(inspectCommands, 'branchesCommand'));

  withMigrationOptions(
    program
      .command('show')
      .description('show one revision (an id, a unique prefix, or head)')
      .argument('<rev>'),
  ).action(lazyAction(inspectCommands, 'showCommand'));

  const stamp = withMigrationOptions(
    program
      .command('stamp')
      .description('record a target as applied without running anything (stamp base clears it)')
      .argument('<target>')
      .addOption(lockTimeoutOption()),
  );
  withTableLockOptions(stamp).action(lazyAction(stampCommand, 'stampCommand'));

  withMigrationOptions(
    program
      .command('merge')
      .description('write a revision that joins several heads: merge -m "msg" <rev> <rev>… | heads')
      .argument('<revs...>', 'revisions to join, or heads')
      .requiredOption('-m, --message <message>', 'what the merge is for'),
  ).action(lazyAction(revisionCommands, 'mergeCommand'));

  withVersionsFolderOptions(
    program
      .command('check')
      .description(
        'lint the revisions: the graph, and SQL that would break the running API or lock a busy table (docs/check.md)',
      )
      .option(
        '--dialect <names>',
        'sqlite, postgresql, mysql, comma-separated (default: all three)',
      )
      .option('--from <rev>', 'report only the revisions after this one (what a pull request adds)')
      .option(
        '--db <url>',
        'a server to round-trip on, in a scratch database check creates and drops (repeatable)',
        (url: string, urls: string[]) => [...urls, url],
        [],
      )
      .option('--no-round-trip', 'lint only: no round trip, not even on the temporary SQLite file')
      .option(
        '--drift',
        'compare the --db database with what its recorded heads build from scratch (exit 1 on drift)',
      )
      .addOption(settingOption('versionTable'))
      .option('--format <format>', 'text or json', 'text')
      .option('--strict', 'fail on warnings too'),
  ).action(lazyAction(checkCommand, 'checkCommand'));

  withVersionsFolderOptions(
    program
      .command('import-alembic')
      .description(
        'convert an Alembic project’s revisions into revision files in --dir; never runs Python (docs/migrations.md)',
      )
      .argument('<source>', 'the Alembic project folder (with alembic.ini), or its versions folder')
      .option(
        '--dialect <name>',
        'sqlite, postgresql or mysql: render op.* for this database only (default: all three)',
      )
      .option('--dry-run', 'print the report, write nothing')
      .option(
        '--force',
        'replace revisions of the same ids in --dir that differ from this conversion',
      ),
  ).action(lazyAction(importAlembicCommand, 'importAlembicCommand'));
}

/** `upgrade` or `downgrade` with the options they share; the caller adds the description and target. */
function addMigrate(program: Command, direction: 'upgrade' | 'downgrade'): Command {
  return withTableLockOptions(
    withMigrationOptions(
      program
        .command(direction)
        .option('--sql', 'print the SQL that would run instead of running it')
        .option(
          '--single-transaction',
          `run the whole ${direction} in one transaction (all or nothing)`,
        )
        .addOption(lockTimeoutOption()),
    ),
  ).action(lazyAction(migrateCommand, 'migrateCommand', direction));
}
