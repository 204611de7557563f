// The one way to compile a query once and run it many times with new values: Kysely otherwise
// builds and compiles the query tree on every call, which costs more than an indexed lookup on
// SQLite (figure: docs/benchmarks.md, "Notes behind the code"). The SQL never changes from one
// call to the next; the values stay parameters.
//
// The rule: only a query run per request or per revision on a path a benchmark in
// docs/benchmarks.md measures (today the records' reads and insert, `npm run bench -- http`, and
// a migration step's bookkeeping, `-- migrations`) is a template. Everything else stays plain
// Kysely, which reads better and whose cost there no figure shows.

import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

/** Stands for the argument `name` while the template is compiled. */
class Placeholder {
  constructor(readonly name: string) {}
}

export interface QueryTemplate<DB, Args, Row> {
  /** Runs the query with `args` in place of the placeholders; resolves to Kysely's result. */
  run(db: Kysely<DB>, args: Args): Promise<QueryResult<Row>>;
  /**
   * The query compiled for `db` with `args` in place of the placeholders, not run: for `db` and
   * for any connection or transaction of it, which compile the same SQL. A caller that runs one
   * query on many transactions (each an instance of its own) compiles it once this way.
   */
  fill(db: Kysely<DB>, args: Args): CompiledQuery<Row>;
  /** The compiled query for `db` (its SQL and parameters, placeholders included), for tests. */
  compiledFor(db: Kysely<DB>): CompiledQuery<Row>;
}

/**
 * A query built once per Kysely instance by `build`, which gets placeholders instead of argument
 * values: each `args.x` it passes to Kysely as a value (`where('id', '=', args.id)`,
 * `values({ name: args.name })`, `limit(args.limit)`) becomes a parameter of the compiled query,
 * filled from the arguments of every `run`. Values that `build` writes itself (`null` in
 * `values()`) are parameters that keep their value.
 *
 * `build` must shape the query the same whatever the arguments: a condition that depends on an
 * argument needs a template of its own. Reading an argument any other way than passing it as a
 * value (`args.limit + 1`, `if (args.x)`) sees a placeholder object, never the value. The compiled
 * query is kept per Kysely instance (a transaction is an instance of its own); its query id is
 * reused, so it suits instances whose plugins keep no state per query (this program uses none).
 *
 * @throws Error from the first `run`, `fill` or `compiledFor` when an argument `build` reads
 *   does not become a parameter of the compiled query.
 * @example
 * const selectName = createQueryTemplate((db: Kysely<RegistryDatabase>, args: { id: number }) =>
 *   db.selectFrom('records').select('name').where('id', '=', args.id),
 * );
 * const { rows } = await selectName.run(db, { id: 42 });
 */
export function createQueryTemplate<DB, Args extends object, Row>(
  build: (db: Kysely<DB>, args: Args) => Compilable<Row>,
): QueryTemplate<DB, Args, Row> {
  const compiledByDb = new WeakMap<Kysely<DB>, CompiledQuery<Row>>();
  const compiledFor = (db: Kysely<DB>): CompiledQuery<Row> => {
    let compiled = compiledByDb.get(db);
    if (compiled === undefined) {
      compiled = compileTemplate(db, build);
      compiledByDb.set(db, compiled);
    }
    return compiled;
  };
  const fill = (db: Kysely<DB>, args: Args): CompiledQuery<Row> => {
    const compiled = compiledFor(db);
    const values = args as Record<string, unknown>;
    const parameters = compiled.parameters.map((value) =>
      value instanceof Placeholder ? values[value.name] : value,
    );
    return { ...compiled, parameters };
  };
  return {
    compiledFor,
    fill,
    run: (db, args) => db.executeQuery<Row>(fill(db, args)),
  };
}

function compileTemplate<DB, Args extends object, Row>(
  db: Kysely<DB>,
  build: (db: Kysely<DB>, args: Args) => Compilable<Row>,
): CompiledQuery<Row> {
  const read = new Set<string>();
  const placeholders = new Proxy(
    {},
    {
      get(_target, name) {
        if (typeof name !== 'string') return undefined;
        read.add(name);
        return new Placeholder(name);
      },
    },
  ) as Args;
  const compiled = build(db, placeholders).compile();
  const bound = new Set(
    compiled.parameters.flatMap((value) => (value instanceof Placeholder ? [value.name] : [])),
  );
  const unbound = [...read].filter((name) => !bound.has(name));
  if (unbound.length > 0) {
    throw new Error(
      `The query template reads ${unbound.join(', ')} without passing it to Kysely as a value: ${compiled.sql}`,
    );
  }
  return compiled;
}
