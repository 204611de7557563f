// The module level of an Alembic revision file: its docstring, imports, constants and functions,
// read into a Scope. Names from other modules than Alembic and SQLAlchemy stay unknown, so that a
// revision calling project code is reported rather than guessed at.

import type { SyntaxNode } from '@lezer/common';
import { Scope, clip, evaluate, type EvaluationContext } from './evaluate-expression.js';
import { childrenOf, statementsOf, type PythonSource } from './python-syntax.js';
import { NotConvertible } from './python-value.js';

/** What the module level of a file holds. */
export interface PythonModule {
  readonly scope: Scope;
  readonly functions: ReadonlyMap<string, SyntaxNode>;
  readonly docstring: string | undefined;
  /** Module-level statements that would run code when Alembic loads the file. */
  readonly sideEffects: readonly NotConvertible[];
}

/** Library modules whose names are described by the importer (evaluate-expression.ts). */
const libraryPrefixes: readonly (readonly [string, string])[] = [
  ['alembic.op', 'op'],
  ['sqlalchemy.sql.expression', 'sa'],
  ['sqlalchemy.sql', 'sa'],
  ['sqlalchemy.types', 'sa'],
  ['sqlalchemy.schema', 'sa'],
  ['sqlalchemy', 'sa'],
];
/** Modules whose names annotate and never act (`revision: str = …`, `from __future__ import …`). */
const inertModules = new Set(['typing', '__future__', 'alembic', 'collections.abc']);

/** `sqlalchemy.types.Integer` → `sa.Integer`; undefined for a module the importer does not know. */
export function libraryName(dotted: string): string | undefined {
  for (const [prefix, short] of libraryPrefixes) {
    if (dotted === prefix) return short;
    if (dotted.startsWith(`${prefix}.`)) return `${short}${dotted.slice(prefix.length)}`;
  }
  return undefined;
}

export function readPythonModule(
  source: PythonSource,
  context: Omit<EvaluationContext, 'source'>,
): PythonModule {
  const scope = new Scope();
  const functions = new Map<string, SyntaxNode>();
  const sideEffects: NotConvertible[] = [];
  let docstring: string | undefined;
  const evaluationContext: EvaluationContext = { ...context, source };
  const statements = statementsOf(source.top);
  statements.forEach((statement, index) => {
    const line = source.lineOf(statement.from);
    switch (statement.name) {
      case 'ExpressionStatement': {
        const [expression] = childrenOf(statement);
        if (expression !== undefined && /String$/.test(expression.name)) {
          if (index === 0) {
            const value = evaluate(expression, scope, evaluationContext);
            docstring = value.kind === 'str' ? value.value : undefined;
          }
          return;
        }
        sideEffects.push(
          new NotConvertible(
            `\`${clip(source.textOf(statement))}\` runs when Alembic loads the file`,
            line,
          ),
        );
        return;
      }
      case 'ImportStatement':
        readImport(statement, source, scope);
        return;
      case 'AssignStatement':
        assignModuleLevel(statement, scope, evaluationContext);
        return;
      case 'FunctionDefinition':
      case 'DecoratedStatement': {
        const definition =
          statement.name === 'FunctionDefinition'
            ? statement
            : statement.getChild('FunctionDefinition');
        const nameNode = definition?.getChild('VariableName');
        if (
          definition === null ||
          definition === undefined ||
          nameNode === null ||
          nameNode === undefined
        )
          return;
        const name = source.textOf(nameNode);
        if (statement.name === 'DecoratedStatement') {
          scope.set(name, {
            unknown: new NotConvertible(
              `\`${name}\` is decorated (its behaviour depends on the decorator)`,
              line,
            ),
          });
          return;
        }
        functions.set(name, definition);
        scope.set(name, { kind: 'function', name });
        return;
      }
      default:
        // A module-level `if`, `try`, `class`…: whatever it binds stays unknown.
        sideEffects.push(
          new NotConvertible(
            `a module-level ${statement.name.replace(/Statement$/, '').toLowerCase()} statement (\`${clip(source.textOf(statement))}\`)`,
            line,
          ),
        );
    }
  });
  return { scope, functions, docstring, sideEffects };
}

function assignModuleLevel(statement: SyntaxNode, scope: Scope, context: EvaluationContext): void {
  const { source } = context;
  const line = source.lineOf(statement.from);
  const segments = splitAssignment(statement);
  const value = segments.pop() ?? [];
  for (const targets of segments) {
    for (const [index, target] of targets.entries()) {
      if (target.name !== 'VariableName') continue;
      try {
        const evaluated =
          value.length === 1 && targets.length === 1
            ? evaluate(value[0]!, scope, context)
            : evaluate(value[index] ?? value[0]!, scope, context);
        scope.set(source.textOf(target), evaluated);
      } catch (error) {
        if (!(error instanceof NotConvertible)) throw error;
        scope.set(source.textOf(target), {
          unknown: new NotConvertible(`\`${source.textOf(target)}\` is ${error.reason}`, line),
        });
      }
    }
  }
}

/**
 * The parts of `a, b = c = 1, 2` between its `=` signs, each a list of expressions (a type
 * annotation, `revision: str = …`, left out).
 */
export function splitAssignment(statement: SyntaxNode): SyntaxNode[][] {
  const segments: SyntaxNode[][] = [[]];
  for (const child of childrenOf(statement)) {
    if (child.name === 'AssignOp') segments.push([]);
    else if (child.name !== ',' && child.name !== 'TypeDef')
      segments[segments.length - 1]!.push(child);
  }
  return segments;
}

function readImport(statement: SyntaxNode, source: PythonSource, scope: Scope): void {
  const line = source.lineOf(statement.from);
  const children = childrenOf(statement).filter((c) => c.name !== '(' && c.name !== ')');
  const isFrom = children[0]?.name === 'from';
  const importAt = children.findIndex((c) => c.name === 'import');
  const dotted = (nodes: SyntaxNode[]) => nodes.map((n) => source.textOf(n)).join('');
  const bind = (local: string, full: string) => {
    const short = libraryName(full);
    const moduleOf = full.split('.').slice(0, -1).join('.');
    if (short !== undefined) scope.set(local, { kind: 'name', dotted: short });
    else if (inertModules.has(full) || inertModules.has(moduleOf)) {
      scope.set(local, {
        unknown: new NotConvertible(`\`${local}\` (from ${full}) used as a value`, line),
      });
    } else {
      scope.set(local, {
        unknown: new NotConvertible(
          `\`${local}\` comes from \`${full}\` (imported on line ${line}), code the importer does not run`,
          line,
        ),
      });
    }
  };
  // Split `a.b as c, d` into entries of [dotted name nodes, alias].
  const entries = (nodes: SyntaxNode[]): { name: string; alias: string | undefined }[] => {
    const result: { name: string; alias: string | undefined }[] = [];
    let current: SyntaxNode[] = [];
    let alias: string | undefined;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.name === ',') {
        result.push({ name: dotted(current), alias });
        current = [];
        alias = undefined;
      } else if (node.name === 'as') {
        alias = nodes[i + 1] === undefined ? undefined : source.textOf(nodes[++i]!);
      } else current.push(node);
    }
    if (current.length > 0) result.push({ name: dotted(current), alias });
    return result;
  };
  if (!isFrom) {
    for (const { name, alias } of entries(children.slice(1))) {
      // `import sqlalchemy.dialects.postgresql` binds `sqlalchemy`.
      if (alias !== undefined) bind(alias, name);
      else bind(name.split('.')[0] ?? name, name.split('.')[0] ?? name);
    }
    return;
  }
  const module = dotted(children.slice(1, importAt));
  for (const { name, alias } of entries(children.slice(importAt + 1))) {
    if (name === '*') {
      // Names bound by `*` cannot be known; any later use of them is an unassigned name.
      continue;
    }
    bind(alias ?? name, module.startsWith('.') ? `${module}${name}` : `${module}.${name}`);
  }
}
