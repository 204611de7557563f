// PostgreSQL statements read with libpg-query (PostgreSQL's own parser, compiled to WASM) and
// turned into statement facts. No database; the WASM module is loaded once, on first use.

import { loadModule, parseSync } from 'libpg-query';
import type { AddedColumn, ColumnType, ConstraintKind, StatementFact } from '../statement-facts.js';

/** Node trees of libpg-query are `{ NodeType: { …fields } }`; read them loosely. */
type Node = Record<string, unknown>;

let loaded: Promise<void> | undefined;

/** Loads the WASM parser; call (and await) before {@link readPostgresFacts}. */
export function loadPostgresParser(): Promise<void> {
  return (loaded ??= loadModule());
}

/**
 * The facts of one PostgreSQL statement, or a string saying why it could not be read.
 * @example readPostgresFacts('CREATE INDEX i ON t (a)') // → [{ kind: 'create-index', … }]
 */
export function readPostgresFacts(statement: string): StatementFact[] | string {
  let tree: { stmts?: { stmt?: Node }[] };
  try {
    tree = parseSync(statement);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return (tree.stmts ?? []).flatMap((entry) => factsOf(entry.stmt ?? {}));
}

function factsOf(stmt: Node): StatementFact[] {
  const [type, body] = (Object.entries(stmt)[0] ?? ['', {}]) as [string, Node];
  switch (type) {
    case 'CreateStmt':
      return [
        {
          kind: 'create-table',
          table: relation(body.relation),
          columns: columnsOf(body),
          keyColumns: keyColumnsOf(body),
          referencedTables: (list(body.tableElts) as Node[])
            .map((element) => field(element, 'Constraint'))
            .filter((c) => c.contype === 'CONSTR_FOREIGN')
            .flatMap((c) => optionalRelation(c.pktable) ?? []),
        },
      ];
    case 'DropStmt':
      return dropFacts(body);
    case 'RenameStmt':
      return renameFacts(body);
    case 'AlterTableStmt':
      return (list(body.cmds) as Node[]).map((cmd) =>
        alterFact(relation(body.relation), field(cmd, 'AlterTableCmd')),
      );
    case 'IndexStmt':
      return [
        {
          kind: 'create-index',
          index: typeof body.idxname === 'string' ? body.idxname : undefined,
          table: relation(body.relation),
          isConcurrent: body.concurrent === true,
          isUnique: body.unique === true,
          columns: (list(body.indexParams) as Node[])
            .map((p) => text(field(p, 'IndexElem').name))
            .filter(Boolean),
          expressionColumns: columnRefsIn(
            (list(body.indexParams) as Node[]).map((p) => field(p, 'IndexElem').expr),
          ),
        },
      ];
    case 'UpdateStmt':
    case 'DeleteStmt':
      return [{ kind: 'write-rows', table: relation(body.relation) }];
    case 'InsertStmt':
      if (!isInsertSelect(body)) return [];
      return [
        {
          kind: 'write-rows',
          table: relation(body.relation),
          sources: (list(field(body.selectStmt, 'SelectStmt').fromClause) as Node[]).flatMap(
            (from) => optionalRelation(from) ?? [],
          ),
        },
      ];
    case 'LockStmt':
      return [
        { kind: 'exclusive-lock', what: 'LOCK TABLE', table: relation(firstOf(body.relations)) },
      ];
    case 'VacuumStmt':
      return vacuumFacts(body);
    case 'ClusterStmt':
      return [{ kind: 'exclusive-lock', what: 'CLUSTER', table: optionalRelation(body.relation) }];
    case 'ReindexStmt':
      return hasOption(body.params, 'concurrently')
        ? []
        : [{ kind: 'exclusive-lock', what: 'REINDEX', table: optionalRelation(body.relation) }];
    case 'SelectStmt':
    case 'TransactionStmt':
    case 'VariableSetStmt':
      return [];
    default:
      return [{ kind: 'other-ddl' }];
  }
}

function alterFact(table: string, cmd: Node): StatementFact {
  const name = typeof cmd.name === 'string' ? cmd.name : '';
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return { kind: 'add-column', table, column: columnOf(field(cmd.def, 'ColumnDef')) };
    case 'AT_DropColumn':
      return { kind: 'drop-column', table, column: name };
    case 'AT_AlterColumnType':
      return {
        kind: 'change-type',
        table,
        column: name,
        to: typeOf(field(field(cmd.def, 'ColumnDef'), 'typeName')),
      };
    case 'AT_SetNotNull':
      return { kind: 'set-not-null', table, column: name };
    case 'AT_AddConstraint': {
      const constraint = field(cmd.def, 'Constraint');
      return {
        kind: 'add-constraint',
        table,
        constraint: constraintKind(constraint.contype),
        isNotValid: constraint.skip_validation === true,
        usesIndex: typeof constraint.indexname === 'string',
      };
    }
    default:
      return { kind: 'other-ddl' };
  }
}

function dropFacts(body: Node): StatementFact[] {
  const names = (list(body.objects) as Node[]).map((object) =>
    (list(field(object, 'List').items) as Node[]).map((item) => text(field(item, 'String').sval)),
  );
  if (body.removeType === 'OBJECT_TABLE') {
    return names.map((parts) => ({ kind: 'drop-table', table: parts.at(-1) ?? '' }));
  }
  if (body.removeType === 'OBJECT_INDEX') {
    return names.map((parts) => ({
      kind: 'drop-index',
      index: parts.at(-1) ?? '',
      table: undefined,
      isConcurrent: body.concurrent === true,
    }));
  }
  return [{ kind: 'other-ddl' }];
}

function renameFacts(body: Node): StatementFact[] {
  const table = relation(body.relation);
  const to = text(body.newname);
  if (body.renameType === 'OBJECT_TABLE') return [{ kind: 'rename-table', table, to }];
  if (body.renameType === 'OBJECT_COLUMN') {
    return [{ kind: 'rename-column', table, column: text(body.subname), to }];
  }
  return [{ kind: 'other-ddl' }];
}

function vacuumFacts(body: Node): StatementFact[] {
  if (body.is_vacuumcmd !== true || !hasOption(body.options, 'full')) return [];
  const rel = field(firstOf(body.rels), 'VacuumRelation').relation;
  return [{ kind: 'exclusive-lock', what: 'VACUUM FULL', table: optionalRelation(rel) }];
}

function keyColumnsOf(body: Node): string[] {
  return (list(body.tableElts) as Node[])
    .map((element) => field(element, 'Constraint'))
    .flatMap((c) => [...list(c.keys), ...list(c.fk_attrs)] as Node[])
    .map((name) => text(field(name, 'String').sval));
}

function columnsOf(body: Node): AddedColumn[] {
  return (list(body.tableElts) as Node[])
    .filter((element) => 'ColumnDef' in element)
    .map((element) => columnOf(field(element, 'ColumnDef')));
}

/** Functions whose value changes per row, so a default of theirs is evaluated for every row. */
const volatileFunctions = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
]);

function columnOf(def: Node): AddedColumn {
  const constraints = (list(def.constraints) as Node[]).map((c) => field(c, 'Constraint'));
  const kinds = constraints.map((c) => c.contype);
  const type = typeOf(field(def, 'typeName'));
  const defaultExpr = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr;
  const isSerial = type !== undefined && /^(small|big)?serial[248]?$/.test(type.name);
  return {
    name: text(def.colname),
    type,
    isNotNull: kinds.includes('CONSTR_NOTNULL') || kinds.includes('CONSTR_PRIMARY'),
    isPrimaryKey: kinds.includes('CONSTR_PRIMARY'),
    isUnique: kinds.includes('CONSTR_UNIQUE'),
    defaultKind: isSerial ? 'volatile' : defaultKindOf(defaultExpr as Node | undefined),
    isForeignKey: kinds.includes('CONSTR_FOREIGN'),
    references: optionalRelation(constraints.find((c) => c.contype === 'CONSTR_FOREIGN')?.pktable),
  };
}

function defaultKindOf(expr: Node | undefined): AddedColumn['defaultKind'] {
  if (expr === undefined) return 'none';
  if ('A_Const' in expr) return 'constant';
  if ('TypeCast' in expr) {
    const arg = field(field(expr, 'TypeCast'), 'arg');
    return 'A_Const' in arg ? 'constant' : defaultKindOf(arg);
  }
  return hasVolatileCall(expr) ? 'volatile' : 'expression';
}

/** The last name of every ColumnRef in the tree (`t.a` and `a`: a), lower-cased. */
function columnRefsIn(node: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(node)) for (const item of node) columnRefsIn(item, found);
  else if (node !== null && typeof node === 'object') {
    const names = list(field(node, 'ColumnRef').fields) as Node[];
    const last = text(field(names.at(-1), 'String').sval);
    if (last !== '') found.add(last.toLowerCase());
    for (const value of Object.values(node)) columnRefsIn(value, found);
  }
  return [...found];
}

function hasVolatileCall(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasVolatileCall);
  if (node === null || typeof node !== 'object') return false;
  const call = (node as Node).FuncCall;
  if (call !== undefined) {
    const names = list((call as Node).funcname) as Node[];
    const name = text(field(names.at(-1), 'String').sval).toLowerCase();
    if (volatileFunctions.has(name)) return true;
  }
  return Object.values(node).some(hasVolatileCall);
}

/** The parser gives pg_catalog's names; findings use the ones revisions are written with. */
const internalTypeNames: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  bool: 'boolean',
  float4: 'real',
  float8: 'double precision',
  bpchar: 'char',
};

function typeOf(typeName: Node): ColumnType | undefined {
  const names = (list(typeName.names) as Node[]).map((n) => text(field(n, 'String').sval));
  const name = names.at(-1);
  if (name === undefined) return undefined;
  const args = (list(typeName.typmods) as Node[]).map((mod) =>
    Number(field(field(mod, 'A_Const'), 'ival').ival),
  );
  return { name: internalTypeNames[name] ?? name.toLowerCase(), args };
}

function constraintKind(contype: unknown): ConstraintKind {
  switch (contype) {
    case 'CONSTR_FOREIGN':
      return 'foreign-key';
    case 'CONSTR_CHECK':
      return 'check';
    case 'CONSTR_UNIQUE':
      return 'unique';
    case 'CONSTR_PRIMARY':
      return 'primary-key';
    default:
      return 'other';
  }
}

function isInsertSelect(body: Node): boolean {
  const select = field(body.selectStmt, 'SelectStmt');
  return body.selectStmt !== undefined && select.valuesLists === undefined;
}

function hasOption(options: unknown, name: string): boolean {
  return (list(options) as Node[]).some((o) => field(o, 'DefElem').defname === name);
}

function relation(node: unknown): string {
  return optionalRelation(node) ?? '';
}

function optionalRelation(node: unknown): string | undefined {
  const range =
    node !== null && typeof node === 'object' && 'RangeVar' in node
      ? field(node, 'RangeVar')
      : (node as Node | undefined);
  return typeof range?.relname === 'string' ? range.relname : undefined;
}

function firstOf(value: unknown): Node {
  return (list(value)[0] ?? {}) as Node;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function field(node: unknown, name: string): Node {
  const value = node !== null && typeof node === 'object' ? (node as Node)[name] : undefined;
  return value !== null && typeof value === 'object' ? (value as Node) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
