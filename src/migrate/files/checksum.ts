// The checksum of a revision file, recorded when it is applied so that later edits can be noticed.
// Pure text in, hex out: it must not depend on line endings, an editor's BOM or trailing blanks.

import { createHash } from 'node:crypto';

/**
 * SHA-256 (lowercase hex) of `text` after normalising what editors and checkouts change without
 * meaning to: a leading UTF-8 BOM is removed, CRLF and CR become LF, trailing whitespace is removed
 * from every line, and trailing blank lines (including the final newline) are removed.
 * Any other change, including indentation and comments, changes the checksum.
 */
export function checksumRevisionText(text: string): string {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return createHash('sha256').update(lines.join('\n'), 'utf8').digest('hex');
}
