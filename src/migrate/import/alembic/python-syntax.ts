// Python source as a syntax tree (Lezer's Python grammar), with the few helpers the importer needs:
// children without comments, the text and line of a node, the first syntax error. Never runs Python.

import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';

/** A parsed Python file: its text, its tree, and the line starts used to name lines. */
export class PythonSource {
  readonly tree: Tree;
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.tree = parser.parse(text);
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++)
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  get top(): SyntaxNode {
    return this.tree.topNode;
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  textOf(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  /** The line of the first place the grammar could not read, if any. */
  firstSyntaxError(): number | undefined {
    let found: number | undefined;
    this.tree.iterate({
      enter: (node) => {
        if (found !== undefined) return false;
        if (node.type.isError) {
          found = this.lineOf(node.from);
          return false;
        }
        return undefined;
      },
    });
    return found;
  }
}

const ignored = new Set(['Comment', 'LineComment']);

/** The node's children, comments left out. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (!ignored.has(child.name)) children.push(child);
  }
  return children;
}

/** The statements of a `Body` node (or of the Script), comments and the colon left out. */
export function statementsOf(body: SyntaxNode): SyntaxNode[] {
  return childrenOf(body).filter((child) => child.name !== ':');
}

/** Punctuation and keywords that separate the parts of a node, never parts themselves. */
const punctuation = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', 'AssignOp']);

/** The meaningful children of a node: punctuation and comments left out. */
export function partsOf(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((child) => !punctuation.has(child.name));
}
