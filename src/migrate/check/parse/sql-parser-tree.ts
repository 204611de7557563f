// Reading node-sql-parser's trees: the accessors that tolerate what a grammar leaves out, and
// walks that collect every column or table a subtree names. Pure.

export type Node = Record<string, unknown>;

/** Every column a tree names (lower-cased; `*` for a star), wherever it is in the tree. */
export function columnsIn(node: unknown): string[] {
  const found = new Set<string>();
  walk(node, (n) => {
    if (n.type !== 'column_ref') return;
    const column = text(n.column) || text(field(field(n.column).expr).value);
    if (column !== '') found.add(column.toLowerCase());
  });
  return [...found];
}

/** Every table a tree reads from (FROM and JOIN items, UPDATE/INSERT/DELETE targets). */
export function tablesIn(node: unknown): string[] {
  const found = new Set<string>();
  walk(node, (n) => {
    if (typeof n.table === 'string' && n.type !== 'column_ref' && n.table !== '') {
      found.add(n.table.toLowerCase());
    }
  });
  return [...found];
}

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
  } else if (node !== null && typeof node === 'object') {
    visit(node as Node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

export function tableName(node: unknown): string {
  return text(field(node).table);
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function field(node: unknown): Node {
  return node !== null && typeof node === 'object' ? (node as Node) : {};
}

/** A name or keyword of the tree; '' when the parser left it out. */
export function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
