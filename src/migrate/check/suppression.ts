// Suppression comments: `-- check:allow <rule> <reason>` on the comment lines right above a
// statement, `-- check:allow-file <rule> <reason>` in a file's header. Reads lines; knows no rule.

import type { Finding } from './finding.js';

/** One allow comment of a file. */
export interface Allow {
  readonly rule: string;
  readonly reason: string;
  /** 1-based line of the comment. */
  readonly line: number;
  readonly isFileWide: boolean;
  /** Set once a finding matched it. */
  isUsed: boolean;
}

const allowComment = /^\s*--\s*check:(allow-file|allow)(?![\w-])(?:\s+(\S+))?\s*(.*)$/i;

/** The allows of one file, by line; `headerEnd` is the line of its first section. */
export function readAllows(lines: readonly string[], headerEnd: number): Map<number, Allow> {
  const allows = new Map<number, Allow>();
  lines.forEach((text, index) => {
    const match = allowComment.exec(text);
    if (match === null) return;
    const isFileWide = match[1]?.toLowerCase() === 'allow-file';
    if (isFileWide && index + 1 >= headerEnd) return;
    allows.set(index + 1, {
      rule: match[2] ?? '',
      reason: (match[3] ?? '').trim(),
      line: index + 1,
      isFileWide,
      isUsed: false,
    });
  });
  return allows;
}

/**
 * The allow that covers a finding of `rule` at `statementLine`, if any: a file-wide one, or a
 * statement one on the unbroken run of comment lines right above the statement.
 */
export function findAllow(
  allows: ReadonlyMap<number, Allow>,
  lines: readonly string[],
  rule: string,
  statementLine: number,
): Allow | undefined {
  for (let line = statementLine - 1; line >= 1; line -= 1) {
    const text = (lines[line - 1] ?? '').trim();
    if (!text.startsWith('--')) break;
    const allow = allows.get(line);
    if (allow !== undefined && !allow.isFileWide && allow.rule === rule) return allow;
  }
  return [...allows.values()].find((a) => a.isFileWide && a.rule === rule);
}

/**
 * Findings about the allows themselves: without a reason (error), matching nothing (warning). An
 * allow in a section that was not read (another dialect's, when `--dialect` leaves it out) has
 * had no chance to match, so `wasRead` keeps it from counting as unused.
 */
export function checkAllows(
  allows: ReadonlyMap<number, Allow>,
  file: string,
  revision: string | undefined,
  wasRead: (line: number) => boolean = () => true,
): Finding[] {
  return [...allows.values()].flatMap((allow): Finding[] => {
    const comment = `\`-- check:${allow.isFileWide ? 'allow-file' : 'allow'} ${allow.rule}\``;
    const base = { revision, file, line: allow.line, dialect: undefined, statement: '' };
    if (allow.rule === '' || allow.reason === '') {
      return [
        {
          ...base,
          rule: 'allow-without-reason',
          severity: 'error',
          message: `${comment} gives no ${allow.rule === '' ? 'rule and no ' : ''}reason.`,
          fix: 'Write the rule and why the statement is safe: `-- check:allow drop-column the code stopped reading it in 2.3`.',
        },
      ];
    }
    if (allow.isUsed || (!allow.isFileWide && !wasRead(allow.line))) return [];
    return [
      {
        ...base,
        rule: 'unused-allow',
        severity: 'warning',
        message: `${comment} matches no finding.`,
        fix: 'Remove the comment, or correct the rule id or its place (the comment lines right above the statement).',
      },
    ];
  });
}
