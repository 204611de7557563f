// Python's `%` and `str.format()` over known values: the conversions SQL files use (`%s`, `%d`,
// `%(name)s`, `{}`, `{0}`, `{name}`). Any other conversion or a format spec is not read.

import { NotConvertible, pythonStr, type CallArguments, type PythonValue } from './python-value.js';

/** `template % values`. */
export function formatPercent(template: string, values: PythonValue, line: number): string {
  const positional = values.kind === 'list' ? values.items : values.kind === 'dict' ? [] : [values];
  let next = 0;
  const out = template.replace(
    /%(\((\w+)\))?([sdir%])/g,
    (whole, _named, name: string | undefined, conversion: string) => {
      if (conversion === '%') return '%';
      let value: PythonValue | undefined;
      if (name !== undefined) {
        if (values.kind !== 'dict') throw new NotConvertible(`\`${whole}\` without a dict`, line);
        value = values.entries.find(([key]) => key.kind === 'str' && key.value === name)?.[1];
      } else {
        value = positional[next++];
      }
      if (value === undefined)
        throw new NotConvertible(`\`${whole}\` has no value to format`, line);
      if ((conversion === 'd' || conversion === 'i') && value.kind !== 'number') {
        throw new NotConvertible(`\`${whole}\` given a value that is not a number`, line);
      }
      if (conversion === 'r') throw new NotConvertible(`\`${whole}\` (repr)`, line);
      return conversion === 'd' || conversion === 'i'
        ? String(Math.trunc(Number(pythonStr(value, line))))
        : pythonStr(value, line);
    },
  );
  if (/%[^%(sdir]/.test(template.replace(/%%/g, ''))) {
    throw new NotConvertible('a `%` conversion other than %s, %d and %(name)s', line);
  }
  if (values.kind === 'list' && next !== positional.length) {
    throw new NotConvertible('`%` given more values than the string formats', line);
  }
  return out;
}

/** `template.format(*args, **kwargs)`. */
export function formatWithFormat(template: string, call: CallArguments, line: number): string {
  let next = 0;
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const name = field ?? '';
    if (/[!:.[]/.test(name)) throw new NotConvertible(`the format field \`${whole}\``, line);
    const value =
      name === ''
        ? call.args[next++]
        : /^\d+$/.test(name)
          ? call.args[Number(name)]
          : call.kwargs.get(name);
    if (value === undefined) throw new NotConvertible(`\`${whole}\` has no value to format`, line);
    return pythonStr(value, line);
  });
}
