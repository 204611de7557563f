// The `dataregistry` command line: argv → command → print → exit code. The commands' wiring is
// in migration-program.ts and registry-program.ts; each command's module is imported only when
// that command runs, so start-up stays fast.

import { Command, CommanderError } from 'commander';
import { exitCodeByError, exitCodes } from './exit-codes.js';
import { addMigrationCommands } from './migration-program.js';
import { packageVersion } from './package-version.js';
import { addRegistryCommands, addTransferCommands } from './registry-program.js';

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

addMigrationCommands(program);
addRegistryCommands(program);
addTransferCommands(program);

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
