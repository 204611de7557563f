// SQLite's schema read for the snapshot: sqlite_master and the table-valued pragmas. CHECK
// constraints are kept only in the table's CREATE text, so they are read from it with the SQL
// parser (and printed back by it, so spacing and case do not count).

import { sql, type Kysely } from 'kysely';
import { grammarParser } from '../parse/sql-parser-grammars.js';
import type { ConstraintSnapshot, RawSchema, TableSnapshot } from './schema-snapshot.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
// Catalogue values are plain scalars.
type Row = Record<string, string | number | boolean | null | undefined>;

/**
 * Table snapshots by the CREATE texts they were read from. An SQLite table is wholly defined by
 * its own CREATE TABLE text and those of its indexes, so a table whose texts did not change
 * since the last snapshot need not be read again: without this, the round trip of a chain of N
 * revisions reads O(N²) pragmas (docs/benchmarks.md, "check").
 */
export type SqliteTableCache = Map<string, TableSnapshot>;

export async function readSqliteSchema(
  db: AnyDb,
  cache: SqliteTableCache = new Map(),
): Promise<RawSchema> {
  const master = await rows(
    db,
    sql`select type, name, tbl_name, sql from sqlite_master
        where name not like 'sqlite_%' order by type, name`,
  );
  const indexTexts = new Map<string, string[]>();
  for (const row of master.filter((r) => r.type === 'index')) {
    const table = String(row.tbl_name);
    indexTexts.set(table, [
      ...(indexTexts.get(table) ?? []),
      `${String(row.name)} ${text(row.sql)}`,
    ]);
  }
  const tables: TableSnapshot[] = [];
  for (const row of master.filter((r) => r.type === 'table')) {
    const name = String(row.name);
    const key = [name, text(row.sql), ...(indexTexts.get(name) ?? [])].join('\u0000');
    let table = cache.get(key);
    if (table === undefined) {
      table = await readTable(db, name, text(row.sql));
      cache.set(key, table);
    }
    tables.push(table);
  }
  return {
    tables,
    views: master
      .filter((r) => r.type === 'view')
      .map((r) => ({ name: String(r.name), definition: normalise(text(r.sql)) })),
    triggers: master
      .filter((r) => r.type === 'trigger')
      .map((r) => ({
        name: String(r.name),
        table: String(r.tbl_name),
        definition: normalise(text(r.sql)),
      })),
  };
}

async function readTable(db: AnyDb, name: string, createSql: string): Promise<TableSnapshot> {
  const columns = await rows(db, sql`select * from pragma_table_xinfo(${name}) where hidden <> 1`);
  const constraints: ConstraintSnapshot[] = [];
  const key = columns
    .filter((c) => Number(c.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((c) => String(c.name));
  if (key.length > 0) {
    constraints.push({ kind: 'primary key', name: null, definition: `(${key.join(', ')})` });
  }
  const indexes = [];
  for (const index of await rows(db, sql`select * from pragma_index_list(${name})`)) {
    const indexName = String(index.name);
    const keyColumns = (
      await rows(db, sql`select name, desc from pragma_index_xinfo(${indexName}) where key = 1`)
    ).map(
      (c) =>
        `${c.name === null ? '<expression>' : String(c.name)}${Number(c.desc) === 1 ? ' DESC' : ''}`,
    );
    const columnList = `(${keyColumns.join(', ')})`;
    if (index.origin === 'u') {
      constraints.push({ kind: 'unique', name: null, definition: columnList });
    } else if (index.origin === 'c') {
      indexes.push({
        name: indexName,
        isUnique: Number(index.unique) === 1,
        // A partial index's predicate is only in its CREATE text.
        definition: Number(index.partial) === 1 ? await indexSql(db, indexName) : columnList,
      });
    }
  }
  constraints.push(...(await foreignKeys(db, name)), ...checkConstraints(createSql));
  return {
    name,
    columns: columns.map((c) => ({
      name: String(c.name),
      type: normalise(text(c.type)).toUpperCase(),
      isNullable: Number(c.notnull) === 0,
      default: c.dflt_value === null ? null : normalise(text(c.dflt_value)),
    })),
    indexes,
    constraints,
  };
}

async function foreignKeys(db: AnyDb, table: string): Promise<ConstraintSnapshot[]> {
  const byId = new Map<number, Row[]>();
  for (const row of await rows(db, sql`select * from pragma_foreign_key_list(${table})`)) {
    const id = Number(row.id);
    byId.set(id, [...(byId.get(id) ?? []), row]);
  }
  return [...byId.values()].map((parts) => {
    parts.sort((a, b) => Number(a.seq) - Number(b.seq));
    const first = parts[0]!;
    const from = parts.map((p) => String(p.from)).join(', ');
    const to = parts.map((p) => (p.to === null ? '' : String(p.to))).join(', ');
    return {
      kind: 'foreign key',
      name: null,
      definition: `(${from}) REFERENCES ${String(first.table)}(${to}) ON UPDATE ${String(first.on_update)} ON DELETE ${String(first.on_delete)}`,
    };
  });
}

/** The CHECK constraints of a CREATE TABLE text, printed back by the parser. */
function checkConstraints(createSql: string): ConstraintSnapshot[] {
  const parser = grammarParser('sqlite');
  let ast: unknown;
  try {
    ast = parser.astify(createSql, { database: 'sqlite' });
  } catch {
    // Not readable by the parser: compare the whole text, so that no difference is missed.
    return [{ kind: 'check', name: null, definition: `table text ${normalise(createSql)}` }];
  }
  const node = (Array.isArray(ast) ? ast[0] : ast) as Row | undefined;
  const definitions = (node?.create_definitions ?? []) as Row[];
  const checks: ConstraintSnapshot[] = [];
  const print = (expression: unknown) =>
    parser.exprToSQL(expression as Parameters<typeof parser.exprToSQL>[0], { database: 'sqlite' });
  for (const definition of definitions) {
    const check = (definition.check ??
      (definition.constraint_type === 'check' ? definition : undefined)) as Row | undefined;
    const expression = (check?.definition as unknown[] | undefined)?.[0];
    if (expression !== undefined) {
      checks.push({ kind: 'check', name: null, definition: `CHECK (${print(expression)})` });
    }
  }
  return checks;
}

async function indexSql(db: AnyDb, name: string): Promise<string> {
  const [row] = await rows(
    db,
    sql`select sql from sqlite_master where type = 'index' and name = ${name}`,
  );
  return normalise(text(row?.sql));
}

async function rows(db: AnyDb, query: ReturnType<typeof sql<Row>>): Promise<Row[]> {
  return (await query.execute(db)).rows;
}

function text(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Runs of white space as one space: SQLite keeps CREATE texts as written. */
function normalise(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
