// Byte sizes (`10GiB`, `500MB`, `1048576`) and durations (`30d`, `12h`) as settings and flags
// write them. Pure.

const byteUnits: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/**
 * Bytes from `1048576`, `64MiB`, `10 GiB` or `500MB` (KiB/MiB/GiB/TiB are powers of 1024,
 * KB/MB/GB/TB powers of 1000; case-insensitive). Undefined when the text is not such a size, or
 * the size is not a whole number of bytes from 1 to 2^53 - 1.
 *
 * @example parseByteSize('5GiB') // → 5368709120
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = byteUnits[(match?.[2] ?? '').toLowerCase() || 'b'];
  if (match === null || unit === undefined) return undefined;
  const bytes = Number(match[1]) * unit;
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : undefined;
}

/** The size in its largest whole binary unit: 5497558138880 → `5TiB`, 1000 → `1000B`. */
export function formatByteSize(bytes: number): string {
  for (const unit of ['TiB', 'GiB', 'MiB', 'KiB']) {
    const size = byteUnits[unit.toLowerCase()]!;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

const durationUnits: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Milliseconds from `45s`, `90m`, `12h`, `30d` or `2w`. Undefined when the text is not a whole
 * number followed by one of those units, or is zero.
 *
 * @example parseDuration('30d') // → 2592000000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*([smhdw])$/i.exec(text.trim());
  const unit = durationUnits[(match?.[2] ?? '').toLowerCase()];
  if (match === null || unit === undefined) return undefined;
  const milliseconds = Number(match[1]) * unit;
  return Number.isSafeInteger(milliseconds) && milliseconds > 0 ? milliseconds : undefined;
}

/** The duration in its largest whole unit up to days: 604800000 → `7d`, 90000 → `90s`. */
export function formatDuration(milliseconds: number): string {
  const units = Object.entries(durationUnits)
    .filter(([unit]) => unit !== 'w')
    .sort(([, a], [, b]) => b - a);
  for (const [unit, size] of units) {
    if (milliseconds % size === 0) return `${milliseconds / size}${unit}`;
  }
  return `${milliseconds}ms`;
}

const waitUnits: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Milliseconds from a short wait as the server's stop settings write it: `0`, `5` or `5s`
 * (seconds), `1500ms`, `2m`. Zero is allowed (no wait). Undefined for anything else or for more
 * than a day.
 *
 * @example parseWait('5') // → 5000
 */
export function parseWait(text: string): number | undefined {
  const match = /^(\d+)\s*(ms|s|m)?$/i.exec(text.trim());
  if (match === null) return undefined;
  const milliseconds = Number(match[1]) * waitUnits[(match[2] ?? 's').toLowerCase()]!;
  return milliseconds <= 86_400_000 ? milliseconds : undefined;
}

/** A wait as parseWait reads it: 5000 → `5s`, 1500 → `1500ms`, 0 → `0s`. */
export function formatWait(milliseconds: number): string {
  return milliseconds % 1000 === 0 ? `${milliseconds / 1000}s` : `${milliseconds}ms`;
}
