// Runs `upgrade()` or `downgrade()` of an Alembic revision in the mind, not in Python: statement by
// statement, recording each SQL string and `op.*` directive it would issue, in order (the calls
// themselves are read in interpret-call.ts). Loops over literal rows, `if` on known values and
// same-file helpers are followed; anything else stops the reading with NotConvertible.

import type { SyntaxNode } from '@lezer/common';
import type { Scope } from './evaluate-expression.js';
import { clip, evaluate, type EvaluationContext } from './evaluate-expression.js';
import { childrenOf, partsOf, statementsOf, type PythonSource } from './python-syntax.js';
import { splitAssignment, type PythonModule } from './read-python-module.js';
import { bindParameters } from './bind-parameters.js';
import { evaluateAssignedValue, runCallStatement, type CallRecorder } from './interpret-call.js';
import type { RevisionAction } from './revision-action.js';
import {
  NotConvertible,
  describeValue,
  isTruthy,
  type CallArguments,
  type PythonValue,
} from './python-value.js';

const maxCallDepth = 32;

/** What reading one function gave: its actions, and where it stopped, if it did. */
export interface FunctionReading {
  readonly actions: readonly RevisionAction[];
  readonly stoppedAt: NotConvertible | undefined;
}

/** Reads the module-level function `name` (none: nothing to do, as a missing `downgrade`). */
export function interpretRevisionFunction(
  source: PythonSource,
  module: PythonModule,
  name: string,
): FunctionReading {
  const interpreter = new FunctionInterpreter(source, module);
  const definition = module.functions.get(name);
  if (definition === undefined) return { actions: [], stoppedAt: undefined };
  try {
    interpreter.callDefinition(
      definition,
      { args: [], kwargs: new Map(), line: source.lineOf(definition.from) },
      0,
    );
    return { actions: interpreter.actions, stoppedAt: undefined };
  } catch (error) {
    if (error instanceof NotConvertible) return { actions: interpreter.actions, stoppedAt: error };
    throw error;
  }
}

/** A `return` reached: unwinds the function's statements (thrown, caught by the call). */
class Returned extends Error {
  constructor(readonly value: PythonValue) {
    super('return');
  }
}

class FunctionInterpreter implements CallRecorder {
  readonly actions: RevisionAction[] = [];
  readonly context: EvaluationContext;
  batchBlock: number | undefined;
  private batchBlocks = 0;
  private depth = 0;

  constructor(
    readonly source: PythonSource,
    private readonly module: PythonModule,
  ) {
    this.context = {
      source,
      callFunction: (name, call) => {
        const definition = module.functions.get(name);
        if (definition === undefined)
          throw new NotConvertible(`\`${name}\` is not a function of the file`, call.line);
        return this.callDefinition(definition, call, this.depth + 1);
      },
    };
  }

  callDefinition(definition: SyntaxNode, call: CallArguments, depth: number): PythonValue {
    if (depth > maxCallDepth)
      throw new NotConvertible(`calls nested deeper than ${maxCallDepth} (recursion)`, call.line);
    const outer = this.depth;
    this.depth = depth;
    try {
      const scope = this.module.scope.child();
      bindParameters(this.source, definition, call, scope, (node) =>
        evaluate(node, this.module.scope, this.context),
      );
      const body = definition.getChild('Body');
      if (body !== null) this.runBlock(body, scope);
      return { kind: 'none' };
    } catch (signal) {
      if (signal instanceof Returned) return signal.value;
      throw signal;
    } finally {
      this.depth = outer;
    }
  }

  private runBlock(body: SyntaxNode, scope: Scope): void {
    for (const statement of statementsOf(body)) this.runStatement(statement, scope);
  }

  private fail(node: SyntaxNode, reason: string): never {
    throw new NotConvertible(reason, this.source.lineOf(node.from));
  }

  private runStatement(statement: SyntaxNode, scope: Scope): void {
    const text = () => clip(this.source.textOf(statement));
    switch (statement.name) {
      case 'PassStatement':
        return;
      case 'ExpressionStatement': {
        const [expression] = childrenOf(statement);
        if (expression === undefined || /String$/.test(expression.name)) return;
        if (expression.name === 'CallExpression') {
          runCallStatement(expression, scope, this);
          return;
        }
        return this.fail(statement, `\`${text()}\` (an expression statement that is not a call)`);
      }
      case 'AssignStatement':
        this.runAssignment(statement, scope);
        return;
      case 'UpdateStatement': {
        const [target, operator, valueNode] = childrenOf(statement);
        if (target?.name !== 'VariableName' || valueNode === undefined || operator === undefined) {
          return this.fail(statement, `\`${text()}\``);
        }
        const name = this.source.textOf(target);
        const before = evaluate(target, scope, this.context);
        const value = evaluate(valueNode, scope, this.context);
        const op = this.source.textOf(operator);
        if (op === '+=' && before.kind === 'str' && value.kind === 'str') {
          scope.set(name, { kind: 'str', value: before.value + value.value });
        } else if (op === '+=' && before.kind === 'list' && value.kind === 'list') {
          scope.set(name, { kind: 'list', items: [...before.items, ...value.items] });
        } else {
          return this.fail(statement, `\`${text()}\` (${op} on ${describeValue(before)})`);
        }
        return;
      }
      case 'ReturnStatement': {
        const [, valueNode] = childrenOf(statement);
        throw new Returned(
          valueNode === undefined ? { kind: 'none' } : evaluate(valueNode, scope, this.context),
        );
      }
      case 'ForStatement':
        this.runFor(statement, scope);
        return;
      case 'IfStatement':
        this.runIf(statement, scope);
        return;
      case 'WithStatement':
        this.runWith(statement, scope);
        return;
      default:
        return this.fail(
          statement,
          `\`${text()}\` (a ${statement.name
            .replace(/Statement$/, '')
            .replace(/Definition$/, ' definition')
            .toLowerCase()} statement, which the importer does not follow)`,
        );
    }
  }

  private runAssignment(statement: SyntaxNode, scope: Scope): void {
    const segments = splitAssignment(statement);
    const valueNodes = segments.pop() ?? [];
    const value =
      valueNodes.length === 1
        ? evaluateAssignedValue(valueNodes[0]!, scope, this)
        : { kind: 'list' as const, items: valueNodes.map((n) => evaluate(n, scope, this.context)) };
    for (const targets of segments) this.bindTargets(targets, value, scope, statement);
  }

  private bindTargets(
    targets: readonly SyntaxNode[],
    value: PythonValue,
    scope: Scope,
    at: SyntaxNode,
  ): void {
    const names =
      targets.length === 1 && targets[0]!.name !== 'VariableName' ? partsOf(targets[0]!) : targets;
    if (names.length === 1 && targets.length === 1 && targets[0]!.name === 'VariableName') {
      scope.set(this.source.textOf(targets[0]!), value);
      return;
    }
    if (value.kind !== 'list' || value.items.length !== names.length) {
      return this.fail(at, `unpacking ${describeValue(value)} into ${names.length} names`);
    }
    names.forEach((name, i) => {
      if (name.name === 'VariableName') scope.set(this.source.textOf(name), value.items[i]!);
      else if (name.name === 'TupleExpression' || name.name === 'ParenthesizedExpression') {
        this.bindTargets([name], value.items[i]!, scope, at);
      } else this.fail(at, `assigning to \`${clip(this.source.textOf(name))}\``);
    });
  }

  private runFor(statement: SyntaxNode, scope: Scope): void {
    const children = childrenOf(statement);
    const inAt = children.findIndex((c) => c.name === 'in');
    const targets = children.slice(1, inAt).filter((c) => c.name !== ',');
    const iterableNode = children[inAt + 1];
    const body = statement.getChild('Body');
    if (children.some((c) => c.name === 'else') || iterableNode === undefined || body === null) {
      return this.fail(statement, '`for … else`');
    }
    const iterable = evaluate(iterableNode, scope, this.context);
    const items =
      iterable.kind === 'list'
        ? iterable.items
        : iterable.kind === 'dict'
          ? iterable.entries.map(([key]) => key)
          : this.fail(
              iterableNode,
              `a loop over ${describeValue(iterable)} (rows known only at run time)`,
            );
    for (const item of items) {
      this.bindTargets(targets, item, scope, statement);
      this.runBlock(body, scope);
    }
  }

  private runIf(statement: SyntaxNode, scope: Scope): void {
    const children = childrenOf(statement);
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (child.name === 'if' || child.name === 'elif') {
        const condition = children[i + 1]!;
        const body = children[i + 2]!;
        if (isTruthy(evaluate(condition, scope, this.context))) return this.runBlock(body, scope);
        i += 2;
      } else if (child.name === 'else') {
        return this.runBlock(children[i + 1]!, scope);
      }
    }
  }

  private runWith(statement: SyntaxNode, scope: Scope): void {
    const children = childrenOf(statement);
    const [, managerNode, asNode, nameNode] = children;
    const body = statement.getChild('Body');
    const manager =
      managerNode === undefined ? undefined : evaluate(managerNode, scope, this.context);
    if (manager?.kind !== 'call' || manager.callee !== 'op.batch_alter_table' || body === null) {
      return this.fail(
        statement,
        `\`${clip(this.source.textOf(statement).split('\n')[0] ?? '')}\` (a \`with\` block other than op.batch_alter_table)`,
      );
    }
    const inner = scope.child();
    const outerBlock = this.batchBlock;
    this.batchBlock = ++this.batchBlocks;
    if (asNode?.name === 'as' && nameNode?.name === 'VariableName')
      inner.set(this.source.textOf(nameNode), manager);
    // Names bound in a `with` body are visible after it, as in Python.
    try {
      for (const statementNode of statementsOf(body)) this.runStatement(statementNode, inner);
    } finally {
      this.batchBlock = outerBlock;
    }
  }
}
