// An Alembic revision as the text of our revision file. Converted whole: an SQL revision file
// with the header (same id, parents, Create Date, message; branch labels and depends_on kept as
// notes), then the SQL of upgrade() and downgrade() — one plain section where every dialect gets
// the same SQL, else one per dialect. Not converted whole: a JavaScript revision marked
// `notConverted` (render-js-revision.ts) holding what was read and the Python source.

import type { DialectName } from '../../../db/dialect-name.js';
import { renderSqlRevisionHeader } from '../../files/revision-file-format.js';
import { splitSqlStatements } from '../../files/split-sql-statements.js';
import type { FunctionReading } from './interpret-function.js';
import type { RevisionAction } from './revision-action.js';
import type { AlembicRevision } from './read-alembic-revision.js';
import { NotConvertible } from './python-value.js';
import { KnownTables } from './known-tables.js';
import { renderActions } from './render-actions.js';
import { renderJsRevision, type DirectionSql } from './render-js-revision.js';

export interface RenderedRevision {
  readonly text: string;
  /** `sql` for a converted revision, `mjs` for one marked not converted. */
  readonly extension: 'sql' | 'mjs';
  /** Why the file is marked not converted (with the Alembic file's line), if it is. */
  readonly problem: { readonly line: number; readonly reason: string } | undefined;
  /** The tables as the revision's upgrade leaves them (what its children start from). */
  readonly tablesAfter: KnownTables;
}

/**
 * The file text for `revision`, rendered for `dialects` (one: plain sections for it alone), from
 * the tables as its parents left them.
 */
export function renderRevisionFile(
  revision: AlembicRevision,
  dialects: readonly DialectName[],
  importedFrom: string,
  tablesBefore: KnownTables = KnownTables.empty(),
): RenderedRevision {
  let problem: { line: number; reason: string } | undefined;
  const note = (error: NotConvertible, where: string) => {
    problem ??= { line: error.line, reason: `${error.reason} (${where})` };
  };
  if (revision.moduleProblem !== undefined) note(revision.moduleProblem, 'module level');
  const tablesAfter = tablesBefore.copy();
  for (const action of revision.upgrade.actions) tablesAfter.apply(action);
  const directions = (['upgrade', 'downgrade'] as const).map((direction) => {
    const reading: FunctionReading = revision[direction];
    if (reading.stoppedAt !== undefined) note(reading.stoppedAt, `${direction}()`);
    // downgrade() starts from the tables as upgrade() leaves them.
    const tables = direction === 'upgrade' ? tablesBefore : tablesAfter;
    const rendered = renderDirection(reading.actions, dialects, tables);
    const { failure } = rendered;
    if (failure !== undefined) note(failure.error, `${direction}() on ${failure.dialect}`);
    const stopped =
      failure !== undefined
        ? `not rendered on ${failure.dialect} from line ${failure.error.line}: ${failure.error.reason}.`
        : reading.stoppedAt !== undefined
          ? `read up to line ${reading.stoppedAt.line}: ${reading.stoppedAt.reason}.`
          : undefined;
    return { direction, statements: rendered.statements, note: stopped };
  });
  const notes: [string, string][] = [];
  if (revision.branchLabels.length > 0)
    notes.push(['Branch Labels', revision.branchLabels.join(', ')]);
  if (revision.dependsOn.length > 0) notes.push(['Depends On', revision.dependsOn.join(', ')]);
  notes.push(['Imported from', importedFrom]);
  const header = {
    id: revision.id,
    parents: revision.parents,
    message: revision.message,
    createDate: revision.createDate,
    notes,
  };
  // The header must parse back in either format: renderSqlRevisionHeader refuses what would not.
  const sqlHeader = renderSqlRevisionHeader(header);
  if (problem !== undefined) {
    const text = renderJsRevision({
      ...header,
      notConverted: `${importedFrom} line ${problem.line}: ${problem.reason}`,
      // What the engine would run from an SQL file's section, one statement per query.
      directions: directions.map((d) =>
        sharedOrPerDialect(d, dialects, (list, dialect) =>
          splitSqlStatements(list.join('\n'), dialect),
        ),
      ),
      python: revision.source,
    });
    tablesAfter.markUncertain(`revision ${revision.id} before it was not converted`);
    return { text, extension: 'mjs', problem, tablesAfter };
  }
  const sections = directions
    .map((d) => sharedOrPerDialect(d, dialects, (list) => [...list]))
    .flatMap(({ direction, statements }) =>
      Array.isArray(statements)
        ? sectionText(direction, undefined, statements as readonly string[])
        : [...(statements as ReadonlyMap<DialectName, readonly string[]>)].flatMap(([d, list]) =>
            sectionText(direction, d, list),
          ),
    );
  return {
    text: [...sqlHeader, '', ...sections].join('\n'),
    extension: 'sql',
    problem,
    tablesAfter,
  };
}

/** One list where every dialect gets the same statements (or there is one dialect). */
function sharedOrPerDialect(
  rendered: {
    direction: 'upgrade' | 'downgrade';
    statements: Map<DialectName, string[]>;
    note: string | undefined;
  },
  dialects: readonly DialectName[],
  statementsOf: (terminated: readonly string[], dialect: DialectName) => string[],
): DirectionSql {
  const lists = dialects.map((d) => statementsOf(rendered.statements.get(d) ?? [], d));
  const texts = lists.map((list) => JSON.stringify(list));
  const isShared = texts.every((t) => t === texts[0]);
  return {
    direction: rendered.direction,
    note: rendered.note,
    statements: isShared ? (lists[0] ?? []) : new Map(dialects.map((d, i) => [d, lists[i]!])),
  };
}

interface DirectionRendering {
  /** Per dialect, the statements rendered (for the failing dialect, those before the failure). */
  readonly statements: Map<DialectName, string[]>;
  readonly failure: { readonly error: NotConvertible; readonly dialect: DialectName } | undefined;
}

function renderDirection(
  actions: readonly RevisionAction[],
  dialects: readonly DialectName[],
  tables: KnownTables,
): DirectionRendering {
  const statements = new Map<DialectName, string[]>();
  let failure: DirectionRendering['failure'];
  for (const dialect of dialects) {
    const rendered: string[] = [];
    statements.set(dialect, rendered);
    try {
      renderActions(actions, dialect, tables.copy(), (sql, line) => {
        // Such a line would read as a section of our file.
        if (sql.some((statement) => /^\s*--\s*migrate:/im.test(statement))) {
          throw new NotConvertible('SQL holding a `-- migrate:` line', line);
        }
        rendered.push(...sql.map(terminate));
      });
    } catch (error) {
      if (!(error instanceof NotConvertible)) throw error;
      failure ??= { error, dialect };
    }
  }
  return { statements, failure };
}

/** A statement ended with `;` as our files split them (on a line of its own after a comment). */
function terminate(statement: string): string {
  const trimmed = statement.replace(/\s+$/, '').replace(/^\s*\n/, '');
  if (trimmed.endsWith(';')) return trimmed;
  const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  return lastLine.includes('--') ? `${trimmed}\n;` : `${trimmed};`;
}

function sectionText(
  direction: 'upgrade' | 'downgrade',
  dialect: DialectName | undefined,
  statements: readonly string[],
): string[] {
  return [
    `-- migrate:${direction}${dialect === undefined ? '' : ` ${dialect}`}`,
    ...statements,
    '',
  ];
}
