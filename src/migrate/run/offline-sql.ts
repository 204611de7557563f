// Offline SQL (`upgrade --sql`): the statements a plan would run, version-table statements
// included, as a script for the database's own client (psql, mysql, sqlite3). Runs nothing.

import type { CompiledQuery } from 'kysely';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import { createRecordingDatabase } from '../../db/recording-database.js';
import type { RevisionSource } from '../files/revision-source.js';
import { describeStep } from '../plan/describe-step.js';
import type { Plan } from '../plan/plan.js';
import {
  createVersionTablesQueries,
  stepBookkeepingQueries,
  type VersionTableNames,
} from './version-table.js';

export interface OfflineSqlInput {
  readonly dialect: DialectAdapter;
  readonly sources: ReadonlyMap<string, RevisionSource>;
  readonly plan: Plan;
  readonly names: VersionTableNames;
  readonly singleTransaction: boolean;
  /** First comment line of the script, e.g. the command that produced it. */
  readonly title: string;
}

/** Renders the script. The result, fed to the database's client, does what running the plan does. */
export async function renderOfflineSql(input: OfflineSqlInput): Promise<string> {
  const { dialect, plan, names } = input;
  const recorder = createRecordingDatabase(dialect.name);
  const out: string[] = [`-- ${input.title}`, ''];
  const emit = (queries: readonly CompiledQuery[]) => {
    for (const query of queries) out.push(terminate(inlineParameters(query, dialect), dialect));
  };

  emit(createVersionTablesQueries(recorder.db, dialect, names));
  out.push('');
  const together = input.singleTransaction && dialect.supportsTransactionalDdl;
  if (together) out.push(dialect.offlineTransaction.begin);

  for (const step of plan.steps) {
    out.push(`-- ${describeStep(step)}`);
    const source = input.sources.get(step.revision.id);
    if (!source) throw new Error(`No source loaded for revision ${step.revision.id}`);
    const body = await source.loadBody(step.direction, dialect.name);
    const inTransaction =
      !together && dialect.supportsTransactionalDdl && step.revision.isTransactional;
    if (inTransaction) out.push(dialect.offlineTransaction.begin);
    if (body.kind === 'sql') {
      for (const statement of body.statements) out.push(terminate(statement, dialect));
    } else {
      await body.run(recorder.db);
      emit(recorder.take());
    }
    const bookkeeping = stepBookkeepingQueries(recorder.db, dialect, names, step.versionChange, {
      revision: step.revision.id,
      direction: step.direction,
      durationMs: null,
      checksum: step.direction === 'upgrade' ? source.checksum : null,
    });
    // Without transactional DDL the version change still commits as one unit, as online.
    const wrapBookkeeping = !together && !inTransaction && bookkeeping.length > 1;
    if (wrapBookkeeping) out.push(dialect.offlineTransaction.begin);
    emit(bookkeeping);
    out.push(wrapBookkeeping || inTransaction ? dialect.offlineTransaction.commit : '');
    if (wrapBookkeeping || inTransaction) out.push('');
  }
  if (together) out.push(dialect.offlineTransaction.commit);
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/**
 * Ends a statement for the client. A MySQL statement with semicolons inside (a trigger or
 * procedure body) needs a temporary DELIMITER, which the mysql client understands.
 */
function terminate(statement: string, dialect: DialectAdapter): string {
  if (dialect.name === 'mysql' && statement.includes(';')) {
    return `DELIMITER //\n${statement}\n//\nDELIMITER ;`;
  }
  return `${statement};`;
}

/**
 * Replaces the placeholders of a compiled query with literals. Placeholders are `$n`
 * (PostgreSQL) or `?` (MySQL, SQLite); quoted strings and identifiers are skipped.
 */
export function inlineParameters(query: CompiledQuery, dialect: DialectAdapter): string {
  const { sql, parameters } = query;
  if (parameters.length === 0) return sql;
  const literal = (index: number): string => {
    const value = parameters[index];
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'number' || typeof value === 'string') return dialect.renderLiteral(value);
    if (typeof value === 'boolean') return value ? '1' : '0';
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Date) return dialect.renderLiteral(value.toISOString());
    return dialect.renderLiteral(JSON.stringify(value));
  };
  let out = '';
  let quote: string | undefined;
  let nextQuestionMark = 0;
  for (let i = 0; i < sql.length; i++) {
    const char = sql.charAt(i);
    if (quote) {
      out += char;
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      quote = char;
      out += char;
    } else if (char === '?' && dialect.name !== 'postgresql') {
      out += literal(nextQuestionMark++);
    } else if (char === '$' && dialect.name === 'postgresql' && /\d/.test(sql.charAt(i + 1))) {
      const digits = /^\d+/.exec(sql.slice(i + 1))?.[0] ?? '';
      out += literal(Number(digits) - 1);
      i += digits.length;
    } else {
      out += char;
    }
  }
  return out;
}
