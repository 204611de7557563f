// What a statement does, in words common to every dialect: the parsers' trees (libpg-query,
// node-sql-parser) are turned into these facts, and most rules read only the facts.

/** A column type as written, lower-cased, without its length: `varchar`, `integer`, `text`. */
export interface ColumnType {
  readonly name: string;
  /** The length or precision arguments, e.g. [255] for varchar(255); [] when none. */
  readonly args: readonly number[];
}

export interface AddedColumn {
  readonly name: string;
  readonly type: ColumnType | undefined;
  readonly isNotNull: boolean;
  readonly isPrimaryKey: boolean;
  readonly isUnique: boolean;
  /** 'none', a literal constant, an expression that is not volatile, or a volatile one. */
  readonly defaultKind: 'none' | 'constant' | 'expression' | 'volatile';
  /** Set when the column references another table (`REFERENCES t(id)`). */
  readonly isForeignKey: boolean;
  /** The table it references, when it is a foreign key. */
  readonly references?: string | undefined;
  /** MySQL AUTO_INCREMENT (an added one makes InnoDB copy the table). */
  readonly isAutoIncrement?: boolean;
  /** A STORED generated column (MySQL computes it for every row, with a table copy). */
  readonly isStoredGenerated?: boolean;
}

export type ConstraintKind = 'foreign-key' | 'check' | 'unique' | 'primary-key' | 'other';

export type StatementFact =
  | {
      readonly kind: 'create-table';
      readonly table: string;
      readonly columns: readonly AddedColumn[];
      /** Columns named by table constraints: PRIMARY KEY (…), UNIQUE (…), FOREIGN KEY (…). */
      readonly keyColumns: readonly string[];
      /** Tables its foreign keys reference (column and table constraints). */
      readonly referencedTables?: readonly string[];
      /** Columns used by its CHECK constraints and generated-column expressions. */
      readonly expressionColumns?: readonly string[];
    }
  | { readonly kind: 'drop-table'; readonly table: string }
  | { readonly kind: 'rename-table'; readonly table: string; readonly to: string }
  | { readonly kind: 'add-column'; readonly table: string; readonly column: AddedColumn }
  | { readonly kind: 'drop-column'; readonly table: string; readonly column: string }
  | {
      readonly kind: 'rename-column';
      readonly table: string;
      readonly column: string;
      readonly to: string;
    }
  | {
      readonly kind: 'change-type';
      readonly table: string;
      readonly column: string;
      readonly to: ColumnType | undefined;
    }
  | { readonly kind: 'set-not-null'; readonly table: string; readonly column: string }
  | {
      readonly kind: 'add-constraint';
      readonly table: string;
      readonly constraint: ConstraintKind;
      /** PostgreSQL `NOT VALID`. */
      readonly isNotValid: boolean;
      /** PostgreSQL `ADD CONSTRAINT … USING INDEX`: the index already exists. */
      readonly usesIndex: boolean;
    }
  | {
      readonly kind: 'create-index';
      /** The index name; undefined when the statement gives none. */
      readonly index: string | undefined;
      readonly table: string;
      readonly isConcurrent: boolean;
      readonly isUnique: boolean;
      /** The indexed columns (expressions left out). */
      readonly columns: readonly string[];
      /** Columns the index's expressions name (`lower(a)`: a). */
      readonly expressionColumns?: readonly string[];
      /** MySQL FULLTEXT or SPATIAL: built under a shared lock, not online. */
      readonly method?: 'fulltext' | 'spatial' | undefined;
      /** Columns of a partial index's WHERE. */
      readonly whereColumns?: readonly string[];
    }
  | {
      readonly kind: 'drop-index';
      readonly index: string;
      /** MySQL names the table (`DROP INDEX i ON t`); PostgreSQL and SQLite do not. */
      readonly table: string | undefined;
      readonly isConcurrent: boolean;
    }
  /** UPDATE, DELETE or INSERT … SELECT: rows written by the revision (a backfill). */
  | {
      readonly kind: 'write-rows';
      readonly table: string;
      /** Tables an INSERT … SELECT reads from (a table rebuild copies its rows this way). */
      readonly sources?: readonly string[];
    }
  /** A statement that takes a lock stronger than its work needs: LOCK TABLE, VACUUM FULL… */
  | { readonly kind: 'exclusive-lock'; readonly what: string; readonly table: string | undefined }
  /** MySQL ALTER TABLE's ALGORITHM= and LOCK= clauses. */
  | {
      readonly kind: 'alter-options';
      readonly table: string;
      readonly algorithm: string | undefined;
      readonly lock: string | undefined;
    }
  /** Syntax that only one of MySQL and MariaDB accepts. */
  | {
      readonly kind: 'one-server-syntax';
      readonly only: 'mysql' | 'mariadb';
      readonly what: string;
      readonly instead: string;
    }
  /** MySQL ALTER TABLE … DROP PRIMARY KEY (without adding another in the same statement). */
  | { readonly kind: 'drop-primary-key'; readonly table: string }
  /** A view, with the tables and columns it names (`*` for every column). */
  | {
      readonly kind: 'create-view';
      readonly view: string;
      readonly tables: readonly string[];
      readonly columns: readonly string[];
    }
  | { readonly kind: 'drop-view'; readonly view: string }
  /** A trigger on `table`, with the tables and columns its body and WHEN name. */
  | {
      readonly kind: 'create-trigger';
      readonly trigger: string;
      readonly table: string;
      readonly tables: readonly string[];
      readonly columns: readonly string[];
    }
  | { readonly kind: 'drop-trigger'; readonly trigger: string }
  /** SQLite PRAGMA name [= value]. */
  | { readonly kind: 'pragma'; readonly name: string; readonly value: string | undefined }
  /** BEGIN, COMMIT (or END) and ROLLBACK, as a `-- migrate:no-transaction` revision writes them. */
  | { readonly kind: 'transaction-control'; readonly action: 'begin' | 'commit' | 'rollback' }
  /** Any other schema change (CREATE VIEW, ALTER … SET DEFAULT, COMMENT…). */
  | { readonly kind: 'other-ddl' };

/** True when the fact changes the schema (as opposed to writing rows). */
export function isDdl(fact: StatementFact): boolean {
  return fact.kind !== 'write-rows' && fact.kind !== 'pragma';
}

/** `varchar(255)`, `text`, `numeric(10,2)`. */
export function formatColumnType(type: ColumnType): string {
  return type.args.length === 0 ? type.name : `${type.name}(${type.args.join(',')})`;
}
