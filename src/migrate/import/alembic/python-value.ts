// The values the importer can know from a Python file without running it: literals, containers,
// SQLAlchemy constructs as descriptions of the call that built them, and why a value is unknown.

/** A value known from the file alone. */
export type PythonValue =
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'list'; readonly items: readonly PythonValue[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [PythonValue, PythonValue])[] }
  /** A call of a library construct (`sa.Column(…)`, `sa.text(…)`), described, not run. */
  | { readonly kind: 'call'; readonly callee: string; readonly call: CallArguments }
  /** A name of a library (`sa.Integer`, `sa.func.now`) not called (yet). */
  | { readonly kind: 'name'; readonly dotted: string }
  /** The connection of `op.get_bind()`. */
  | { readonly kind: 'connection' }
  /** A function defined in the same file, callable with known arguments. */
  | { readonly kind: 'function'; readonly name: string };

export interface CallArguments {
  readonly args: readonly PythonValue[];
  readonly kwargs: ReadonlyMap<string, PythonValue>;
  readonly line: number;
}

/**
 * Thrown where the file stops saying what happens: a value known only at run time, a call into
 * other code, a construct the importer does not read. Caught per revision and reported.
 */
export class NotConvertible extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(reason);
  }
}

export function str(value: string): PythonValue {
  return { kind: 'str', value };
}

/** The text of a value that must be a string (a table name, SQL). */
export function expectString(value: PythonValue | undefined, what: string, line: number): string {
  if (value?.kind === 'str') return value.value;
  throw new NotConvertible(`${what} is ${describeValue(value)}, not a string`, line);
}

export function describeValue(value: PythonValue | undefined): string {
  if (value === undefined) return 'missing';
  switch (value.kind) {
    case 'str':
      return `the string ${JSON.stringify(value.value.length > 30 ? `${value.value.slice(0, 30)}…` : value.value)}`;
    case 'number':
      return `the number ${value.text}`;
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return 'a list';
    case 'dict':
      return 'a dict';
    case 'call':
      return `${value.callee}(…)`;
    case 'name':
      return value.dotted;
    case 'connection':
      return 'the connection';
    case 'function':
      return `the function ${value.name}`;
    default:
      return value satisfies never;
  }
}

/** Python's truth of a known value. */
export function isTruthy(value: PythonValue): boolean {
  switch (value.kind) {
    case 'str':
      return value.value !== '';
    case 'number':
      return value.value !== 0;
    case 'bool':
      return value.value;
    case 'none':
      return false;
    case 'list':
      return value.items.length > 0;
    case 'dict':
      return value.entries.length > 0;
    case 'call':
    case 'name':
    case 'connection':
    case 'function':
      return true;
    default:
      return value satisfies never;
  }
}

/** `str(value)` as Python prints it, for f-strings, `%s` and `.format()`. */
export function pythonStr(value: PythonValue, line: number): string {
  switch (value.kind) {
    case 'str':
      return value.value;
    case 'number':
      return value.text;
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
    case 'dict':
    case 'call':
    case 'name':
    case 'connection':
    case 'function':
      throw new NotConvertible(`${describeValue(value)} formatted into a string`, line);
    default:
      return value satisfies never;
  }
}
