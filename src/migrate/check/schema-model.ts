// Which tables and columns exist, per dialect, as the revisions so far left them: read from the
// statement facts of the whole chain in order. Pure; knows nothing of rules.

import type { ColumnType, StatementFact } from './statement-facts.js';

/** Tables → columns → type (undefined when the statement did not say). Mutable, one per dialect. */
export class SchemaModel {
  readonly #tables = new Map<string, Map<string, ColumnType | undefined>>();

  hasTable(table: string): boolean {
    return this.#tables.has(key(table));
  }

  columnType(table: string, column: string): ColumnType | undefined {
    return this.#tables.get(key(table))?.get(key(column));
  }

  /** Applies what one statement did. Unknown tables are created on first mention. */
  apply(fact: StatementFact): void {
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
      case 'other-ddl':
        return;
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
