// The calls a revision function makes: `op.*` and `batch_op.*` directives and `conn.execute(…)`
// are recorded as actions; a same-file helper runs through evaluate(); any other call, whose
// effect only Python knows, stops the reading with NotConvertible. Statements are walked in
// interpret-function.ts.

import type { SyntaxNode } from '@lezer/common';
import type { Scope } from './evaluate-expression.js';
import { clip, evaluate, readArguments, type EvaluationContext } from './evaluate-expression.js';
import { partsOf, type PythonSource } from './python-syntax.js';
import {
  knownDirectives,
  readConnectionExecute,
  readOpExecute,
  type RevisionAction,
} from './revision-action.js';
import { NotConvertible, type CallArguments, type PythonValue } from './python-value.js';

/** Where the calls' actions go, and what evaluating their arguments needs. */
export interface CallRecorder {
  readonly source: PythonSource;
  readonly context: EvaluationContext;
  readonly actions: RevisionAction[];
  /** The `with op.batch_alter_table(…)` block being read, numbered in reading order. */
  readonly batchBlock: number | undefined;
}

// Why the `op.*` calls the importer does not convert need a person.
const unconvertedOps: Readonly<Record<string, string>> = {
  get_context: "Alembic's run-time context",
  get_bind: 'the connection',
  run_async: 'async code',
  invoke: 'an operation object built in Python',
  inline_literal: 'a literal rendered at run time',
};

/** A call made as a statement: records its action, or stops the reading. */
export function runCallStatement(node: SyntaxNode, scope: Scope, recorder: CallRecorder): void {
  const { source, context } = recorder;
  const fail = (reason: string): never => {
    throw new NotConvertible(reason, source.lineOf(node.from));
  };
  const callee = node.firstChild;
  const argList = node.getChild('ArgList');
  if (callee === null || argList === null) return fail(`\`${clip(source.textOf(node))}\``);
  if (callee.name === 'MemberExpression') {
    const [objectNode, property] = partsOf(callee);
    if (objectNode !== undefined && property?.name === 'PropertyName') {
      const method = source.textOf(property);
      const object = evaluate(objectNode, scope, context);
      const call = () => readArguments(argList, scope, context);
      if (object.kind === 'name' && object.dotted === 'op') {
        return recordOp(method, call(), node, undefined, recorder);
      }
      if (object.kind === 'call' && object.callee === 'op.batch_alter_table') {
        const table = object.call.args[0] ?? object.call.kwargs.get('table_name');
        if (table?.kind !== 'str') return fail('batch_alter_table without a literal table name');
        return recordOp(method, call(), node, table.value, recorder);
      }
      if (object.kind === 'connection' && method === 'execute') {
        recorder.actions.push(...readConnectionExecute(call()));
        return;
      }
    }
  }
  const value = evaluate(node, scope, context);
  // A same-file helper ran through evaluate(); a described library call alone does nothing.
  if (value.kind === 'call') {
    fail(`\`${clip(source.textOf(node))}\` (a call whose effect the importer does not know)`);
  }
}

/** `t = op.create_table(…)`: the directive runs, and `t` names its table (for bulk_insert). */
export function evaluateAssignedValue(
  node: SyntaxNode,
  scope: Scope,
  recorder: CallRecorder,
): PythonValue {
  const { context } = recorder;
  if (node.name === 'CallExpression') {
    const directive = directiveOf(node, scope, recorder.source);
    if (directive !== undefined) {
      runCallStatement(node, scope, recorder);
      return {
        kind: 'call',
        callee: `op.${directive}`,
        call: readArguments(node.getChild('ArgList')!, scope, context),
      };
    }
  }
  return evaluate(node, scope, context);
}

/** The directive `call` makes when it is `op.<known directive>(…)`. */
function directiveOf(call: SyntaxNode, scope: Scope, source: PythonSource): string | undefined {
  const callee = call.firstChild;
  if (callee?.name !== 'MemberExpression') return undefined;
  const [objectNode, property] = partsOf(callee);
  if (objectNode?.name !== 'VariableName' || property === undefined) return undefined;
  const object = scope.lookup(source.textOf(objectNode));
  const method = source.textOf(property);
  return object !== undefined &&
    'kind' in object &&
    object.kind === 'name' &&
    object.dotted === 'op' &&
    knownDirectives.has(method)
    ? method
    : undefined;
}

function recordOp(
  method: string,
  call: CallArguments,
  node: SyntaxNode,
  batchTable: string | undefined,
  recorder: CallRecorder,
): void {
  const line = recorder.source.lineOf(node.from);
  if (method === 'execute' && batchTable === undefined) {
    recorder.actions.push(readOpExecute(call));
    return;
  }
  if (knownDirectives.has(method)) {
    const batchBlock = batchTable === undefined ? undefined : recorder.batchBlock;
    recorder.actions.push({ kind: 'op', directive: method, call, batchTable, batchBlock, line });
    return;
  }
  throw new NotConvertible(
    `\`op.${method}()\` (${unconvertedOps[method] ?? 'a directive the importer does not convert'})`,
    line,
  );
}
