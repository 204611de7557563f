// SQLAlchemy's common types (`sa.Integer()`, `sa.String(50)`, `sa.Numeric(10, 2)`…) as the DDL
// SQLAlchemy's dialects emit for them. A type outside this list is not guessed.

import type { DialectName } from '../../../db/dialect-name.js';
import { NotConvertible, describeValue, type PythonValue } from './python-value.js';

/** The type's name without `sa.` and its arguments, from `sa.String(50)` or `sa.Text`. */
export function typeCallOf(
  value: PythonValue,
  line: number,
): { name: string; args: readonly PythonValue[]; kwargs: ReadonlyMap<string, PythonValue> } {
  if (value.kind === 'name' && value.dotted.startsWith('sa.')) {
    return { name: value.dotted.slice(3), args: [], kwargs: new Map() };
  }
  if (value.kind === 'call' && value.callee.startsWith('sa.')) {
    return { name: value.callee.slice(3), args: value.call.args, kwargs: value.call.kwargs };
  }
  throw new NotConvertible(`the column type ${describeValue(value)}`, line);
}

export function isIntegerType(value: PythonValue): boolean {
  return (
    (value.kind === 'name' || value.kind === 'call') &&
    /^sa\.(Integer|BigInteger|SmallInteger|INTEGER|BIGINT|SMALLINT)$/.test(
      value.kind === 'name' ? value.dotted : value.callee,
    )
  );
}

/** The DDL of the type on `dialect`. */
export function renderColumnType(value: PythonValue, dialect: DialectName, line: number): string {
  const { name, args, kwargs } = typeCallOf(value, line);
  const argument = (index: number, keyword: string): number | undefined => {
    const given = kwargs.get(keyword) ?? args[index];
    if (given === undefined || given.kind === 'none') return undefined;
    if (given.kind !== 'number')
      throw new NotConvertible(`${name}(${keyword}=${describeValue(given)})`, line);
    return given.value;
  };
  const length = (base: string): string => {
    const n = argument(0, 'length');
    if (n === undefined && dialect === 'mysql') {
      // SQLAlchemy refuses it too: "VARCHAR requires a length on dialect mysql".
      throw new NotConvertible(`${name}() without a length on MySQL`, line);
    }
    return n === undefined ? base : `${base}(${n})`;
  };
  switch (name) {
    case 'Integer':
    case 'INTEGER':
      return 'INTEGER';
    case 'BigInteger':
    case 'BIGINT':
      return 'BIGINT';
    case 'SmallInteger':
    case 'SMALLINT':
      return 'SMALLINT';
    case 'String':
    case 'Unicode':
    case 'VARCHAR':
      return length('VARCHAR');
    case 'CHAR':
      return length('CHAR');
    case 'Text':
    case 'UnicodeText':
    case 'TEXT':
      return 'TEXT';
    case 'Boolean':
    case 'BOOLEAN':
      return dialect === 'mysql' ? 'BOOL' : 'BOOLEAN';
    case 'DateTime':
    case 'DATETIME':
    case 'TIMESTAMP': {
      const withZone = kwargs.get('timezone') ?? args[0];
      const zoned = withZone?.kind === 'bool' && withZone.value;
      if (name === 'TIMESTAMP')
        return dialect === 'postgresql'
          ? `TIMESTAMP ${zoned ? 'WITH' : 'WITHOUT'} TIME ZONE`
          : 'TIMESTAMP';
      if (dialect === 'postgresql') return `TIMESTAMP ${zoned ? 'WITH' : 'WITHOUT'} TIME ZONE`;
      return 'DATETIME';
    }
    case 'Date':
    case 'DATE':
      return 'DATE';
    case 'Time':
    case 'TIME':
      return dialect === 'postgresql' ? 'TIME WITHOUT TIME ZONE' : 'TIME';
    case 'Float':
    case 'FLOAT': {
      const precision = argument(0, 'precision');
      return precision === undefined ? 'FLOAT' : `FLOAT(${precision})`;
    }
    case 'Numeric':
    case 'NUMERIC':
    case 'DECIMAL': {
      const precision = argument(0, 'precision');
      const scale = argument(1, 'scale');
      const base = name === 'DECIMAL' ? 'DECIMAL' : 'NUMERIC';
      if (precision === undefined) return base;
      return scale === undefined ? `${base}(${precision})` : `${base}(${precision}, ${scale})`;
    }
    case 'LargeBinary':
    case 'BLOB':
      return dialect === 'postgresql' ? 'BYTEA' : 'BLOB';
    case 'JSON':
      return 'JSON';
    default:
      throw new NotConvertible(
        `the column type sa.${name} (not among the common types the importer renders)`,
        line,
      );
  }
}
