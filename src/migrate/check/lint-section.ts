// Lints one section (upgrade or downgrade) of one SQL revision for one dialect: split, parse, run
// every rule of the dialect, apply suppression. Updates the schema model after each upgrade statement.

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
import { findTableRebuilds, type TableRebuild } from './table-rebuilds.js';
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
  const { file, section, dialect, model } = input;
  const statements = locateStatements(section, dialect).map((s): ReadStatement => ({
    ...s,
    facts: readStatementFacts(s.text, dialect),
  }));
  const sectionFacts = statements.map((s) => (typeof s.facts === 'string' ? [] : s.facts));
  const scope = readScope(sectionFacts);
  const findings: Finding[] = [];
  for (const [index, statement] of statements.entries()) {
    for (const hit of checkStatement(input, statement, scope, index)) {
      const allow = findAllow(input.allows, file.lines, hit.rule, statement.line);
      if (allow !== undefined) {
        allow.isUsed = true;
        continue;
      }
      const { id, path } = file.revision;
      const { text, line } = statement;
      findings.push({ ...hit, revision: id, file: path, line, dialect, statement: text });
    }
    // Applied statement by statement, so that each rule sees the schema as it is just before the
    // statement (an index dropped above no longer counts). Downgrades leave the model as it is.
    if (input.direction === 'upgrade' && typeof statement.facts !== 'string') {
      for (const fact of statement.facts) model.apply(fact);
    }
  }
  return findings;
}

type Hit = Pick<Finding, 'rule' | 'severity' | 'message' | 'fix'>;

interface Scope {
  readonly sectionFacts: readonly (readonly StatementFact[])[];
  readonly rebuilds: readonly TableRebuild[];
  readonly hasDdlOnExistingTable: boolean;
  /** Whether the table / index already existed when statement `index` runs. */
  isExisting(table: string, index: number): boolean;
  isExistingIndex(name: string, index: number): boolean;
}

/**
 * What the section creates and where: a table or index is exempt from the rules from the
 * statement that creates it on (a table created under another name and renamed takes the new
 * name along), but not before, so that `DROP TABLE t; CREATE TABLE t …` still drops a table.
 */
function readScope(sectionFacts: readonly (readonly StatementFact[])[]): Scope {
  const tableCreatedAt = new Map<string, number>();
  const indexCreatedAt = new Map<string, number>();
  sectionFacts.forEach((facts, at) => {
    for (const fact of facts) {
      if (fact.kind === 'create-table' && !tableCreatedAt.has(key(fact.table))) {
        tableCreatedAt.set(key(fact.table), at);
      } else if (fact.kind === 'rename-table' && tableCreatedAt.has(key(fact.table))) {
        tableCreatedAt.set(key(fact.to), Math.min(at, tableCreatedAt.get(key(fact.to)) ?? at));
      } else if (fact.kind === 'create-index' && fact.index !== undefined) {
        if (!indexCreatedAt.has(key(fact.index))) indexCreatedAt.set(key(fact.index), at);
      }
    }
  });
  const isExisting = (table: string, index: number) =>
    !((tableCreatedAt.get(key(table)) ?? Infinity) <= index);
  return {
    sectionFacts,
    rebuilds: findTableRebuilds(sectionFacts),
    isExisting,
    isExistingIndex: (name, index) => !((indexCreatedAt.get(key(name)) ?? Infinity) <= index),
    hasDdlOnExistingTable: sectionFacts.some((facts, at) =>
      facts.some(
        (f) => isDdl(f) && 'table' in f && f.table !== undefined && isExisting(f.table, at),
      ),
    ),
  };
}

function checkStatement(
  input: SectionInput,
  statement: ReadStatement,
  scope: Scope,
  index: number,
): Hit[] {
  const { dialect, direction } = input;
  if (typeof statement.facts === 'string') {
    return [
      {
        rule: 'not-analysed',
        severity: 'warning',
        message: `The ${dialect} parser cannot read this statement, so no rule checked it: ${firstLine(statement.facts)}`,
        fix: 'Check the statement by hand, or write it in a form the parser reads; allow it with `-- check:allow not-analysed <reason>`.',
      },
    ];
  }
  const context: StatementContext = {
    sectionFacts: scope.sectionFacts,
    statementIndex: index,
    rebuilds: scope.rebuilds,
    hasDdlOnExistingTable: scope.hasDdlOnExistingTable,
    isExisting: (table) => scope.isExisting(table, index),
    isExistingIndex: (name) => scope.isExistingIndex(name, index),
    indexesOn: (table) => input.model.indexesOn(table),
    referencingTables: (table) => input.model.referencingTables(table),
    viewsNaming: (table) => input.model.viewsNaming(table),
    viewsDroppedNaming: (table) => input.model.viewsDroppedNaming(table),
    triggersOn: (table) => input.model.triggersOn(table),
    dialect,
    direction,
    statement: statement.text,
    facts: statement.facts,
    isTransactional: input.file.revision.isTransactional,
    columnTypeBefore: (table, column) => input.model.columnType(table, column),
    columnInUse: (table, column) => input.model.columnInUse(table, column),
    serverVersions: input.serverVersions,
  };
  return input.rules
    .filter((rule) => rule.dialects.includes(dialect) && rule.directions.includes(direction))
    .flatMap((rule) =>
      rule.check(context).map((hit) => ({
        rule: rule.id,
        severity: rule.severity,
        message: hit.message,
        fix: hit.fix ?? rule.fix,
      })),
    );
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
