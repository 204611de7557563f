// Offline SQL (`upgrade --sql`): the statements a plan would run, version-table statements
// included, as a script for the database's own client (psql, mysql, sqlite3). Runs nothing; the
// dialect's adapter says how its statements end, its parameters inline and its transactions open.

import type { CompiledQuery } from 'kysely';
import type { DialectAdapter } from '../../db/dialect-adapter.js';
import { inlineParameters } from '../../db/inline-parameters.js';
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
  /** The lock-wait bound set as online (SET LOCAL per transaction, or once per session); 0: none. */
  readonly tableLockTimeoutMs: number;
  /** First comment line of the script, e.g. the command that produced it. */
  readonly title: string;
}

/** Renders the script. The result, fed to the database's client, does what running the plan does. */
export async function renderOfflineSql(input: OfflineSqlInput): Promise<string> {
  const { dialect, plan, names } = input;
  const recorder = createRecordingDatabase(dialect);
  const out: string[] = [`-- ${input.title}`, ''];
  const emit = (queries: readonly CompiledQuery[]) => {
    for (const query of queries) {
      out.push(dialect.terminateStatement(inlineParameters(query, dialect)));
    }
  };

  const lockSql =
    input.tableLockTimeoutMs > 0
      ? dialect.tableLockTimeoutSql(input.tableLockTimeoutMs)
      : undefined;
  const raw = (statements: readonly string[] | undefined) => {
    for (const statement of statements ?? []) out.push(dialect.terminateStatement(statement));
  };
  if (lockSql) {
    // The script gives way as the online run does, but a script cannot retry: rerun it.
    out.push(
      `-- Lock waits give way after ${input.tableLockTimeoutMs / 1000} s (--table-lock-timeout), so that queries do not queue behind them; the script does not retry.`,
    );
    if (lockSql.transaction === undefined) raw(lockSql.session);
  }
  emit(createVersionTablesQueries(recorder.db, dialect, names));
  out.push('');
  const together = input.singleTransaction && dialect.supportsTransactionalDdl;
  if (together) {
    out.push(dialect.offlineTransaction.begin);
    raw(lockSql?.transaction);
  }

  for (const step of plan.steps) {
    out.push(`-- ${describeStep(step)}`);
    const source = input.sources.get(step.revision.id);
    if (!source) throw new Error(`No source loaded for revision ${step.revision.id}`);
    const body = await source.loadBody(step.direction, dialect.name);
    const inTransaction =
      !together && dialect.supportsTransactionalDdl && step.revision.isTransactional;
    if (inTransaction) {
      out.push(dialect.offlineTransaction.begin);
      raw(lockSql?.transaction);
    }
    const sessionScoped = !together && !inTransaction && lockSql?.transaction !== undefined;
    if (sessionScoped) raw(lockSql.session);
    if (body.kind === 'sql') {
      for (const statement of body.statements) out.push(dialect.terminateStatement(statement));
    } else {
      await body.run(recorder.db);
      emit(recorder.take());
    }
    if (sessionScoped) raw(lockSql.resetSession);
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
