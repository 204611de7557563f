// What a setting is: its variable, its flag and --help text, its parser, whether it is a secret.
// The catalogues of settings (database-, server-, storage- and migration-settings.ts) are written
// in these terms; setting-definitions.ts assembles them. Pure, and knows nothing of commander.

/**
 * One setting. `parse` turns the text of a flag, variable or env file line into the value, or
 * throws a SettingProblem (setting-parsers.ts) saying what is accepted (without repeating the input).
 * `description` and `defaultText` are what `--help` says of it, after its flag and before
 * `(env VARIABLE; default …)`.
 */
interface SettingBase<T> {
  readonly variable: `DATA_REGISTRY_${string}`;
  /** Masked in `config` and never quoted in error messages. */
  readonly isSecret: boolean;
  readonly description: string;
  /** The default as a person reads it (`5000`, `127.0.0.1 in dev, 0.0.0.0 in prod`); none: undefined. */
  readonly defaultText: string | undefined;
  parse(text: string): T;
}

/** A setting with a flag: `--port <port>`, or `--s3-force-path-style [bool]` with a preset. */
export interface FlagSettingDefinition<T> extends SettingBase<T> {
  /** The long flag, as messages name it. */
  readonly flag: `--${string}`;
  /** What `--help` shows after the flag: `<port>` (required value) or `[bool]` (optional). */
  readonly valueName: `<${string}>` | `[${string}]`;
  /** The value of an optional-value flag given alone (`--s3-force-path-style` means `true`). */
  readonly preset?: string;
}

/** A setting without a flag: secrets, since argv is visible to every user of the machine. */
export interface EnvOnlySettingDefinition<T> extends SettingBase<T> {
  readonly flag: undefined;
}

export type SettingDefinition<T> = FlagSettingDefinition<T> | EnvOnlySettingDefinition<T>;

/** Keeps the flag / env-only distinction in the type of each entry of a catalogue. */
export function defineSetting<T>(definition: FlagSettingDefinition<T>): FlagSettingDefinition<T>;
export function defineSetting<T>(
  definition: EnvOnlySettingDefinition<T>,
): EnvOnlySettingDefinition<T>;
export function defineSetting<T>(definition: SettingDefinition<T>): SettingDefinition<T> {
  return definition;
}
