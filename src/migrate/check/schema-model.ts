// Which tables and columns exist, per dialect, as the revisions so far left them: read from the
// statement facts of the whole chain in order. Pure; knows nothing of rules.

import type { ColumnType, StatementFact } from './statement-facts.js';

/** Tables → columns → type (undefined when the statement did not say). Mutable, one per dialect. */
export class SchemaModel {
  readonly #tables = new Map<string, Map<string, ColumnType | undefined>>();
  /** Table → columns named by a PRIMARY KEY, UNIQUE or FOREIGN KEY (what SQLite cannot drop). */
  readonly #keyColumns = new Map<string, Set<string>>();
  /** Index name (or `table#n` when unnamed) → its table and columns. */
  readonly #indexes = new Map<string, { table: string; columns: readonly string[] }>();
  /** Table → the tables its foreign keys reference. */
  readonly #references = new Map<string, Set<string>>();
  /** Table → columns its CHECK constraints, generated columns and partial indexes use. */
  readonly #expressionColumns = new Map<string, Set<string>>();
  /** View → the tables and columns it names. */
  readonly #views = new Map<string, { tables: readonly string[]; columns: readonly string[] }>();
  /** Dropped view → the tables it named, until a view of that name is created again. */
  readonly #droppedViews = new Map<string, readonly string[]>();
  /** Trigger → its table and the tables and columns it names. */
  readonly #triggers = new Map<
    string,
    { table: string; tables: readonly string[]; columns: readonly string[] }
  >();

  hasTable(table: string): boolean {
    return this.#tables.has(key(table));
  }

  columnType(table: string, column: string): ColumnType | undefined {
    return this.#tables.get(key(table))?.get(key(column));
  }

  /** Why SQLite could not drop the column (a key or an index uses it), or undefined. */
  columnInUse(table: string, column: string): string | undefined {
    if (this.#keyColumns.get(key(table))?.has(key(column))) {
      return 'it is part of a PRIMARY KEY, UNIQUE or FOREIGN KEY constraint';
    }
    for (const [name, index] of this.#indexes) {
      if (index.table === key(table) && index.columns.includes(key(column))) {
        return `index ${name.includes('#') ? 'on it' : name} uses it`;
      }
    }
    if (this.#expressionColumns.get(key(table))?.has(key(column))) {
      return 'a CHECK constraint, generated column or partial index uses it';
    }
    const names = (used: { tables: readonly string[]; columns: readonly string[] }) =>
      used.tables.includes(key(table)) &&
      (used.columns.includes(key(column)) || used.columns.includes('*'));
    for (const [name, view] of this.#views) if (names(view)) return `view ${name} uses it`;
    for (const [name, trigger] of this.#triggers) {
      if (names(trigger)) return `trigger ${name} uses it`;
    }
    return undefined;
  }

  /** The views that named the table when they were dropped, and were not created again. */
  viewsDroppedNaming(table: string): string[] {
    return [...this.#droppedViews].filter(([, t]) => t.includes(key(table))).map(([name]) => name);
  }

  /** The views that name the table. */
  viewsNaming(table: string): string[] {
    return [...this.#views].filter(([, v]) => v.tables.includes(key(table))).map(([name]) => name);
  }

  /** The triggers on the table (SQLite drops them with it). */
  triggersOn(table: string): string[] {
    return [...this.#triggers].filter(([, t]) => t.table === key(table)).map(([name]) => name);
  }

  /** The indexes on the table, by name (`table#n` when created without one). */
  indexesOn(table: string): { name: string; columns: readonly string[] }[] {
    return [...this.#indexes]
      .filter(([, index]) => index.table === key(table))
      .map(([name, index]) => ({ name, columns: index.columns }));
  }

  /** The other tables with a foreign key to the table. */
  referencingTables(table: string): string[] {
    return [...this.#references]
      .filter(([from, to]) => from !== key(table) && to.has(key(table)))
      .map(([from]) => from);
  }

  /** Applies what one statement did. Unknown tables are created on first mention. */
  apply(fact: StatementFact): void {
    this.#applyKeys(fact);
    this.#applyReferences(fact);
    this.#applyViewsAndTriggers(fact);
    switch (fact.kind) {
      case 'create-table':
        this.#tables.set(
          key(fact.table),
          new Map(fact.columns.map((c) => [key(c.name), c.type] as const)),
        );
        return;
      case 'drop-table':
        this.#tables.delete(key(fact.table));
        return;
      case 'rename-table': {
        const columns =
          this.#tables.get(key(fact.table)) ?? new Map<string, ColumnType | undefined>();
        this.#tables.delete(key(fact.table));
        this.#tables.set(key(fact.to), columns);
        return;
      }
      case 'add-column':
        this.#columns(fact.table).set(key(fact.column.name), fact.column.type);
        return;
      case 'drop-column':
        this.#columns(fact.table).delete(key(fact.column));
        return;
      case 'rename-column': {
        const columns = this.#columns(fact.table);
        columns.set(key(fact.to), columns.get(key(fact.column)));
        columns.delete(key(fact.column));
        return;
      }
      case 'change-type':
        this.#columns(fact.table).set(key(fact.column), fact.to);
        return;
      case 'set-not-null':
      case 'add-constraint':
      case 'create-index':
      case 'drop-index':
      case 'write-rows':
      case 'exclusive-lock':
      case 'alter-options':
      case 'one-server-syntax':
      case 'drop-primary-key':
      case 'pragma':
      case 'transaction-control':
      case 'create-view':
      case 'drop-view':
      case 'create-trigger':
      case 'drop-trigger':
      case 'other-ddl':
        return;
    }
  }

  #applyViewsAndTriggers(fact: StatementFact): void {
    const lower = (names: readonly string[]) => names.map(key);
    if (fact.kind === 'create-view') {
      this.#views.set(key(fact.view), { tables: lower(fact.tables), columns: lower(fact.columns) });
      this.#droppedViews.delete(key(fact.view));
    } else if (fact.kind === 'drop-view') {
      const dropped = this.#views.get(key(fact.view));
      if (dropped !== undefined) this.#droppedViews.set(key(fact.view), dropped.tables);
      this.#views.delete(key(fact.view));
    } else if (fact.kind === 'create-trigger') {
      const { table, tables, columns } = fact;
      this.#triggers.set(key(fact.trigger), {
        table: key(table),
        tables: lower(tables),
        columns: lower(columns),
      });
    } else if (fact.kind === 'drop-trigger') {
      this.#triggers.delete(key(fact.trigger));
    } else if (fact.kind === 'drop-table') {
      for (const [name, trigger] of this.#triggers) {
        if (trigger.table === key(fact.table)) this.#triggers.delete(name);
      }
    } else if (fact.kind === 'rename-table') {
      // SQLite 3.26+ follows a rename in the triggers and views that name the table.
      const rename = (name: string) => (name === key(fact.table) ? key(fact.to) : name);
      for (const [name, trigger] of this.#triggers) {
        this.#triggers.set(name, {
          ...trigger,
          table: rename(trigger.table),
          tables: trigger.tables.map(rename),
        });
      }
      for (const [name, view] of this.#views) {
        this.#views.set(name, { ...view, tables: view.tables.map(rename) });
      }
      const columns = this.#expressionColumns.get(key(fact.table));
      this.#expressionColumns.delete(key(fact.table));
      if (columns !== undefined) this.#expressionColumns.set(key(fact.to), columns);
    } else if (fact.kind === 'create-table') {
      this.#expressionColumns.set(key(fact.table), new Set(lower(fact.expressionColumns ?? [])));
    } else if (fact.kind === 'create-index' && (fact.whereColumns ?? []).length > 0) {
      const columns = this.#expressionColumns.get(key(fact.table)) ?? new Set<string>();
      for (const column of fact.whereColumns ?? []) columns.add(key(column));
      this.#expressionColumns.set(key(fact.table), columns);
    }
  }

  #applyReferences(fact: StatementFact): void {
    if (fact.kind === 'create-table') {
      const columnReferences = fact.columns.flatMap((c) => c.references ?? []);
      const tables = [...columnReferences, ...(fact.referencedTables ?? [])].map(key);
      this.#references.set(key(fact.table), new Set(tables));
    } else if (fact.kind === 'add-column' && fact.column.references !== undefined) {
      this.#references.get(key(fact.table))?.add(key(fact.column.references));
    } else if (fact.kind === 'drop-table') {
      this.#references.delete(key(fact.table));
    } else if (fact.kind === 'rename-table') {
      const references = this.#references.get(key(fact.table));
      this.#references.delete(key(fact.table));
      if (references !== undefined) this.#references.set(key(fact.to), references);
    }
  }

  #applyKeys(fact: StatementFact): void {
    if (fact.kind === 'create-table') {
      const keyed = fact.columns.filter((c) => c.isPrimaryKey || c.isUnique || c.isForeignKey);
      const names = [...keyed.map((c) => c.name), ...fact.keyColumns].map(key);
      this.#keyColumns.set(key(fact.table), new Set(names));
    } else if (fact.kind === 'add-column') {
      const { column } = fact;
      if (column.isPrimaryKey || column.isUnique || column.isForeignKey) {
        this.#keyColumns.get(key(fact.table))?.add(key(column.name));
      }
    } else if (fact.kind === 'create-index') {
      const name = fact.index ?? `${fact.table}#${this.#indexes.size}`;
      const columns = [...fact.columns, ...(fact.expressionColumns ?? [])].map(key);
      this.#indexes.set(key(name), { table: key(fact.table), columns });
    } else if (fact.kind === 'drop-index') {
      this.#indexes.delete(key(fact.index));
    } else if (fact.kind === 'drop-table' || fact.kind === 'rename-table') {
      const keys = this.#keyColumns.get(key(fact.table));
      this.#keyColumns.delete(key(fact.table));
      if (fact.kind === 'rename-table' && keys !== undefined)
        this.#keyColumns.set(key(fact.to), keys);
      for (const [name, index] of this.#indexes) {
        if (index.table !== key(fact.table)) continue;
        if (fact.kind === 'drop-table') this.#indexes.delete(name);
        else this.#indexes.set(name, { ...index, table: key(fact.to) });
      }
    }
  }

  #columns(table: string): Map<string, ColumnType | undefined> {
    let columns = this.#tables.get(key(table));
    if (columns === undefined) {
      columns = new Map();
      this.#tables.set(key(table), columns);
    }
    return columns;
  }
}

/** Names compare case-insensitively: PostgreSQL folds unquoted names, MySQL and SQLite ignore case. */
function key(name: string): string {
  return name.toLowerCase();
}
