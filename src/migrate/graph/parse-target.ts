// Parses what a user types as a target (`upgrade head`, `downgrade -1`, `ae10+2`), a history
// range (`-r base:current`) or an offline range (`--sql a1:b2`). Syntax only: resolving against
// the graph happens in resolve-target.ts.

import { DataRegistryError } from '../../shared/errors.js';

/** What a relative target is counted from: a symbol or a revision id (or unique prefix). */
export type TargetAnchor =
  | { readonly kind: 'head' }
  | { readonly kind: 'heads' }
  | { readonly kind: 'base' }
  | { readonly kind: 'revision'; readonly ref: string };

/**
 * A parsed target. `text` is the input as given, for messages.
 * - `head` / `heads` / `base` / `revision` (an id or unique prefix): absolute targets.
 * - `relative`: `+N` or `-N` (`steps` is signed, never 0), counted from the database's current head.
 * - `offset`: `<anchor>+N` or `<anchor>-N`, e.g. `ae10+2`, `head-1`, `base+1` (`steps` signed, may be 0).
 */
export type Target = (
  | TargetAnchor
  | { readonly kind: 'relative'; readonly steps: number }
  | { readonly kind: 'offset'; readonly from: TargetAnchor; readonly steps: number }
) & { readonly text: string };

/** One end of a history range: a target, or `current` (the database's current heads). */
export type RangeEnd = Target | { readonly kind: 'current'; readonly text: string };

/**
 * `history -r start:end`, both ends inclusive. A missing start means base, a missing end means
 * every head, so `{}` selects everything. A relative start (`-N`) counts down from the end, a
 * relative end (`+N`) counts up from the start.
 */
export interface HistoryRange {
  readonly start?: RangeEnd;
  readonly end?: RangeEnd;
  /** The range as typed, for messages. */
  readonly text?: string;
}

const acceptedForms =
  'head, heads, base, +N, -N, a revision id or unique prefix, <rev>+N or <rev>-N (N a whole number)';
const idPattern = /^[A-Za-z0-9_]+$/;
const relativePattern = /^([+-])(\d+)$/;
const offsetPattern = /^([A-Za-z0-9_]+)([+-])(\d+)$/;

/** Parses a target; INVALID_TARGET names the input and lists the accepted forms. */
export function parseTarget(text: string): Target {
  return parseTargetIn(text, `\`${text}\``, { target: text });
}

/**
 * Splits the range of `upgrade --sql` / `downgrade --sql`: `<from>:<to>` names its own starting
 * point (an empty `from` is base); a bare target has none, so `from` is undefined.
 */
export function splitOfflineRange(range: string): {
  readonly from: string | undefined;
  readonly to: string;
} {
  const colon = range.indexOf(':');
  if (colon < 0) return { from: undefined, to: range };
  return { from: range.slice(0, colon), to: range.slice(colon + 1) };
}

/** True when an offline range names its own starting point (`<from>:<to>`): no database needed. */
export function isOfflineRange(range: string): boolean {
  return splitOfflineRange(range).from !== undefined;
}

/**
 * Parses `start:end` (either side may be empty). Each side takes a target or `current`; only the
 * start may be `-N` and only the end `+N`, as Alembic's `history -r` allows.
 */
export function parseRange(text: string): HistoryRange {
  const parts = text.trim().split(':');
  const [startText, endText] = parts;
  if (parts.length !== 2 || startText === undefined || endText === undefined) {
    throw new DataRegistryError(
      'INVALID_TARGET',
      `Invalid history range \`${text}\`: expected start:end, start: or :end, where each side is ${acceptedForms}, or current.`,
      { range: text },
    );
  }
  const start = startText === '' ? undefined : parseRangeEnd(startText, text);
  const end = endText === '' ? undefined : parseRangeEnd(endText, text);
  if (start?.kind === 'relative' && start.steps > 0) {
    throw invalidRange(
      text,
      `a start of \`${startText}\` counts forwards; the start may only be -N`,
    );
  }
  if (end?.kind === 'relative' && end.steps < 0) {
    throw invalidRange(text, `an end of \`${endText}\` counts backwards; the end may only be +N`);
  }
  if (start?.kind === 'relative' && end?.kind === 'relative') {
    throw invalidRange(text, 'both ends are relative, so neither gives a place to count from');
  }
  return { start, end, text };
}

function parseRangeEnd(side: string, range: string): RangeEnd {
  if (side.trim() === 'current') return { kind: 'current', text: side.trim() };
  return parseTargetIn(side, `\`${side}\` in history range \`${range}\``, { target: side, range });
}

function invalidRange(range: string, problem: string): DataRegistryError {
  return new DataRegistryError(
    'INVALID_TARGET',
    `Invalid history range \`${range}\`: ${problem}.`,
    {
      range,
    },
  );
}

type Details = Record<string, unknown>;

function parseTargetIn(raw: string, where: string, details: Details): Target {
  const text = raw.trim();
  if (text === 'head' || text === 'heads' || text === 'base') return { kind: text, text };
  const relative = relativePattern.exec(text);
  if (relative) {
    const steps = signedSteps(relative[1], relative[2]);
    if (steps === 0) throw invalid(where, details, `${text} moves nowhere`);
    return { kind: 'relative', steps, text };
  }
  const offset = offsetPattern.exec(text);
  if (offset) {
    const from = parseAnchor(offset[1] ?? '', where, details);
    return { kind: 'offset', from, steps: signedSteps(offset[2], offset[3]), text };
  }
  if (text === 'current') {
    throw invalid(where, details, '`current` is only meaningful in a history range (-r current:)');
  }
  if (idPattern.test(text)) return { kind: 'revision', ref: text, text };
  throw invalid(where, details, text === '' ? 'the target is empty' : undefined);
}

function parseAnchor(word: string, where: string, details: Details): TargetAnchor {
  if (word === 'head' || word === 'heads' || word === 'base') return { kind: word };
  if (word === 'current') throw invalid(where, details, '`current` cannot be counted from');
  return { kind: 'revision', ref: word };
}

function signedSteps(sign: string | undefined, digits: string | undefined): number {
  const magnitude = Number(digits);
  return sign === '-' && magnitude !== 0 ? -magnitude : magnitude;
}

function invalid(where: string, details: Details, problem: string | undefined): DataRegistryError {
  return new DataRegistryError(
    'INVALID_TARGET',
    `Invalid target ${where}${problem ? ` (${problem})` : ''}: expected ${acceptedForms}.`,
    details,
  );
}
