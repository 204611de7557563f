// PostgreSQL's schema read for the snapshot, from pg_catalog in the current schema. Definitions
// are the server's own renderings (format_type, pg_get_expr, pg_get_indexdef…), which are
// canonical, so two equal schemas read alike.

import { sql, type Kysely } from 'kysely';
import type {
  ColumnSnapshot,
  ConstraintKind,
  ConstraintSnapshot,
  IndexSnapshot,
  RawSchema,
} from './schema-snapshot.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
// Catalogue values are plain scalars.
type Row = Record<string, string | number | boolean | null | undefined>;

const constraintKinds: Record<string, ConstraintKind> = {
  p: 'primary key',
  u: 'unique',
  f: 'foreign key',
  c: 'check',
};

export async function readPostgresSchema(db: AnyDb): Promise<RawSchema> {
  const query = async (q: ReturnType<typeof sql<Row>>) => (await q.execute(db)).rows;
  const [tableRows, columnRows, indexRows, constraintRows, viewRows, triggerRows] =
    await Promise.all([
      query(sql`select c.relname as name from pg_class c
              where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')`),
      query(sql`select c.relname as table_name, a.attname as name,
                     format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
                     pg_get_expr(d.adbin, d.adrelid) as dflt
              from pg_attribute a
              join pg_class c on c.oid = a.attrelid
              left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
              where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
                and a.attnum > 0 and not a.attisdropped`),
      query(sql`select t.relname as table_name, i.relname as name, x.indisunique as is_unique,
                     pg_get_indexdef(x.indexrelid) as definition
              from pg_index x
              join pg_class i on i.oid = x.indexrelid
              join pg_class t on t.oid = x.indrelid
              where t.relnamespace = current_schema()::regnamespace`),
      query(sql`select rel.relname as table_name, con.conname as name, con.contype as kind,
                     pg_get_constraintdef(con.oid) as definition
              from pg_constraint con join pg_class rel on rel.oid = con.conrelid
              where con.connamespace = current_schema()::regnamespace
                and con.contype in ('p', 'u', 'f', 'c')`),
      query(
        sql`select viewname as name, definition from pg_views where schemaname = current_schema()`,
      ),
      query(sql`select c.relname as table_name, t.tgname as name,
                     pg_get_triggerdef(t.oid) as definition
              from pg_trigger t join pg_class c on c.oid = t.tgrelid
              where c.relnamespace = current_schema()::regnamespace and not t.tgisinternal`),
    ]);
  const columns = groupBy(columnRows, (r): ColumnSnapshot => ({
    name: String(r.name),
    type: String(r.type),
    isNullable: r.not_null !== true,
    default: r.dflt === null ? null : String(r.dflt),
  }));
  const indexes = groupBy(indexRows, (r): IndexSnapshot => ({
    name: String(r.name),
    isUnique: r.is_unique === true,
    // The index name is the snapshot's key; the definition says what the index covers.
    definition: String(r.definition).replace(/^CREATE (UNIQUE )?INDEX \S+ ON /, ''),
  }));
  const constraints = groupBy(constraintRows, (r): ConstraintSnapshot => ({
    kind: constraintKinds[String(r.kind)] ?? 'check',
    name: String(r.name),
    definition: String(r.definition),
  }));
  return {
    tables: tableRows.map((r) => {
      const name = String(r.name);
      return {
        name,
        columns: columns.get(name) ?? [],
        indexes: indexes.get(name) ?? [],
        constraints: constraints.get(name) ?? [],
      };
    }),
    views: viewRows.map((r) => ({ name: String(r.name), definition: String(r.definition) })),
    triggers: triggerRows.map((r) => ({
      name: String(r.name),
      table: String(r.table_name),
      definition: String(r.definition),
    })),
  };
}

/** Rows grouped by their `table_name`, each turned into a snapshot entry. */
export function groupBy<T>(rows: readonly Row[], entry: (row: Row) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const table = String(row.table_name);
    const group = groups.get(table);
    if (group === undefined) groups.set(table, [entry(row)]);
    else group.push(entry(row));
  }
  return groups;
}
