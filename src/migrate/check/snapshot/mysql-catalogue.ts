// MySQL's and MariaDB's schema read for the snapshot, from information_schema in the current
// database. Unique constraints are unique indexes there, so they appear once, as indexes. Names
// that qualify objects with the database's own name are stripped of it, so that the same schema
// in two databases (the live one and a scratch one) reads alike.

import { sql, type Kysely } from 'kysely';
import type { ConstraintSnapshot, IndexSnapshot, RawSchema } from './schema-snapshot.js';
import { groupBy } from './postgres-catalogue.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
// Catalogue values are plain scalars.
type Row = Record<string, string | number | boolean | null | undefined>;

export async function readMysqlSchema(db: AnyDb): Promise<RawSchema> {
  const query = async (q: ReturnType<typeof sql<Row>>) => (await q.execute(db)).rows;
  const [info] = await query(sql`select database() as name, version() as version`);
  const database = String(info?.name);
  const isMariaDb = String(info?.version).includes('MariaDB');
  const tableRows = await query(sql`select table_name as name from information_schema.tables
      where table_schema = database() and table_type = 'BASE TABLE'`);
  const columnRows = await query(sql`select table_name as table_name, column_name as name,
      column_type as type, is_nullable as nullable, column_default as dflt, extra as extra,
      generation_expression as generation
      from information_schema.columns where table_schema = database()`);
  const indexRows = await query(sql`select table_name as table_name, index_name as name,
      non_unique as non_unique, column_name as column_name, sub_part as sub_part,
      index_type as index_type, collation as collation
      from information_schema.statistics where table_schema = database()
      order by table_name, index_name, seq_in_index`);
  const foreignRows = await query(sql`select k.table_name as table_name,
      k.constraint_name as name, k.column_name as column_name,
      k.referenced_table_name as referenced_table, k.referenced_column_name as referenced_column,
      r.update_rule as update_rule, r.delete_rule as delete_rule
      from information_schema.key_column_usage k
      join information_schema.referential_constraints r
        on r.constraint_schema = k.constraint_schema and r.table_name = k.table_name
       and r.constraint_name = k.constraint_name
      where k.table_schema = database() order by k.table_name, k.constraint_name, k.ordinal_position`);
  // MariaDB names column-level CHECKs after the column, so its names are unique per table only
  // (and its check_constraints has a table_name); MySQL's are unique per database.
  const checkRows = await query(sql`select t.table_name as table_name,
      t.constraint_name as name, c.check_clause as clause
      from information_schema.table_constraints t
      join information_schema.check_constraints c
        on c.constraint_schema = t.constraint_schema and c.constraint_name = t.constraint_name
       ${isMariaDb ? sql`and c.table_name = t.table_name` : sql``}
      where t.table_schema = database() and t.constraint_type = 'CHECK'`);
  const viewRows = await query(sql`select table_name as name, view_definition as definition
      from information_schema.views where table_schema = database()`);
  const triggerRows = await query(sql`select trigger_name as name, event_object_table as table_name,
      action_timing as timing, event_manipulation as event, action_statement as body
      from information_schema.triggers where trigger_schema = database()`);
  const unqualified = (text: string) => text.split(`\`${database}\`.`).join('');
  const columns = groupBy(columnRows, (r) => {
    const extra = [String(r.extra ?? ''), r.generation ? `AS (${String(r.generation)})` : '']
      .filter((part) => part !== '')
      .join(' ');
    return {
      name: String(r.name),
      type: extra === '' ? String(r.type) : `${String(r.type)} ${extra}`,
      isNullable: r.nullable === 'YES',
      default: r.dflt === null || r.dflt === undefined ? null : String(r.dflt),
    };
  });
  const constraints = groupBy(
    [
      ...indexRows.filter((r) => r.name === 'PRIMARY'),
      ...foreignRows.map((r) => ({ ...r, kind: 'foreign key' })),
      ...checkRows.map((r) => ({ ...r, kind: 'check' })),
    ],
    (r) => r,
  );
  return {
    tables: tableRows.map((r) => {
      const name = String(r.name);
      return {
        name,
        columns: columns.get(name) ?? [],
        indexes: indexesOf(indexRows.filter((i) => i.table_name === name && i.name !== 'PRIMARY')),
        constraints: constraintsOf(constraints.get(name) ?? [], unqualified),
      };
    }),
    views: viewRows.map((r) => ({
      name: String(r.name),
      definition: unqualified(String(r.definition)),
    })),
    triggers: triggerRows.map((r) => ({
      name: String(r.name),
      table: String(r.table_name),
      definition: unqualified(`${String(r.timing)} ${String(r.event)} ${String(r.body)}`),
    })),
  };
}

/** One entry per index: its columns in order, with prefix lengths and descending keys. */
function indexesOf(rows: readonly Row[]): IndexSnapshot[] {
  const byName = new Map<string, Row[]>();
  for (const row of rows)
    byName.set(String(row.name), [...(byName.get(String(row.name)) ?? []), row]);
  return [...byName].map(([name, parts]) => ({
    name,
    isUnique: Number(parts[0]?.non_unique) === 0,
    definition: `${String(parts[0]?.index_type)} (${parts.map(keyPart).join(', ')})`,
  }));
}

function keyPart(row: Row): string {
  const column = row.column_name === null ? '<expression>' : String(row.column_name);
  const prefix = row.sub_part === null ? '' : `(${String(row.sub_part)})`;
  return `${column}${prefix}${row.collation === 'D' ? ' DESC' : ''}`;
}

/** Primary key (from its index rows), foreign keys and checks, grouped by constraint name. */
function constraintsOf(
  rows: readonly Row[],
  unqualified: (t: string) => string,
): ConstraintSnapshot[] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${String(row.kind ?? 'primary key')}\u0000${String(row.name)}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((parts): ConstraintSnapshot => {
    const first = parts[0]!;
    const name = String(first.name);
    const columns = parts.map((p) => String(p.column_name)).join(', ');
    if (first.kind === 'foreign key') {
      const to = parts.map((p) => String(p.referenced_column)).join(', ');
      return {
        kind: 'foreign key',
        name,
        definition: `(${columns}) REFERENCES ${String(first.referenced_table)}(${to}) ON UPDATE ${String(first.update_rule)} ON DELETE ${String(first.delete_rule)}`,
      };
    }
    if (first.kind === 'check') {
      return { kind: 'check', name, definition: `CHECK (${unqualified(String(first.clause))})` };
    }
    return { kind: 'primary key', name, definition: `(${columns})` };
  });
}
