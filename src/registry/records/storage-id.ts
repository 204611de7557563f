// The storage id of a record: the key its files are stored under. Pure apart from the random
// suffix.

import { randomBytes } from 'node:crypto';

/**
 * A stable key from the record's name and creation time, safe in URLs and S3 keys (only
 * `[a-z0-9-]` and `T`/`Z` in the time): `<slug>-<yyyymmddThhmmssmmmZ>-<6 hex>`, at most 80
 * characters. The slug is the name without accents, lowercased, other characters runs turned
 * into `-`, cut at 48 characters (`record` when nothing is left). The random suffix keeps two
 * names with the same slug created in the same millisecond apart. Set once; renaming a record
 * does not change it.
 *
 * @example deriveStorageId('Café Data!', new Date('2026-11-25T09:30:00.123Z'), 'a1b2c3')
 *   // → 'cafe-data-20261125T093000123Z-a1b2c3'
 */
export function deriveStorageId(
  name: string,
  createdAt: Date,
  suffix: string = randomSuffix(),
): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'record';
  const time = createdAt.toISOString().replace(/[-:.]/g, '');
  return `${slug}-${time}-${suffix}`;
}

/** 6 random lowercase hex digits: they only keep names apart, they guard nothing. */
function randomSuffix(): string {
  return randomBytes(3).toString('hex');
}
