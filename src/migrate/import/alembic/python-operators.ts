// Python's operators and string methods over known values: `+`, `-`, `*`, `%`, `==`, `in`, and
// the str methods revision files use around SQL. Pure: values in, value out, or NotConvertible.

import { formatPercent, formatWithFormat } from './python-format.js';
import {
  NotConvertible,
  describeValue,
  pythonStr,
  str,
  type CallArguments,
  type PythonValue,
} from './python-value.js';

/** `left <operator> right` (`and` / `or` are the caller's: they short-circuit). */
export function applyOperator(
  operator: string,
  left: PythonValue,
  right: PythonValue,
  line: number,
): PythonValue {
  if (operator === '+') {
    if (left.kind === 'str' && right.kind === 'str') return str(left.value + right.value);
    if (left.kind === 'list' && right.kind === 'list')
      return { kind: 'list', items: [...left.items, ...right.items] };
    if (left.kind === 'number' && right.kind === 'number') return number(left.value + right.value);
  }
  if (operator === '-' && left.kind === 'number' && right.kind === 'number') {
    return number(left.value - right.value);
  }
  if (operator === '*' && left.kind === 'number' && right.kind === 'number') {
    return number(left.value * right.value);
  }
  if (operator === '%' && left.kind === 'str') return str(formatPercent(left.value, right, line));
  if (operator === '==' || operator === '!=') {
    const equal = isEqual(left, right, line);
    return { kind: 'bool', value: operator === '==' ? equal : !equal };
  }
  if (operator === 'in' || operator === 'not in') {
    if (right.kind !== 'list')
      throw new NotConvertible(`\`in\` over ${describeValue(right)}`, line);
    const found = right.items.some((item) => isEqual(left, item, line));
    return { kind: 'bool', value: operator === 'in' ? found : !found };
  }
  throw new NotConvertible(
    `\`${operator}\` between ${describeValue(left)} and ${describeValue(right)}`,
    line,
  );
}

function number(value: number): PythonValue {
  return { kind: 'number', value, text: String(value) };
}

export function isEqual(left: PythonValue, right: PythonValue, line: number): boolean {
  const primitive = (v: PythonValue) =>
    v.kind === 'str' || v.kind === 'number' || v.kind === 'bool' || v.kind === 'none';
  if (!primitive(left) || !primitive(right)) {
    throw new NotConvertible(
      `a comparison of ${describeValue(left)} with ${describeValue(right)}`,
      line,
    );
  }
  if (left.kind === 'none' || right.kind === 'none') return left.kind === right.kind;
  return 'value' in left && 'value' in right && left.value === right.value;
}

/** `value.method(…)` for the str methods revision files use. */
export function callStringMethod(
  value: string,
  method: string,
  call: CallArguments,
  line: number,
): string {
  const [first, second] = call.args;
  switch (method) {
    case 'format':
      return formatWithFormat(value, call, line);
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      if (first === undefined) {
        return method === 'strip'
          ? value.trim()
          : method === 'lstrip'
            ? value.trimStart()
            : value.trimEnd();
      }
      break;
    case 'upper':
      return value.toUpperCase();
    case 'lower':
      return value.toLowerCase();
    case 'join':
      if (first?.kind === 'list')
        return first.items.map((item) => pythonStr(item, line)).join(value);
      break;
    case 'replace':
      if (first?.kind === 'str' && second?.kind === 'str')
        return value.split(first.value).join(second.value);
      break;
    default:
      break;
  }
  throw new NotConvertible(`the string method \`.${method}()\` with these arguments`, line);
}
