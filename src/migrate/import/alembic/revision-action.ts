// What a revision function does to the database, as the interpreter records it: SQL strings and
// `op.*` directive calls, in order. Also reads the two execute calls into actions.

import {
  NotConvertible,
  describeValue,
  type CallArguments,
  type PythonValue,
} from './python-value.js';

/** One thing a revision function does to the database, in the order it does it. */
export type RevisionAction =
  | {
      readonly kind: 'sql';
      readonly sql: string;
      /**
       * Bind parameters (`:name`) of `conn.execute(text(…), {…})`, filled in when rendered; an
       * empty map for SQL that SQLAlchemy still reads as text() (`op.execute("…")`, where `\:`
       * is a colon); undefined for a plain string given to the connection, sent as it is.
       */
      readonly parameters: ReadonlyMap<string, PythonValue> | undefined;
      readonly line: number;
    }
  | {
      readonly kind: 'op';
      /** `create_table`, `add_column`…; `bulk_insert`. */
      readonly directive: string;
      readonly call: CallArguments;
      /** The table of the `batch_alter_table` block the directive is in. */
      readonly batchTable: string | undefined;
      /** Which `batch_alter_table` block (numbered within the function): one SQLite rebuild each. */
      readonly batchBlock: number | undefined;
      readonly line: number;
    };

/** `op.*` directives the renderer knows (render-action.ts). */
export const knownDirectives = new Set([
  'create_table',
  'drop_table',
  'add_column',
  'drop_column',
  'alter_column',
  'rename_table',
  'create_index',
  'drop_index',
  'create_unique_constraint',
  'create_foreign_key',
  'drop_constraint',
  'create_check_constraint',
  'create_primary_key',
  'bulk_insert',
]);

/** `op.execute(sql)`: Alembic wraps a string in text() too (alembic/ddl/impl.py, DefaultImpl._exec). */
export function readOpExecute(call: CallArguments): RevisionAction {
  return {
    kind: 'sql',
    sql: sqlOf(call.args[0], call.line).sql,
    parameters: new Map(),
    line: call.line,
  };
}

/** `conn.execute(sql[, parameters])`: one action, or one per row of a list of parameter dicts. */
export function readConnectionExecute(call: CallArguments): RevisionAction[] {
  const { line } = call;
  const [statement, positional] = call.args;
  const { sql, isText } = sqlOf(statement, line);
  // SQLAlchemy 1.x also takes the parameters as keywords: conn.execute(text(…), id=1).
  const keywords: PythonValue | undefined =
    call.kwargs.size > 0
      ? {
          kind: 'dict',
          entries: [...call.kwargs].map(([k, v]) => [{ kind: 'str', value: k }, v] as const),
        }
      : undefined;
  const parameters = positional ?? keywords;
  if (parameters === undefined) {
    return [{ kind: 'sql', sql, parameters: isText ? new Map() : undefined, line }];
  }
  // A list of dicts is executemany: one statement per row.
  const rows = parameters.kind === 'list' ? parameters.items : [parameters];
  return rows.map((row) => {
    if (row.kind !== 'dict') {
      throw new NotConvertible(`bind parameters given as ${describeValue(row)}, not a dict`, line);
    }
    const map = new Map<string, PythonValue>();
    for (const [key, value] of row.entries) {
      if (key.kind !== 'str')
        throw new NotConvertible('a bind parameter name that is not a string', line);
      map.set(key.value, value);
    }
    return { kind: 'sql', sql, parameters: map, line };
  });
}

/** The SQL of a string or `text(…)`, and whether SQLAlchemy reads it as text(). */
function sqlOf(statement: PythonValue | undefined, line: number): { sql: string; isText: boolean } {
  if (statement?.kind === 'str') return { sql: statement.value, isText: false };
  if (
    statement?.kind === 'call' &&
    statement.callee === 'sa.text' &&
    statement.call.args[0]?.kind === 'str'
  ) {
    return { sql: statement.call.args[0].value, isText: true };
  }
  throw new NotConvertible(
    `SQL given as ${describeValue(statement)} (only strings and text(…) are read)`,
    line,
  );
}
