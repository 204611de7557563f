// Commander actions that import their command's module only when that command runs, so that
// every start loads the wiring and one command, not all of them (`--help` loads none).

/** Any command function: whatever it takes, it resolves when the command is done. */
type CommandFunction = (...args: never[]) => Promise<void>;

/**
 * An action that imports the module `load` names and calls its export `name` with `bound`
 * first, then commander's arguments (the positional arguments, then the flags).
 *
 * @example .action(lazyAction(() => import('./commands/migrate-command.js'), 'migrateCommand', 'upgrade'))
 */
export function lazyAction<M extends Record<K, CommandFunction>, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
  ...bound: readonly unknown[]
): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    const run: CommandFunction = (await load())[name];
    // Commander's arguments are untyped; each command function states the types it expects.
    await run(...([...bound, ...args] as never[]));
  };
}
