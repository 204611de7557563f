// Evaluates a Python expression from the file alone: literals, names bound earlier in the file,
// `+`, `%` and `.format()` over them, f-strings, and library calls as descriptions. Anything that
// would need Python to run throws NotConvertible with the reason and line. Never runs anything.

import type { SyntaxNode } from '@lezer/common';
import { childrenOf, partsOf, type PythonSource } from './python-syntax.js';
import { decodeStringBody, readStringToken } from './python-string.js';
import {
  NotConvertible,
  describeValue,
  isTruthy,
  pythonStr,
  str,
  type CallArguments,
  type PythonValue,
} from './python-value.js';
import { applyOperator, callStringMethod, isEqual } from './python-operators.js';

/** A name's value, or why it has none that the file tells. */
export type Binding = PythonValue | { readonly unknown: NotConvertible };

/** Names visible at one point: a function's locals over the module's names. */
export class Scope {
  private readonly names = new Map<string, Binding>();

  constructor(private readonly parent?: Scope) {}

  set(name: string, binding: Binding): void {
    this.names.set(name, binding);
  }

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }

  child(): Scope {
    return new Scope(this);
  }
}

/** What an expression's evaluation needs besides the scope: calling same-file functions. */
export interface EvaluationContext {
  readonly source: PythonSource;
  /** Runs a function of the file with known arguments and returns what it returns. */
  readonly callFunction: (name: string, call: CallArguments) => PythonValue;
}

export function evaluate(node: SyntaxNode, scope: Scope, context: EvaluationContext): PythonValue {
  const { source } = context;
  const line = source.lineOf(node.from);
  const fail = (reason: string): never => {
    throw new NotConvertible(reason, line);
  };
  switch (node.name) {
    case 'String':
    case 'FormatString':
      return str(readLiteral(node, scope, context));
    case 'ContinuedString':
      // Adjacent literals are one string, as in Python.
      return str(
        childrenOf(node)
          .map((part) => readLiteral(part, scope, context))
          .join(''),
      );
    case 'Number': {
      const text = source.textOf(node).replace(/_/g, '');
      const value = Number(text);
      if (!Number.isFinite(value) || /[jJ]$/.test(text)) fail(`the number ${text}`);
      return { kind: 'number', value, text };
    }
    case 'Boolean':
      return { kind: 'bool', value: source.textOf(node) === 'True' };
    case 'None':
      return { kind: 'none' };
    case 'VariableName':
      return lookupName(source.textOf(node), scope, line);
    case 'ParenthesizedExpression': {
      const [inner] = partsOf(node);
      return inner === undefined ? { kind: 'list', items: [] } : evaluate(inner, scope, context);
    }
    case 'TupleExpression':
    case 'ArrayExpression':
      return { kind: 'list', items: partsOf(node).map((item) => evaluate(item, scope, context)) };
    case 'DictionaryExpression': {
      const parts = partsOf(node);
      const entries: [PythonValue, PythonValue][] = [];
      for (let i = 0; i + 1 < parts.length; i += 2) {
        entries.push([
          evaluate(parts[i]!, scope, context),
          evaluate(parts[i + 1]!, scope, context),
        ]);
      }
      if (parts.length % 2 !== 0) fail('a dict with `**` unpacking');
      return { kind: 'dict', entries };
    }
    case 'UnaryExpression': {
      const [operator, operand] = childrenOf(node);
      const value = operand === undefined ? undefined : evaluate(operand, scope, context);
      const op = operator === undefined ? '' : source.textOf(operator);
      if (value?.kind === 'number' && (op === '-' || op === '+')) {
        return op === '-' ? { kind: 'number', value: -value.value, text: `-${value.text}` } : value;
      }
      if (value !== undefined && op === 'not') return { kind: 'bool', value: !isTruthy(value) };
      return fail(`\`${source.textOf(node)}\``);
    }
    case 'BinaryExpression':
      return evaluateBinary(node, scope, context);
    case 'MemberExpression':
      return evaluateMember(node, scope, context);
    case 'CallExpression':
      return evaluateCall(node, scope, context);
    default:
      return fail(`\`${clip(source.textOf(node))}\` (${describeNode(node.name)})`);
  }
}

function describeNode(name: string): string {
  const known: Record<string, string> = {
    ArrayComprehensionExpression: 'a list comprehension',
    DictionaryComprehensionExpression: 'a dict comprehension',
    LambdaExpression: 'a lambda',
    ConditionalExpression: 'a conditional expression',
    AwaitExpression: 'await',
  };
  return known[name] ?? `a Python ${name.replace(/Expression$/, ' expression').toLowerCase()}`;
}

export function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 60)}…` : oneLine;
}

function lookupName(name: string, scope: Scope, line: number): PythonValue {
  const binding = scope.lookup(name);
  if (binding === undefined) {
    throw new NotConvertible(
      `\`${name}\` is not assigned in the file (a value known only at run time)`,
      line,
    );
  }
  if ('unknown' in binding) {
    // The line of the use: the reason names the line of the import or assignment.
    throw new NotConvertible(binding.unknown.reason, line);
  }
  return binding;
}

/** One literal token (String or FormatString) decoded, with f-string placeholders filled. */
function readLiteral(node: SyntaxNode, scope: Scope, context: EvaluationContext): string {
  const { source } = context;
  const line = source.lineOf(node.from);
  const text = source.textOf(node);
  const token = readStringToken(text);
  if (token.isBytes) throw new NotConvertible(`the bytes literal ${clip(text)}`, line);
  const decode = (from: number, to: number): string => {
    const decoded = decodeStringBody(text.slice(from, to), token);
    if ('unsupported' in decoded)
      throw new NotConvertible(`${decoded.unsupported} in a string`, line);
    return decoded.value;
  };
  if (!token.isFormat) return decode(token.bodyStart, token.bodyEnd);
  let out = '';
  let at = token.bodyStart;
  for (const replacement of childrenOf(node).filter((c) => c.name === 'FormatReplacement')) {
    out += decode(at, replacement.from - node.from);
    out += fillReplacement(replacement, scope, context);
    at = replacement.to - node.from;
  }
  return out + decode(at, token.bodyEnd);
}

/** `{expression}` of an f-string: `!s` and no format spec, or it is not read. */
function fillReplacement(node: SyntaxNode, scope: Scope, context: EvaluationContext): string {
  const { source } = context;
  const line = source.lineOf(node.from);
  const parts = partsOf(node).filter((part) => part.name !== '{' && part.name !== '}');
  const [expression, ...rest] = parts;
  const plain = rest.every(
    (part) => part.name === 'FormatConversion' && source.textOf(part) === '!s',
  );
  if (expression === undefined || !plain) {
    throw new NotConvertible(
      `the f-string placeholder \`${source.textOf(node)}\` (only \`{name}\` is read)`,
      line,
    );
  }
  return pythonStr(evaluate(expression, scope, context), line);
}

function evaluateBinary(node: SyntaxNode, scope: Scope, context: EvaluationContext): PythonValue {
  const { source } = context;
  const line = source.lineOf(node.from);
  const [leftNode, operatorNode, rightNode] = childrenOf(node);
  if (leftNode === undefined || operatorNode === undefined || rightNode === undefined) {
    throw new NotConvertible(`\`${clip(source.textOf(node))}\``, line);
  }
  const operator = source.textOf(operatorNode);
  const left = evaluate(leftNode, scope, context);
  if (operator === 'and' || operator === 'or') {
    if (isTruthy(left) === (operator === 'or')) return left;
    return evaluate(rightNode, scope, context);
  }
  return applyOperator(operator, left, evaluate(rightNode, scope, context), line);
}

function evaluateMember(node: SyntaxNode, scope: Scope, context: EvaluationContext): PythonValue {
  const { source } = context;
  const line = source.lineOf(node.from);
  const [objectNode, ...rest] = partsOf(node);
  const property = rest[0];
  if (objectNode === undefined || property === undefined) {
    throw new NotConvertible(`\`${clip(source.textOf(node))}\``, line);
  }
  const object = evaluate(objectNode, scope, context);
  if (property.name === 'PropertyName' && object.kind === 'name') {
    return { kind: 'name', dotted: `${object.dotted}.${source.textOf(property)}` };
  }
  if (property.name !== 'PropertyName') {
    // Subscript: a literal list or dict indexed by a literal.
    const key = evaluate(property, scope, context);
    if (object.kind === 'list' && key.kind === 'number' && Number.isInteger(key.value)) {
      const item = object.items[key.value < 0 ? object.items.length + key.value : key.value];
      if (item !== undefined) return item;
    }
    if (object.kind === 'dict') {
      const entry = object.entries.find(([k]) => isEqual(k, key, line));
      if (entry !== undefined) return entry[1];
    }
  }
  throw new NotConvertible(
    `\`${clip(source.textOf(node))}\` (an attribute or item of ${describeValue(object)})`,
    line,
  );
}

function evaluateCall(node: SyntaxNode, scope: Scope, context: EvaluationContext): PythonValue {
  const { source } = context;
  const line = source.lineOf(node.from);
  const [calleeNode, argList] = childrenOf(node);
  if (calleeNode === undefined || argList === undefined) {
    throw new NotConvertible(`\`${clip(source.textOf(node))}\``, line);
  }
  // A method of a string: `"…".format(…)`, `", ".join(…)`.
  if (calleeNode.name === 'MemberExpression') {
    const [objectNode, property] = partsOf(calleeNode);
    if (objectNode !== undefined && property?.name === 'PropertyName') {
      const object = evaluate(objectNode, scope, context);
      if (object.kind === 'str') {
        return str(
          callStringMethod(
            object.value,
            source.textOf(property),
            readArguments(argList, scope, context),
            line,
          ),
        );
      }
      if (object.kind === 'connection') {
        throw new NotConvertible(
          `\`${clip(source.textOf(node))}\` uses what the database returns (known only at run time)`,
          line,
        );
      }
      const dotted =
        object.kind === 'name' ? `${object.dotted}.${source.textOf(property)}` : undefined;
      if (dotted === undefined) {
        throw new NotConvertible(
          `\`${clip(source.textOf(node))}\` (a method of ${describeValue(object)})`,
          line,
        );
      }
      return callName(dotted, readArguments(argList, scope, context), node, context);
    }
  }
  const callee = evaluate(calleeNode, scope, context);
  const call = readArguments(argList, scope, context);
  if (callee.kind === 'function') return context.callFunction(callee.name, call);
  if (callee.kind === 'name') return callName(callee.dotted, call, node, context);
  throw new NotConvertible(`\`${clip(source.textOf(node))}\` calls ${describeValue(callee)}`, line);
}

/** Library names whose calls are described (and rendered later); any other is not guessed. */
const describedLibraries = /^(sa|op)\./;

function callName(
  dotted: string,
  call: CallArguments,
  node: SyntaxNode,
  context: EvaluationContext,
): PythonValue {
  const line = context.source.lineOf(node.from);
  if (dotted === 'op.get_bind') return { kind: 'connection' };
  if (!describedLibraries.test(dotted)) {
    throw new NotConvertible(
      `\`${clip(context.source.textOf(node))}\` calls \`${dotted}\`, code the importer does not run`,
      line,
    );
  }
  return { kind: 'call', callee: dotted, call };
}

/** The positional and keyword arguments of an ArgList node, evaluated. */
export function readArguments(
  argList: SyntaxNode,
  scope: Scope,
  context: EvaluationContext,
): CallArguments {
  const { source } = context;
  const line = source.lineOf(argList.from);
  const children = childrenOf(argList).filter((c) => !['(', ')', ','].includes(c.name));
  const args: PythonValue[] = [];
  const kwargs = new Map<string, PythonValue>();
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const next = children[i + 1];
    if (child.name === 'VariableName' && next?.name === 'AssignOp') {
      const valueNode = children[i + 2];
      if (valueNode === undefined)
        throw new NotConvertible('a keyword argument without a value', line);
      kwargs.set(source.textOf(child), evaluate(valueNode, scope, context));
      i += 2;
      continue;
    }
    if (child.name === '*' || child.name === '**' || child.name === 'ArithOp') {
      throw new NotConvertible(
        `\`*\`/\`**\` arguments in \`${clip(source.textOf(argList))}\``,
        line,
      );
    }
    if (child.name === 'ComprehensionExpression' || child.name === 'for') {
      throw new NotConvertible(
        `a generator expression in \`${clip(source.textOf(argList))}\``,
        line,
      );
    }
    args.push(evaluate(child, scope, context));
  }
  return { args, kwargs, line };
}
