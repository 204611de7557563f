// MySQL/MariaDB and SQLite statements read with node-sql-parser and turned into statement facts.
// No database. MySQL statements the MySQL grammar refuses are tried with the MariaDB grammar.
import { grammarParser, type Grammar } from './sql-parser-grammars.js';
import { readSqliteRegularStatement } from './sqlite-regular-statements.js';
import { columnsIn, field, list, tableName, tablesIn, text, type Node } from './sql-parser-tree.js';
import type { AddedColumn, ColumnType, ConstraintKind, StatementFact } from '../statement-facts.js';

/**
 * The facts of one MySQL/MariaDB (`mysql`) or SQLite (`sqlite`) statement, or why it could not
 * be read.
 */
export function readSqlParserFacts(
  statement: string,
  dialect: 'mysql' | 'sqlite',
): StatementFact[] | string {
  if (dialect === 'sqlite') {
    const regular = readSqliteRegularStatement(statement);
    if (regular !== undefined) return [regular];
  }
  const grammars: Grammar[] = dialect === 'mysql' ? ['mysql', 'mariadb'] : ['sqlite'];
  let problem = '';
  for (const database of grammars) {
    try {
      const ast = grammarParser(database).astify(statement, { database }) as unknown;
      return (Array.isArray(ast) ? ast : [ast]).flatMap((node) => factsOf(node as Node));
    } catch (error) {
      problem ||= error instanceof Error ? error.message : String(error);
    }
  }
  return (dialect === 'sqlite' && readSqliteDropIndex(statement)) || problem;
}

/**
 * SQLite's `DROP INDEX [IF EXISTS] [schema.]name`, which node-sql-parser's SQLite grammar refuses
 * (it wants MySQL's `… ON table`): read with its PostgreSQL grammar, whose DROP INDEX is the
 * same, and taken only when that is what the statement is.
 */
function readSqliteDropIndex(statement: string): StatementFact[] | undefined {
  try {
    const ast = grammarParser('postgresql').astify(statement, { database: 'postgresql' });
    const node = field(Array.isArray(ast) && ast.length === 1 ? ast[0] : ast);
    if (node.type !== 'drop' || node.keyword !== 'index') return undefined;
    const index = text(field(field(field(node.name).column).expr).value);
    return index === ''
      ? undefined
      : [{ kind: 'drop-index', index, table: undefined, isConcurrent: false }];
  } catch {
    return undefined;
  }
}

function factsOf(ast: Node): StatementFact[] {
  switch (ast.type) {
    case 'create':
      return createFacts(ast);
    case 'drop':
      return dropFacts(ast);
    case 'rename':
      return (list(ast.table) as Node[][]).map(([from, to]) => ({
        kind: 'rename-table',
        table: tableName(from),
        to: tableName(to),
      }));
    case 'alter':
      return alterFacts(tableName(list(ast.table)[0]), list(ast.expr) as Node[]);
    case 'update':
    case 'delete':
      return (list(ast.table) as Node[]).map((t) => ({ kind: 'write-rows', table: tableName(t) }));
    case 'insert':
    case 'replace': {
      const select = field(ast.values);
      if (select.type !== 'select') return [];
      const sources = (list(select.from) as Node[]).map(tableName).filter(Boolean);
      return [{ kind: 'write-rows', table: tableName(list(ast.table)[0]), sources }];
    }
    case 'select':
    case 'set':
    case 'use':
    case 'transaction':
      return [];
    default:
      return [{ kind: 'other-ddl' }];
  }
}

function createFacts(ast: Node): StatementFact[] {
  if (ast.keyword === 'table') {
    const columns = (list(ast.create_definitions) as Node[])
      .filter((d) => d.resource === 'column')
      .map(columnOf);
    const keyColumns = (list(ast.create_definitions) as Node[])
      .filter((d) => d.resource === 'constraint')
      .flatMap((d) => (list(d.definition) as Node[]).map((c) => text(c.column)));
    const referencedTables = (list(ast.create_definitions) as Node[])
      .filter((d) => d.resource === 'constraint')
      .flatMap((d) => referencedTable(d.reference_definition) ?? []);
    const table = tableName(list(ast.table)[0]);
    // CHECK constraints (column and table) and generated-column expressions.
    const expressionColumns = (list(ast.create_definitions) as Node[]).flatMap((d) => [
      ...columnsIn(d.check),
      ...columnsIn(field(d.generated).expr),
      ...(d.constraint_type === 'check' ? columnsIn(d.definition) : []),
    ]);
    return [
      { kind: 'create-table', table, columns, keyColumns, referencedTables, expressionColumns },
    ];
  }
  if (ast.keyword === 'view') {
    const select = field(ast.select);
    return [
      {
        kind: 'create-view',
        view: text(field(ast.view).view) || tableName(ast.view),
        tables: tablesIn(select),
        columns: columnsIn(select),
      },
    ];
  }
  if (ast.trigger !== undefined) {
    return [
      {
        kind: 'create-trigger',
        trigger: tableName(ast.trigger),
        table: tableName(ast.table),
        tables: [tableName(ast.table), ...tablesIn(ast.execute)],
        columns: [...columnsIn(ast.events), ...columnsIn(ast.when), ...columnsIn(ast.execute)],
      },
    ];
  }
  if (ast.keyword === 'index') {
    return [
      {
        kind: 'create-index',
        // A string in the MySQL grammar, { schema, name } in the SQLite one.
        index: text(ast.index) || text(field(ast.index).name) || undefined,
        table: tableName(ast.table),
        isConcurrent: false,
        isUnique: text(ast.index_type).toLowerCase() === 'unique',
        columns: (list(ast.index_columns) as Node[]).map((c) => text(c.column)).filter(Boolean),
        expressionColumns: columnsIn(
          list(ast.index_columns).filter((c) => field(c).type !== 'column_ref'),
        ),
        method: indexMethod(ast.index_type),
        whereColumns: columnsIn(ast.where),
      },
      ...indexOptions(tableName(ast.table), ast),
    ];
  }
  return [{ kind: 'other-ddl' }];
}

function dropFacts(ast: Node): StatementFact[] {
  if (ast.keyword === 'table') {
    return (list(ast.name) as Node[]).map((t) => ({ kind: 'drop-table', table: tableName(t) }));
  }
  if (ast.keyword === 'view') {
    return (list(ast.name) as Node[]).map((v) => ({ kind: 'drop-view', view: tableName(v) }));
  }
  if (ast.keyword === 'index') {
    const name = field(ast.name);
    return [
      {
        kind: 'drop-index',
        index: text(name.column) || text(ast.name),
        table: ast.table === undefined || ast.table === null ? undefined : tableName(ast.table),
        isConcurrent: false,
      },
    ];
  }
  return [{ kind: 'other-ddl' }];
}

function alterFacts(table: string, actions: readonly Node[]): StatementFact[] {
  const algorithm = actions.find((a) => a.resource === 'algorithm')?.algorithm;
  const lock = actions.find((a) => a.resource === 'lock')?.lock;
  const facts: StatementFact[] = actions
    .filter((a) => a.resource !== 'algorithm' && a.resource !== 'lock')
    .map((action) => alterFact(table, action));
  if (algorithm !== undefined || lock !== undefined) {
    facts.push({
      kind: 'alter-options',
      table,
      algorithm: algorithm === undefined ? undefined : text(algorithm).toUpperCase(),
      lock: lock === undefined ? undefined : text(lock).toUpperCase(),
    });
  }
  return facts;
}

function alterFact(table: string, action: Node): StatementFact {
  const resource = action.resource;
  const column = text(field(action.column).column);
  switch (action.action) {
    case 'add':
      if (resource === 'column' && action.if_not_exists) {
        return {
          kind: 'one-server-syntax',
          only: 'mariadb',
          what: 'ADD COLUMN IF NOT EXISTS',
          instead: `ALTER TABLE ${table} ADD COLUMN ${column} … (without IF NOT EXISTS; the revision graph already says whether it exists)`,
        };
      }
      if (resource === 'column') return { kind: 'add-column', table, column: columnOf(action) };
      if (resource === 'constraint')
        return addConstraintFact(table, field(action.create_definitions));
      if (resource === 'index' || resource === 'key') {
        return {
          kind: 'create-index',
          index: text(action.index) || undefined,
          table,
          isConcurrent: false,
          isUnique: false,
          columns: (list(action.definition) as Node[]).map((c) => text(c.column)),
          method: indexMethod(text(action.keyword).split(' ')[0]),
        };
      }
      return { kind: 'other-ddl' };
    case 'drop':
      if (resource === 'column') return { kind: 'drop-column', table, column };
      if (resource === 'key' && action.keyword === 'primary key') {
        return { kind: 'drop-primary-key', table };
      }
      if (resource === 'constraint' && action.keyword === 'check') {
        return {
          kind: 'one-server-syntax',
          only: 'mysql',
          what: 'DROP CHECK',
          instead: `ALTER TABLE ${table} DROP CONSTRAINT ${text(action.constraint)} (MySQL 8.0.19+ and MariaDB)`,
        };
      }
      return { kind: 'other-ddl' };
    case 'rename':
      if (resource === 'table') return { kind: 'rename-table', table, to: text(action.table) };
      if (resource === 'column') {
        return {
          kind: 'rename-column',
          table,
          column: text(field(action.old_column).column),
          to: column,
        };
      }
      return { kind: 'other-ddl' };
    case 'change':
    case 'modify':
      return changeFact(table, action);
    default:
      return { kind: 'other-ddl' };
  }
}

/** MODIFY keeps the name; CHANGE old new renames too, which counts as a rename when it does. */
function changeFact(table: string, action: Node): StatementFact {
  const to = text(field(action.column).column);
  const from = action.action === 'change' ? text(field(action.old_column).column) : to;
  if (from !== to) return { kind: 'rename-column', table, column: from, to };
  return { kind: 'change-type', table, column: to, to: typeOf(field(action.definition)) };
}

function addConstraintFact(table: string, definition: Node): StatementFact {
  const type = text(definition.constraint_type).toLowerCase();
  const kinds: Record<string, ConstraintKind> = {
    'foreign key': 'foreign-key',
    check: 'check',
    unique: 'unique',
    'unique key': 'unique',
    'unique index': 'unique',
    'primary key': 'primary-key',
  };
  return {
    kind: 'add-constraint',
    table,
    constraint: kinds[type] ?? 'other',
    isNotValid: false,
    usesIndex: false,
  };
}

function columnOf(definition: Node): AddedColumn {
  const nullable = field(definition.nullable).type;
  const isPrimaryKey = definition.primary_key !== undefined && definition.primary_key !== null;
  const defaultValue = field(definition.default_val).value;
  return {
    name: text(field(definition.column).column),
    type: typeOf(field(definition.definition)),
    isNotNull: nullable === 'not null' || isPrimaryKey,
    isPrimaryKey,
    isUnique: definition.unique !== undefined && definition.unique !== null,
    defaultKind: defaultKindOf(defaultValue),
    isForeignKey:
      definition.reference_definition !== undefined && definition.reference_definition !== null,
    references: referencedTable(definition.reference_definition),
    isAutoIncrement: definition.auto_increment !== undefined && definition.auto_increment !== null,
    isStoredGenerated: text(field(definition.generated).storage_type).toLowerCase() === 'stored',
  };
}

/** MySQL's CREATE INDEX … ALGORITHM= LOCK=, as the alter-options ALTER TABLE gives. */
function indexOptions(table: string, ast: Node): StatementFact[] {
  const algorithm = field(ast.algorithm_option).algorithm;
  const lock = field(ast.lock_option).lock;
  if (algorithm === undefined && lock === undefined) return [];
  return [
    {
      kind: 'alter-options',
      table,
      algorithm: algorithm === undefined ? undefined : text(algorithm).toUpperCase(),
      lock: lock === undefined ? undefined : text(lock).toUpperCase(),
    },
  ];
}

function referencedTable(reference: unknown): string | undefined {
  const table = tableName(list(field(reference).table)[0]);
  return table === '' ? undefined : table;
}

function indexMethod(type: unknown): 'fulltext' | 'spatial' | undefined {
  const name = text(type).toLowerCase();
  return name === 'fulltext' || name === 'spatial' ? name : undefined;
}

const constantTypes = new Set([
  'number',
  'string',
  'single_quote_string',
  'double_quote_string',
  'bool',
  'null',
]);

function defaultKindOf(value: unknown): AddedColumn['defaultKind'] {
  if (value === undefined || value === null) return 'none';
  const node = field(value);
  if (constantTypes.has(text(node.type))) return 'constant';
  if (node.type === 'unary_expr' && constantTypes.has(text(field(node.expr).type)))
    return 'constant';
  return 'expression';
}

function typeOf(definition: Node): ColumnType | undefined {
  if (typeof definition.dataType !== 'string') return undefined;
  const args = [definition.length, definition.scale].filter(
    (n): n is number => typeof n === 'number',
  );
  return { name: definition.dataType.toLowerCase(), args };
}
