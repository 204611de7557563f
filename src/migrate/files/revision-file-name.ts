// Names of new revisions: random ids, file names that sort by creation time, Create Date stamps.
// Pure apart from the random id; never touches the file system.

import { randomBytes } from 'node:crypto';

/** Extensions of the files a versions folder holds. */
export type RevisionFileExtension = 'sql' | 'js' | 'mjs';

/** A new revision id: 12 lowercase hex characters from the crypto random source. */
export function newRevisionId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * The file name of a new revision: `YYYY_MM_DD_HHMM-<id>_<slug>.<extension>`, or
 * `YYYY_MM_DD_HHMM-<id>.<extension>` when the message has no letters or digits.
 * The timestamp is `date` in UTC, the same clock as {@link formatCreateDate}, so that names sort
 * in creation order whatever the time zone of whoever created them.
 *
 * @example revisionFileName(new Date('2023-01-11T11:06:25Z'), 'd21f6449aa7a', 'Create records table', 'sql')
 *   // → '2023_01_11_1106-d21f6449aa7a_create_records_table.sql'
 */
export function revisionFileName(
  date: Date,
  id: string,
  message: string,
  extension: RevisionFileExtension,
): string {
  const [year, month, day, hour, minute] = utcParts(date);
  const slug = slugifyMessage(message);
  const stem = `${year}_${month}_${day}_${hour}${minute}-${id}`;
  return `${slug === '' ? stem : `${stem}_${slug}`}.${extension}`;
}

/**
 * The message as a file-name fragment: accents dropped, lowercased, every run of characters other
 * than `[a-z0-9]` (underscores included) turned into one `_`, no leading or trailing `_`, and at
 * most 40 characters. May be empty.
 *
 * @example slugifyMessage('Add "e-mail" column, again!') // → 'add_e_mail_column_again'
 */
export function slugifyMessage(message: string): string {
  return message
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+/, '')
    .slice(0, 40)
    .replace(/_+$/, '');
}

/**
 * The `Create Date:` of a revision written at `date`: `YYYY-MM-DD HH:MM:SS` in UTC. (Alembic uses
 * local time; UTC keeps dates comparable across a team and equal to the file-name timestamp.)
 */
export function formatCreateDate(date: Date): string {
  const [year, month, day, hour, minute, second] = utcParts(date);
  return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}

function utcParts(date: Date): [string, string, string, string, string, string] {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return [
    String(date.getUTCFullYear()).padStart(4, '0'),
    pad(date.getUTCMonth() + 1),
    pad(date.getUTCDate()),
    pad(date.getUTCHours()),
    pad(date.getUTCMinutes()),
    pad(date.getUTCSeconds()),
  ];
}
