// The tables' definitions as the converted revisions leave them, accumulated along the revision
// chain: what a SQLite rebuild (batch_alter_table) must write again, since the importer never
// sees the live database. Nothing is guessed: a table changed by SQL the importer does not read,
// by a directive it could not read, or after a revision it could not convert, is known only as
// unknown, with why.

import { DirectiveCall, sqlTextOf } from './directive-call.js';
import { NotConvertible } from './python-value.js';
import { nameOf, readColumn, strings, type ColumnSpec } from './render-column.js';
import type { RevisionAction } from './revision-action.js';
import {
  columnConstraints,
  readCreateTable,
  type TableConstraint,
  type TableDefinition,
} from './table-definition.js';

type Known = TableDefinition | { readonly unknown: string };

export class KnownTables {
  private constructor(
    private readonly tables: Map<string, Known>,
    /** Why no definition can be trusted any more (a revision before was not converted). */
    private uncertain: string | undefined,
  ) {}

  static empty(): KnownTables {
    return new KnownTables(new Map(), undefined);
  }

  /** What a revision starts from: its parents' tables together. */
  static merge(parents: readonly KnownTables[]): KnownTables {
    const merged = KnownTables.empty();
    for (const parent of parents) {
      merged.uncertain ??= parent.uncertain;
      for (const [name, known] of parent.tables) {
        const earlier = merged.tables.get(name);
        const isSame = earlier === undefined || sameDefinition(earlier, known);
        merged.tables.set(
          name,
          isSame ? known : { unknown: `the branches merged change ${name} differently` },
        );
      }
    }
    return merged;
  }

  copy(): KnownTables {
    return new KnownTables(new Map(this.tables), this.uncertain);
  }

  markUncertain(reason: string): void {
    this.uncertain ??= reason;
  }

  /** @throws NotConvertible (at `line`) saying why `table`'s definition is not known. */
  definition(table: string, line: number): TableDefinition {
    const known = this.tables.get(table);
    const why =
      this.uncertain ??
      (known === undefined
        ? `no converted revision before it creates ${table} with op.create_table (SQL the importer does not read, or a table made outside these revisions)`
        : 'unknown' in known
          ? known.unknown
          : undefined);
    if (why !== undefined || known === undefined || 'unknown' in known) {
      throw new NotConvertible(`the definition of ${table} is not known: ${why}`, line);
    }
    return known;
  }

  /** The other tables whose foreign keys reference `table`. */
  referencing(table: string): string[] {
    return [...this.tables.values()].flatMap((known) =>
      'unknown' in known || known.name === table
        ? []
        : known.constraints.some(
              (c) => c.kind === 'foreign-key' && c.foreignKey.referredTable === table,
            )
          ? [known.name]
          : [],
    );
  }

  /** Follows what `action` does to the tables; what it cannot read makes its table unknown. */
  apply(action: RevisionAction): void {
    if (action.kind === 'sql') {
      // DDL the importer does not parse: every known table it names may have changed.
      if (!/\b(create|alter|drop|rename)\s/i.test(action.sql)) return;
      const words = new Set(action.sql.toLowerCase().match(/[a-z_][a-z0-9_$]*/g) ?? []);
      for (const name of this.tables.keys()) {
        if (words.has(name.toLowerCase())) {
          this.tables.set(name, {
            unknown: `it is changed by SQL the importer does not read (line ${action.line})`,
          });
        }
      }
      return;
    }
    if (action.directive === 'bulk_insert') return;
    let table = action.batchTable;
    try {
      if (action.directive === 'create_table') {
        const definition = readCreateTable(action.call);
        this.tables.set(definition.name, definition);
        return;
      }
      const call = new DirectiveCall(
        action.directive,
        action.call,
        action.batchTable,
        'postgresql',
      );
      table = call.table;
      this.applyDirective(call);
    } catch (error) {
      if (!(error instanceof NotConvertible)) throw error;
      if (table !== undefined && table !== '') {
        this.tables.set(table, { unknown: `${error.reason} (line ${error.line})` });
      } else this.markUncertain(`op.${action.directive}() on line ${action.line} was not read`);
    }
  }

  private applyDirective(call: DirectiveCall): void {
    const { table, directive } = call;
    if (directive === 'drop_table') {
      this.tables.delete(table);
      return;
    }
    if (directive === 'drop_index') {
      const name = call.name(0, 'index_name', 'the index name', false);
      for (const [key, known] of this.tables) {
        if ('unknown' in known || !known.indexes.some((i) => i.name === name)) continue;
        this.tables.set(key, { ...known, indexes: known.indexes.filter((i) => i.name !== name) });
      }
      return;
    }
    const known = this.tables.get(table);
    if (known === undefined || 'unknown' in known) return;
    const changed = changeTable(known, call);
    if (directive === 'rename_table') {
      this.tables.delete(table);
      // SQLite (3.26+) points the foreign keys of other tables at the new name, as do the others.
      for (const [key, other] of this.tables) {
        if ('unknown' in other) continue;
        this.tables.set(key, {
          ...other,
          constraints: other.constraints.map((c) =>
            c.kind === 'foreign-key' && c.foreignKey.referredTable === table
              ? { ...c, foreignKey: { ...c.foreignKey, referredTable: changed.name } }
              : c,
          ),
        });
      }
    }
    this.tables.set(changed.name, changed);
  }
}

/** `table` after one directive on it. */
function changeTable(table: TableDefinition, call: DirectiveCall): TableDefinition {
  const { line } = call;
  const optionalName = () => call.argument(0, 'constraint_name', false);
  switch (call.directive) {
    case 'rename_table':
      return { ...table, name: call.name(1, 'new_table_name', 'the new table name') };
    case 'add_column': {
      const column = readColumn(call.argument(1, 'column') ?? { kind: 'none' }, line);
      const flags = columnConstraints(table.name, column);
      return {
        ...table,
        columns: [...table.columns, column],
        constraints: [...table.constraints, ...flags.constraints],
        indexes: [...table.indexes, ...flags.indexes],
      };
    }
    case 'drop_column':
      return withoutColumn(table, call.name(1, 'column_name', 'the column'));
    case 'alter_column':
      return alterColumn(table, call);
    case 'create_index': {
      const value = call.argument(2, 'columns');
      const items = value?.kind === 'list' ? value.items : value === undefined ? [] : [value];
      const columns = items.map((item) => {
        if (item.kind === 'str') return item.value;
        const sql = sqlTextOf(item);
        return sql === undefined
          ? call.fail('an index column the importer does not read')
          : { sql };
      });
      const unique = call.call.kwargs.get('unique');
      const index = {
        name: call.name(0, 'index_name', 'the index name', false),
        columns,
        isUnique: unique?.kind === 'bool' && unique.value,
      };
      return { ...table, indexes: [...table.indexes, index] };
    }
    case 'create_unique_constraint':
    case 'create_primary_key': {
      const columns = strings(call.argument(2, 'columns'), 'a constraint column', line);
      const name = nameOf(optionalName(), line);
      if (call.directive === 'create_primary_key') {
        return { ...table, primaryKey: columns, primaryKeyName: name };
      }
      return withConstraint(table, { kind: 'unique', name, columns });
    }
    case 'create_foreign_key':
      return withConstraint(table, {
        kind: 'foreign-key',
        foreignKey: {
          name: nameOf(optionalName(), line),
          columns: strings(call.argument(3, 'local_cols'), 'a local column', line),
          referredTable: call.name(2, 'referent_table', 'the referred table'),
          referredColumns: strings(call.argument(4, 'remote_cols'), 'a remote column', line),
          onDelete: call.optionalString('ondelete'),
          onUpdate: call.optionalString('onupdate'),
        },
      });
    case 'create_check_constraint': {
      const sql = sqlTextOf(call.argument(2, 'condition'));
      if (sql === undefined) return call.fail('a check condition the importer does not read');
      return withConstraint(table, {
        kind: 'check',
        name: nameOf(optionalName(), line),
        sql,
      });
    }
    case 'drop_constraint': {
      const name = call.name(0, 'constraint_name', 'the constraint name', false);
      if (call.optionalString('type_') === 'primary' || table.primaryKeyName === name) {
        return { ...table, primaryKey: [], primaryKeyName: undefined };
      }
      const kept = table.constraints.filter((c) => constraintName(c) !== name);
      if (kept.length === table.constraints.length) {
        call.fail(
          `drop_constraint of ${name}, a constraint of ${table.name} the importer does not know`,
        );
      }
      return { ...table, constraints: kept };
    }
    default:
      return call.fail(`op.${call.directive}() on ${table.name}`);
  }
}

function constraintName(constraint: TableConstraint): string | undefined {
  return constraint.kind === 'foreign-key' ? constraint.foreignKey.name : constraint.name;
}

function withConstraint(table: TableDefinition, constraint: TableConstraint): TableDefinition {
  return { ...table, constraints: [...table.constraints, constraint] };
}

function withoutColumn(table: TableDefinition, column: string): TableDefinition {
  const uses = (columns: readonly unknown[]) => columns.includes(column);
  return {
    ...table,
    columns: table.columns.filter((c) => c.name !== column),
    primaryKey: table.primaryKey.filter((c) => c !== column),
    constraints: table.constraints.filter((c) =>
      c.kind === 'check' ? true : !uses(c.kind === 'unique' ? c.columns : c.foreignKey.columns),
    ),
    indexes: table.indexes.filter((i) => !uses(i.columns)),
  };
}

/** alter_column's nullable, type_, server_default and new_column_name applied to the column. */
function alterColumn(table: TableDefinition, call: DirectiveCall): TableDefinition {
  const name = call.name(1, 'column_name', 'the column');
  const column = table.columns.find((c) => c.name === name);
  if (column === undefined)
    return call.fail(`alter_column of ${name}, not a column of ${table.name}`);
  const { kwargs } = call.call;
  const nullable = kwargs.get('nullable');
  const serverDefault = kwargs.get('server_default');
  const newName = call.optionalString('new_column_name') ?? name;
  const isNoDefault =
    serverDefault?.kind === 'none' || (serverDefault?.kind === 'bool' && !serverDefault.value);
  const altered: ColumnSpec = {
    ...column,
    name: newName,
    type: kwargs.get('type_') ?? column.type,
    nullable: nullable?.kind === 'bool' ? nullable.value : column.nullable,
    serverDefault:
      serverDefault === undefined ? column.serverDefault : isNoDefault ? undefined : serverDefault,
  };
  const rename = (c: string) => (c === name ? newName : c);
  return {
    ...table,
    columns: table.columns.map((c) => (c === column ? altered : c)),
    primaryKey: table.primaryKey.map(rename),
    constraints: table.constraints.map((c) =>
      c.kind === 'unique'
        ? { ...c, columns: c.columns.map(rename) }
        : c.kind === 'foreign-key'
          ? { ...c, foreignKey: { ...c.foreignKey, columns: c.foreignKey.columns.map(rename) } }
          : c,
    ),
    indexes: table.indexes.map((i) => ({
      ...i,
      columns: i.columns.map((c) => (typeof c === 'string' ? rename(c) : c)),
    })),
  };
}

/** Deep equality of two definitions (keyword arguments are Maps, which JSON would drop). */
function sameDefinition(a: Known, b: Known): boolean {
  const text = (value: Known) =>
    JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? [...v.entries()] : v));
  return text(a) === text(b);
}
