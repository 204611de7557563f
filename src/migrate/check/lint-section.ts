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
  const facts = statements.flatMap((s) => (typeof s.facts === 'string' ? [] : s.facts));
  const scope = readScope(facts);
  const findings: Finding[] = [];
  for (const statement of statements) {
    for (const hit of checkStatement(input, statement, scope)) {
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
type Scope = Pick<StatementContext, 'isExisting' | 'isExistingIndex' | 'hasDdlOnExistingTable'>;

/** What the section creates (exempt from the rules) and whether it alters an existing table. */
function readScope(facts: readonly StatementFact[]): Scope {
  const createdTables = new Set(
    facts.flatMap((f) => (f.kind === 'create-table' ? [key(f.table)] : [])),
  );
  const createdIndexes = new Set(
    facts.flatMap((f) =>
      f.kind === 'create-index' && f.index !== undefined ? [key(f.index)] : [],
    ),
  );
  const isExisting = (table: string) => !createdTables.has(key(table));
  return {
    isExisting,
    isExistingIndex: (index) => !createdIndexes.has(key(index)),
    hasDdlOnExistingTable: facts.some(
      (f) => isDdl(f) && 'table' in f && f.table !== undefined && isExisting(f.table),
    ),
  };
}

function checkStatement(input: SectionInput, statement: ReadStatement, scope: Scope): Hit[] {
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
    ...scope,
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
