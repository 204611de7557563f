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
 * per column. Reported in table order, then views and triggers.
 */
export function diffSchemas(expected: SchemaSnapshot, actual: SchemaSnapshot): SchemaDifference {
  const missing: SchemaObject[] = [];
  const extra: SchemaObject[] = [];
  const different: { object: string; expected: string; actual: string }[] = [];
  const compare = (want: Map<string, Entry>, have: Map<string, Entry>) => {
    for (const [object, entry] of want) {
      const other = have.get(object);
      if (other === undefined) missing.push(toObject(object, entry));
      else if (other.definition !== entry.definition) {
        different.push({ object, expected: entry.definition, actual: other.definition });
      }
    }
    for (const [object, entry] of have) if (!want.has(object)) extra.push(toObject(object, entry));
  };
  const actualTables = new Map(actual.tables.map((t) => [t.name, t]));
  const expectedNames = new Set(expected.tables.map((t) => t.name));
  for (const table of expected.tables) {
    const other = actualTables.get(table.name);
    // A snapshot cache hands out the same object for an unchanged table: nothing to compare.
    if (other === table) continue;
    if (other === undefined) missing.push({ object: `table ${table.name}`, definition: '' });
    else compare(tableObjects(table), tableObjects(other));
  }
  for (const table of actual.tables) {
    if (!expectedNames.has(table.name))
      extra.push({ object: `table ${table.name}`, definition: '' });
  }
  compare(otherObjects(expected), otherObjects(actual));
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
  readonly definition: string;
}

function toObject(object: string, entry: Entry): SchemaObject {
  return { object, definition: entry.definition };
}

function otherObjects(snapshot: SchemaSnapshot): Map<string, Entry> {
  const objects = new Map<string, Entry>();
  for (const view of snapshot.views)
    objects.set(`view ${view.name}`, { definition: view.definition });
  for (const trigger of snapshot.triggers) {
    objects.set(`trigger ${trigger.table}.${trigger.name}`, { definition: trigger.definition });
  }
  return objects;
}

function tableObjects(table: TableSnapshot): Map<string, Entry> {
  const objects = new Map<string, Entry>();
  const at = (definition: string): Entry => ({ definition });
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
  return objects;
}
