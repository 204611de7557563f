// The text format of SQL revision files: a `--` comment header, then `-- migrate:` sections.
// Text in, data out (and back): no files, and no statement splitting (that is done lazily).

import { DataRegistryError } from '../../shared/errors.js';
import { dialectNames, isDialectName, type DialectName } from '../../db/dialect-name.js';
import type { Direction } from './revision-source.js';

/** What the header of a new revision file says; the input of the renderers. */
export interface RevisionHeader {
  readonly id: string;
  /** Empty for a base revision, two or more for a merge point. */
  readonly parents: readonly string[];
  readonly message: string;
  /** `YYYY-MM-DD HH:MM:SS`; the line is left out when undefined. */
  readonly createDate?: string | undefined;
  /** False writes `-- migrate:no-transaction`. Default true. */
  readonly isTransactional?: boolean | undefined;
  /** Writes `-- migrate:not-converted <reason>`: upgrade and downgrade refuse the file. */
  readonly notConverted?: string | undefined;
  /** Further `-- Key: value` lines after the fields (kept for people; the parser ignores them). */
  readonly notes?: readonly (readonly [string, string])[] | undefined;
}

/** One `-- migrate:upgrade|downgrade [dialect]` section of an SQL revision file. */
export interface RevisionFileSection {
  readonly direction: Direction;
  /** The dialect tag (`-- migrate:upgrade postgresql`); undefined for the plain section. */
  readonly dialect: DialectName | undefined;
  /** 1-based line number of the section's `-- migrate:` line. */
  readonly line: number;
  /** The lines after the `-- migrate:` line up to the next one, joined with LF. */
  readonly sql: string;
}

export interface ParsedSqlRevisionFile {
  readonly id: string;
  readonly parents: readonly string[];
  /** The first comment line of the header, unless that line is already a field; else ''. */
  readonly message: string;
  readonly createDate: string | undefined;
  readonly isTransactional: boolean;
  /** The reason given on a `-- migrate:not-converted` line in the header, if there is one. */
  readonly notConverted: string | undefined;
  /** In file order; at most one per (direction, dialect), at least one upgrade section. */
  readonly sections: readonly RevisionFileSection[];
}

const directiveLine = /^\s*--\s*migrate:(.*)$/i;
const fieldLine = /^(revision id|revises|create date)\s*:(.*)$/i;
const revisionIdToken = /^[^\s,]+$/;
const sectionsExpected = `\`-- migrate:upgrade\` or \`-- migrate:downgrade\`, optionally followed by ${dialectNames.join(', ')}`;

type FieldName = 'revision id' | 'revises' | 'create date';

/**
 * Parses the text of an SQL revision file:
 *
 * ```
 * -- create records table
 * --
 * -- Revision ID: d21f6449aa7a
 * -- Revises: 9c1e2b7a4f00
 * -- Create Date: 2023-01-11 11:06:25
 *
 * -- migrate:upgrade
 * CREATE TABLE records (id integer primary key);
 *
 * -- migrate:downgrade
 * DROP TABLE records;
 * ```
 *
 * Before the first section only blank lines and `--` comments may appear. The message is the first
 * non-empty comment line; `Revision ID:` and `Revises:` are required (an empty `Revises:` marks a
 * base revision; several parents are separated by commas), `Create Date:` is optional, other
 * `-- Key: value` lines and empty `--` lines are ignored, `-- migrate:no-transaction` makes the
 * revision run outside a transaction, and `-- migrate:not-converted <reason>` marks a file that
 * upgrade and downgrade refuse to run (import-alembic writes it). Field names are case-insensitive. A UTF-8 BOM and CRLF line
 * endings are accepted.
 *
 * @throws DataRegistryError MALFORMED_REVISION_FILE naming `path`, the line and what was expected:
 *   missing `Revision ID:` or `Revises:`, a repeated field, no upgrade section, a repeated section,
 *   an unknown `-- migrate:` directive or dialect tag, or code before the first section.
 */
export function parseSqlRevisionFile(text: string, path: string): ParsedSqlRevisionFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const malformed = (line: number, what: string): DataRegistryError =>
    new DataRegistryError('MALFORMED_REVISION_FILE', `${path} line ${line}: ${what}`, {
      path,
      line,
    });

  const fields = new Map<FieldName, { value: string; line: number }>();
  let message: string | undefined;
  let isTransactional = true;
  let notConverted: string | undefined;
  const starts: { direction: Direction; dialect: DialectName | undefined; line: number }[] = [];

  lines.forEach((text, index) => {
    const line = index + 1;
    const directive = directiveLine.exec(text);
    if (directive !== null) {
      const notConvertedMark = /^not-converted(?:\s+(.*))?$/i.exec((directive[1] ?? '').trim());
      if (notConvertedMark !== null) {
        if (starts.length > 0) {
          throw malformed(
            line,
            'expected `-- migrate:not-converted` in the header, before the first section',
          );
        }
        notConverted = (notConvertedMark[1] ?? '').trim() || 'marked not converted';
        return;
      }
      const words = (directive[1] ?? '').trim().split(/\s+/);
      const [verb = '', tag, ...extra] = words.map((word) => word.toLowerCase());
      if (verb === 'no-transaction' && tag === undefined) {
        if (starts.length > 0) {
          throw malformed(
            line,
            'expected `-- migrate:no-transaction` in the header, before the first section',
          );
        }
        isTransactional = false;
        return;
      }
      if ((verb !== 'upgrade' && verb !== 'downgrade') || extra.length > 0) {
        throw malformed(
          line,
          `expected ${sectionsExpected}, or \`-- migrate:no-transaction\`; found \`${text.trim()}\``,
        );
      }
      if (tag !== undefined && !isDialectName(tag)) {
        throw malformed(
          line,
          `unknown dialect tag \`${tag}\`; expected one of ${dialectNames.join(', ')} (or none)`,
        );
      }
      const earlier = starts.find((s) => s.direction === verb && s.dialect === tag);
      if (earlier !== undefined) {
        throw malformed(
          line,
          `\`${text.trim()}\` repeats the section of line ${earlier.line}; expected each section once`,
        );
      }
      starts.push({ direction: verb, dialect: tag, line });
      return;
    }
    if (starts.length > 0) return;

    const trimmed = text.trim();
    if (trimmed === '') return;
    if (!trimmed.startsWith('--')) {
      throw malformed(
        line,
        `expected \`--\` comment lines, then ${sectionsExpected}; found \`${clip(trimmed)}\` before any section`,
      );
    }
    const content = trimmed.slice(2).trim();
    if (content === '') return;
    const field = fieldLine.exec(content);
    if (field === null) {
      message ??= content;
      return;
    }
    const name = (field[1] ?? '').toLowerCase() as FieldName;
    const earlier = fields.get(name);
    if (earlier !== undefined) {
      throw malformed(
        line,
        `a second \`${field[1]}:\` line (the first is on line ${earlier.line}); expected it once`,
      );
    }
    fields.set(name, { value: (field[2] ?? '').trim(), line });
    message ??= '';
  });

  const headerEnd = starts[0]?.line ?? lines.length;
  const id = fields.get('revision id');
  if (id === undefined || id.value === '') {
    throw malformed(id?.line ?? headerEnd, 'expected a `-- Revision ID: <id>` line in the header');
  }
  if (!revisionIdToken.test(id.value)) {
    throw malformed(
      id.line,
      `expected one revision id after \`Revision ID:\`; found \`${id.value}\``,
    );
  }
  const revises = fields.get('revises');
  if (revises === undefined) {
    throw malformed(
      headerEnd,
      'expected a `-- Revises: <parent ids>` line in the header (empty for a base revision)',
    );
  }
  const parents = parseParents(revises.value, (what) => malformed(revises.line, what));
  if (!starts.some((s) => s.direction === 'upgrade')) {
    throw malformed(lines.length, 'expected a `-- migrate:upgrade` section; found none');
  }

  const sections = starts.map((start, i): RevisionFileSection => {
    const end = starts[i + 1]?.line ?? lines.length + 1;
    return { ...start, sql: lines.slice(start.line, end - 1).join('\n') };
  });
  return {
    id: id.value,
    parents,
    message: message ?? '',
    createDate: fields.get('create date')?.value || undefined,
    isTransactional,
    notConverted,
    sections,
  };
}

function parseParents(value: string, malformed: (what: string) => Error): string[] {
  const parents = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const [i, parent] of parents.entries()) {
    if (!revisionIdToken.test(parent)) {
      throw malformed(
        `expected revision ids separated by commas after \`Revises:\`; found \`${parent}\``,
      );
    }
    if (parents.indexOf(parent) !== i) {
      throw malformed(`\`Revises:\` lists \`${parent}\` twice; expected each parent once`);
    }
  }
  return parents;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * The section that runs for `direction` on `dialect`: the dialect's own section if the file has
 * one, else the plain section, else undefined.
 */
export function selectSection(
  parsed: ParsedSqlRevisionFile,
  direction: Direction,
  dialect: DialectName,
): RevisionFileSection | undefined {
  const candidates = parsed.sections.filter((s) => s.direction === direction);
  return (
    candidates.find((s) => s.dialect === dialect) ?? candidates.find((s) => s.dialect === undefined)
  );
}

/**
 * The text of a new SQL revision file: the header, then an upgrade and a downgrade section each
 * holding one comment line that says what to write there. Parses back to the same header.
 * Whitespace runs in the message (newlines included) become single spaces.
 *
 * @throws DataRegistryError INVALID_ARGUMENT when the header could not be parsed back: a message
 *   that would read as a `-- migrate:` directive or a `Revision ID:` / `Revises:` / `Create Date:`
 *   field, an id or parent that is empty or holds whitespace or a comma, or a parent listed twice.
 */
export function renderSqlRevisionFile(header: RevisionHeader): string {
  const lines = [
    ...renderSqlRevisionHeader(header),
    '',
    '-- migrate:upgrade',
    '-- SQL that applies this revision; end each statement with a semicolon.',
    '',
    '-- migrate:downgrade',
    '-- SQL that reverts the upgrade above (leave empty if it cannot be reverted).',
    '',
  ];
  return lines.join('\n');
}

/**
 * The header lines of an SQL revision file (message, fields, notes, directives), as
 * {@link renderSqlRevisionFile} writes them; the sections are the caller's.
 *
 * @throws DataRegistryError INVALID_ARGUMENT as renderSqlRevisionFile.
 */
export function renderSqlRevisionHeader(header: RevisionHeader): string[] {
  const message = toOneLine(header.message);
  checkRenderable(header, message);
  return [
    `-- ${message}`.trimEnd(),
    '--',
    `-- Revision ID: ${header.id}`,
    `-- Revises: ${header.parents.join(', ')}`.trimEnd(),
    ...(header.createDate === undefined ? [] : [`-- Create Date: ${header.createDate}`]),
    ...(header.notes ?? []).map(([key, value]) => `-- ${key}: ${toOneLine(value)}`.trimEnd()),
    ...(header.isTransactional === false ? ['-- migrate:no-transaction'] : []),
    ...(header.notConverted === undefined
      ? []
      : [`-- migrate:not-converted ${toOneLine(header.notConverted)}`]),
  ];
}

function checkRenderable(header: RevisionHeader, message: string): void {
  const invalid = (what: string): DataRegistryError =>
    new DataRegistryError('INVALID_ARGUMENT', what, { id: header.id, message });
  if (directiveLine.test(`-- ${message}`) || fieldLine.test(message)) {
    throw invalid(
      `The message \`${clip(message)}\` would be read as a header field or a \`-- migrate:\` directive; reword its start`,
    );
  }
  for (const id of [header.id, ...header.parents]) {
    if (!revisionIdToken.test(id)) {
      throw invalid(
        `\`${id}\` is not a revision id; expected characters other than whitespace and commas`,
      );
    }
  }
  const repeated = header.parents.find((parent, i) => header.parents.indexOf(parent) !== i);
  if (repeated !== undefined) {
    throw invalid(`The parents list \`${repeated}\` twice; give each parent once`);
  }
}

/** Collapses whitespace runs, newlines included, so that a message fits on one header line. */
export function toOneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
