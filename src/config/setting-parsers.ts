// The parsers the setting catalogue (the *-settings.ts groups that setting-definitions.ts
// assembles) builds its settings from, and how accepted values are listed in help. Pure.

/** Why a text is not a valid value; the caller adds which setting and where the text came from. */
export class SettingProblem extends Error {
  override readonly name = 'SettingProblem';
}

/** `a, b or c`, for help texts. */
export function listOf(values: readonly string[]): string {
  return values.length < 2
    ? values.join('')
    : `${values.slice(0, -1).join(', ')} or ${values.at(-1)!}`;
}

export function parseOneOf<T extends string>(allowed: readonly T[]): (text: string) => T {
  return (text) => {
    const value = text.trim().toLowerCase();
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new SettingProblem(`give one of ${allowed.join(', ')}`);
  };
}

export function parseWholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = text.trim();
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new SettingProblem(`give a whole number from ${min} to ${max}`);
    }
    return Number(value);
  };
}

/** A number of seconds, decimals allowed (`1`, `0.5`), as milliseconds. */
export function parseSeconds(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = text.trim();
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new SettingProblem(`give a number of seconds from ${min} to ${max}, e.g. 1 or 0.5`);
    }
    return Math.round(Number(value) * 1000);
  };
}

/** A quantity such as `10GiB` or `7d`: `read` gives undefined for a text it does not accept. */
export function parseQuantity(
  read: (text: string) => number | undefined,
  accepted: string,
): (text: string) => number {
  return (text) => {
    const value = read(text);
    if (value === undefined) throw new SettingProblem(`give ${accepted}`);
    return value;
  };
}

export function parseBoolean(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new SettingProblem('give true or false');
}

/** The trimmed text, once `check` (which throws its own error for a bad one) accepts it. */
export function parseCheckedText(check: (text: string) => unknown): (text: string) => string {
  return (text) => {
    const value = text.trim();
    check(value);
    return value;
  };
}

export function parseText(text: string): string {
  return text.trim();
}

export function parseRegion(text: string): string {
  const value = text.trim();
  if (!/^[a-z0-9-]+$/.test(value)) throw new SettingProblem('give a region such as eu-west-1');
  return value;
}

export function parseHttpUrl(text: string): string {
  const value = text.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingProblem('give an http:// or https:// URL, e.g. http://127.0.0.1:4566');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SettingProblem('give an http:// or https:// URL, e.g. http://127.0.0.1:4566');
  }
  return value;
}
