// Command-line parsing for bench/run.js: positional suite names, `--name value`, `--name=value`, `--flag`.

/**
 * @param {string[]} argv arguments after the script name
 * @param {Set<string>} flags option names that take no value
 * @returns {{ positional: string[], options: Map<string, string | true> }}
 */
export function parseArgs(argv, flags) {
  const positional = [];
  const options = new Map();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) {
      options.set(name, arg.slice(eq + 1));
    } else if (flags.has(name)) {
      options.set(name, true);
    } else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
      i += 1;
    }
  }
  return { positional, options };
}

export class UsageError extends Error {}

/** "200,1000" → [200, 1000] */
export function parseIntegerList(text, what) {
  const values = String(text)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const value = Number(part);
      if (!Number.isInteger(value) || value <= 0)
        throw new UsageError(`${what}: "${part}" is not a positive integer`);
      return value;
    });
  if (values.length === 0) throw new UsageError(`${what}: empty list`);
  return values;
}

/** "sqlite,postgresql" → ['sqlite', 'postgresql'], each checked against `allowed`. */
export function parseNameList(text, allowed, what) {
  const names = String(text)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!allowed.includes(name))
      throw new UsageError(`${what}: unknown "${name}" (one of ${allowed.join(', ')})`);
  }
  if (names.length === 0) throw new UsageError(`${what}: empty list`);
  return names;
}
