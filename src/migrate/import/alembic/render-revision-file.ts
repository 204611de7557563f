// An Alembic revision as the text of our SQL revision file: the header (same id, parents, Create
// Date, message; branch labels and depends_on kept as notes), then the SQL of upgrade() and
// downgrade() — one plain section where every dialect gets the same SQL, else one per dialect.
// A revision not fully read gets the not-converted mark and its Python source in the header.

import type { DialectName } from '../../../db/dialect-name.js';
import { renderSqlRevisionHeader } from '../../files/revision-file-format.js';
import type { FunctionReading } from './interpret-function.js';
import type { RevisionAction } from './revision-action.js';
import type { AlembicRevision } from './read-alembic-revision.js';
import { NotConvertible } from './python-value.js';
import { renderAction } from './render-action.js';

export interface RenderedRevision {
  readonly text: string;
  /** Why the file is marked not converted (with the Alembic file's line), if it is. */
  readonly problem: { readonly line: number; readonly reason: string } | undefined;
}

type Direction = 'upgrade' | 'downgrade';

/** The file text for `revision`, rendered for `dialects` (one: plain sections for it alone). */
export function renderRevisionFile(
  revision: AlembicRevision,
  dialects: readonly DialectName[],
  importedFrom: string,
): RenderedRevision {
  let problem: { line: number; reason: string } | undefined;
  const note = (error: NotConvertible, where: string) => {
    problem ??= { line: error.line, reason: `${error.reason} (${where})` };
  };
  if (revision.moduleProblem !== undefined) note(revision.moduleProblem, 'module level');
  const sections: string[] = [];
  for (const direction of ['upgrade', 'downgrade'] as const) {
    const reading: FunctionReading = revision[direction];
    if (reading.stoppedAt !== undefined) note(reading.stoppedAt, `${direction}()`);
    const rendered = renderDirection(reading.actions, dialects);
    if ('error' in rendered) {
      note(rendered.error, `${direction}() on ${rendered.dialect}`);
      sections.push(...sectionText(direction, undefined, [], reading, rendered.error));
      continue;
    }
    const perDialect = rendered.statements;
    const texts = dialects.map((d) => (perDialect.get(d) ?? []).join('\n'));
    if (dialects.length === 1 || texts.every((t) => t === texts[0])) {
      sections.push(
        ...sectionText(
          direction,
          undefined,
          perDialect.get(dialects[0]!) ?? [],
          reading,
          undefined,
        ),
      );
    } else {
      for (const dialect of dialects) {
        sections.push(
          ...sectionText(direction, dialect, perDialect.get(dialect) ?? [], reading, undefined),
        );
      }
    }
  }
  const notes: [string, string][] = [];
  if (revision.branchLabels.length > 0)
    notes.push(['Branch Labels', revision.branchLabels.join(', ')]);
  if (revision.dependsOn.length > 0) notes.push(['Depends On', revision.dependsOn.join(', ')]);
  notes.push(['Imported from', importedFrom]);
  const header = renderSqlRevisionHeader({
    id: revision.id,
    parents: revision.parents,
    message: revision.message,
    createDate: revision.createDate,
    notes,
    notConverted:
      problem === undefined ? undefined : `${importedFrom} line ${problem.line}: ${problem.reason}`,
  });
  const python =
    problem === undefined
      ? []
      : [
          '--',
          '-- Not converted: the sections below hold what was read before the line named above. Convert the',
          '-- rest from the Alembic source kept here, then delete the `-- migrate:not-converted` line.',
          '--',
          ...revision.source
            .replace(/\r\n?/g, '\n')
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => `-- | ${line}`.trimEnd()),
        ];
  return { text: [...header, ...python, '', ...sections].join('\n'), problem };
}

function renderDirection(
  actions: readonly RevisionAction[],
  dialects: readonly DialectName[],
): { statements: Map<DialectName, string[]> } | { error: NotConvertible; dialect: DialectName } {
  const statements = new Map<DialectName, string[]>();
  for (const dialect of dialects) {
    try {
      const rendered = actions.flatMap((action) => {
        const sql = renderAction(action, dialect);
        // Such a line would read as a section of our file.
        if (sql.some((statement) => /^\s*--\s*migrate:/im.test(statement))) {
          throw new NotConvertible('SQL holding a `-- migrate:` line', action.line);
        }
        return sql;
      });
      statements.set(dialect, rendered.map(terminate));
    } catch (error) {
      if (error instanceof NotConvertible) return { error, dialect };
      throw error;
    }
  }
  return { statements };
}

/** A statement ended with `;` as our files split them (on a line of its own after a comment). */
function terminate(statement: string): string {
  const trimmed = statement.replace(/\s+$/, '').replace(/^\s*\n/, '');
  if (trimmed.endsWith(';')) return trimmed;
  const lastLine = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  return lastLine.includes('--') ? `${trimmed}\n;` : `${trimmed};`;
}

function sectionText(
  direction: Direction,
  dialect: DialectName | undefined,
  statements: readonly string[],
  reading: FunctionReading,
  renderError: NotConvertible | undefined,
): string[] {
  const lines = [`-- migrate:${direction}${dialect === undefined ? '' : ` ${dialect}`}`];
  if (renderError !== undefined) {
    lines.push(`-- Not rendered: ${renderError.reason} (line ${renderError.line}).`);
  } else if (reading.stoppedAt !== undefined) {
    lines.push(`-- Read up to line ${reading.stoppedAt.line}: ${reading.stoppedAt.reason}.`);
  }
  lines.push(...statements, '');
  return lines;
}
