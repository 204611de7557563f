// A same-file function's parameters bound to the arguments of one call, as Python binds them:
// positional, then keyword, then defaults (evaluated in the module's scope). Only plain
// parameters are read; `*args`, `**kwargs` and keyword-only markers are not.

import type { SyntaxNode } from '@lezer/common';
import type { Scope } from './evaluate-expression.js';
import { clip } from './evaluate-expression.js';
import { childrenOf, type PythonSource } from './python-syntax.js';
import { NotConvertible, type CallArguments, type PythonValue } from './python-value.js';

export function bindParameters(
  source: PythonSource,
  definition: SyntaxNode,
  call: CallArguments,
  scope: Scope,
  evaluateDefault: (node: SyntaxNode) => PythonValue,
): void {
  const line = source.lineOf(definition.from);
  const list = definition.getChild('ParamList');
  const children =
    list === null ? [] : childrenOf(list).filter((c) => !['(', ')', ','].includes(c.name));
  let position = 0;
  const used = new Set<string>();
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.name === 'TypeDef') continue;
    if (child.name !== 'VariableName') {
      throw new NotConvertible(
        `the parameter list \`${clip(source.textOf(list!))}\` (only plain parameters are read)`,
        line,
      );
    }
    const name = source.textOf(child);
    let defaultValue: PythonValue | undefined;
    while (children[i + 1]?.name === 'TypeDef') i++;
    if (children[i + 1]?.name === 'AssignOp') {
      defaultValue = evaluateDefault(children[i + 2]!);
      i += 2;
    }
    const value = call.kwargs.get(name) ?? call.args[position++] ?? defaultValue;
    used.add(name);
    if (value === undefined)
      throw new NotConvertible(`\`${name}\` is not given when the function is called`, call.line);
    scope.set(name, value);
  }
  if (position < call.args.length || [...call.kwargs.keys()].some((k) => !used.has(k))) {
    throw new NotConvertible('a call with more arguments than the function takes', call.line);
  }
}
