// Lints one section (upgrade or downgrade) of one SQL revision for one dialect: split, parse, run
// every rule of the dialect, apply suppression. Updates the schema model after an upgrade.

import type { DialectName } from '../../db/dialect-name.js';
import type { RevisionFileSection } from '../files/revision-file-format.js';
import type { Direction } from '../files/revision-source.js';
import { splitSqlStatements } from '../files/split-sql-statements.js';
import type { Finding } from './finding.js';
import type { RevisionFile } from './read-revision-files.js';
import { readStatementFacts } from './read-statement-facts.js';
import type { LintRule, ServerVersions, StatementContext } from './rule.js';
import type { SchemaModel } from './schema-model.js';
import { isDdl, type StatementFact } from './statement-facts.js';
import { findAllow, type Allow } from './suppression.js';

export interface SectionInput {
  readonly file: RevisionFile;
  readonly section: RevisionFileSection;
  readonly dialect: DialectName;
  readonly direction: Direction;
  readonly rules: readonly LintRule[];
  readonly model: SchemaModel;
  readonly allows: ReadonlyMap<number, Allow>;
  readonly serverVersions: ServerVersions;
}

interface ReadStatement {
  readonly text: string;
  readonly line: number;
  readonly facts: readonly StatementFact[] | string;
}

/** The section's findings, suppressed ones left out (and their allows marked used). */
export function lintSection(input: SectionInput): Finding[] {
  const { file, section, dialect, direction, model } = input;
  const statements = locateStatements(section, dialect).map((s): ReadStatement => ({
    ...s,
    facts: readStatementFacts(s.text, dialect),
  }));
  const facts = statements.flatMap((s) => (typeof s.facts === 'string' ? [] : s.facts));
  const createdTables = new Set(
    facts.flatMap((f) => (f.kind === 'create-table' ? [key(f.table)] : [])),
  );
  const createdIndexes = new Set(
    facts.flatMap((f) =>
      f.kind === 'create-index' && f.index !== undefined ? [key(f.index)] : [],
    ),
  );
  const isExisting = (table: string) => !createdTables.has(key(table));
  const hasDdlOnExistingTable = facts.some(
    (f) => isDdl(f) && 'table' in f && f.table !== undefined && isExisting(f.table),
  );
  const findings: Finding[] = [];
  for (const statement of statements) {
    const report = (rule: string, severity: Finding['severity'], message: string, fix: string) => {
      const allow = findAllow(input.allows, file.lines, rule, statement.line);
      if (allow !== undefined) {
        allow.isUsed = true;
        return;
      }
      const { revision } = file;
      findings.push({
        rule,
        severity,
        revision: revision.id,
        file: revision.path,
        line: statement.line,
        dialect,
        statement: statement.text,
        message,
        fix,
      });
    };
    if (typeof statement.facts === 'string') {
      report(
        'not-analysed',
        'warning',
        `The ${dialect} parser cannot read this statement, so no rule checked it: ${firstLine(statement.facts)}`,
        'Check the statement by hand, or write it in a form the parser reads; allow it with `-- check:allow not-analysed <reason>`.',
      );
      continue;
    }
    const context: StatementContext = {
      dialect,
      direction,
      statement: statement.text,
      facts: statement.facts,
      isTransactional: file.revision.isTransactional,
      isExisting,
      isExistingIndex: (index) => !createdIndexes.has(key(index)),
      columnTypeBefore: (table, column) => model.columnType(table, column),
      hasDdlOnExistingTable,
      serverVersions: input.serverVersions,
    };
    for (const rule of input.rules) {
      if (!rule.dialects.includes(dialect) || !rule.directions.includes(direction)) continue;
      for (const hit of rule.check(context))
        report(rule.id, rule.severity, hit.message, hit.fix ?? rule.fix);
    }
  }
  if (direction === 'upgrade') for (const fact of facts) model.apply(fact);
  return findings;
}

/** The section's statements with the file line each starts on. */
function locateStatements(
  section: RevisionFileSection,
  dialect: DialectName,
): { text: string; line: number }[] {
  let cursor = 0;
  let line = section.line + 1;
  return splitSqlStatements(section.sql, dialect).map((text) => {
    // Statements are slices of the section, in order, so each is found after the previous one.
    const at = section.sql.indexOf(text, cursor);
    const start = at < 0 ? cursor : at;
    line += countNewlines(section.sql, cursor, start);
    cursor = start;
    return { text, line };
  });
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i += 1) if (text.charCodeAt(i) === 10) count += 1;
  return count;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function key(name: string): string {
  return name.toLowerCase();
}
