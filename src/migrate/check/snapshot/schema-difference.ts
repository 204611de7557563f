// The difference between two schema snapshots, object by object: what is missing from the
// actual schema, what it has in addition, and what differs. Pure.

import type { SchemaSnapshot, TableSnapshot } from './schema-snapshot.js';

/** One schema object, e.g. `column records.name`, and how it is defined. */
export interface SchemaObject {
  readonly object: string;
  readonly definition: string;
}

export interface SchemaDifference {
  /** In the expected schema, not in the actual one. */
  readonly missing: readonly SchemaObject[];
  /** In the actual schema, not in the expected one. */
  readonly extra: readonly SchemaObject[];
  readonly different: readonly {
    readonly object: string;
    readonly expected: string;
    readonly actual: string;
  }[];
}

/**
 * Compares `actual` with `expected`. A table missing (or extra) as a whole is one entry, not one
 * per column.
 */
export function diffSchemas(expected: SchemaSnapshot, actual: SchemaSnapshot): SchemaDifference {
  const want = objectsOf(expected);
  const have = objectsOf(actual);
  const missingTables = tablesOnlyIn(expected, actual);
  const extraTables = tablesOnlyIn(actual, expected);
  const missing: SchemaObject[] = [];
  const extra: SchemaObject[] = [];
  const different: { object: string; expected: string; actual: string }[] = [];
  for (const [object, entry] of want) {
    const other = have.get(object);
    if (other === undefined) {
      if (!missingTables.has(entry.table) || entry.isTable) missing.push(toObject(object, entry));
    } else if (other.definition !== entry.definition) {
      different.push({ object, expected: entry.definition, actual: other.definition });
    }
  }
  for (const [object, entry] of have) {
    if (want.has(object)) continue;
    if (!extraTables.has(entry.table) || entry.isTable) extra.push(toObject(object, entry));
  }
  return { missing, extra, different };
}

/** True when the two snapshots describe the same schema. */
export function isSameSchema(difference: SchemaDifference): boolean {
  return (
    difference.missing.length === 0 &&
    difference.extra.length === 0 &&
    difference.different.length === 0
  );
}

/** The difference as lines: `missing column t.c (TEXT NOT NULL)`, `different …: was … now …`. */
export function describeDifference(difference: SchemaDifference): string[] {
  const shown = (definition: string) => (definition === '' ? '' : ` (${definition})`);
  return [
    ...difference.missing.map((o) => `missing ${o.object}${shown(o.definition)}`),
    ...difference.extra.map((o) => `extra ${o.object}${shown(o.definition)}`),
    ...difference.different.map(
      (o) => `different ${o.object}: expected ${o.expected}, found ${o.actual}`,
    ),
  ];
}

interface Entry {
  readonly table: string;
  readonly isTable: boolean;
  readonly definition: string;
}

function toObject(object: string, entry: Entry): SchemaObject {
  return { object, definition: entry.definition };
}

function tablesOnlyIn(a: SchemaSnapshot, b: SchemaSnapshot): Set<string> {
  const inB = new Set(b.tables.map((t) => t.name));
  return new Set(a.tables.map((t) => t.name).filter((name) => !inB.has(name)));
}

function objectsOf(snapshot: SchemaSnapshot): Map<string, Entry> {
  const objects = new Map<string, Entry>();
  for (const table of snapshot.tables) addTable(objects, table);
  for (const view of snapshot.views) {
    objects.set(`view ${view.name}`, { table: '', isTable: false, definition: view.definition });
  }
  for (const trigger of snapshot.triggers) {
    objects.set(`trigger ${trigger.table}.${trigger.name}`, {
      table: trigger.table,
      isTable: false,
      definition: trigger.definition,
    });
  }
  return objects;
}

function addTable(objects: Map<string, Entry>, table: TableSnapshot): void {
  const at = (definition: string): Entry => ({ table: table.name, isTable: false, definition });
  objects.set(`table ${table.name}`, { table: table.name, isTable: true, definition: '' });
  for (const column of table.columns) {
    const nullability = column.isNullable ? 'NULL' : 'NOT NULL';
    const dflt = column.default === null ? '' : ` DEFAULT ${column.default}`;
    objects.set(`column ${table.name}.${column.name}`, at(`${column.type} ${nullability}${dflt}`));
  }
  for (const index of table.indexes) {
    const unique = index.isUnique ? 'UNIQUE ' : '';
    objects.set(`index ${table.name}.${index.name}`, at(`${unique}${index.definition}`));
  }
  for (const constraint of table.constraints) {
    // Unnamed constraints (SQLite) are known by their definition.
    const key = constraint.name ?? constraint.definition;
    objects.set(
      `${constraint.kind} ${table.name}.${key}`,
      at(constraint.name === null ? '' : constraint.definition),
    );
  }
}
