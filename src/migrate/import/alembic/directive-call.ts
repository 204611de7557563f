// The arguments of one `op.*` (or `batch_op.*`) call as a directive renderer reads them: where its
// table is, its positional-or-keyword arguments, and names quoted for the dialect.

import type { DialectName } from '../../../db/dialect-name.js';
import {
  NotConvertible,
  describeValue,
  type CallArguments,
  type PythonValue,
} from './python-value.js';
import { quoteIdentifier, quoteTableName } from './render-sql-values.js';
import { nameOf } from './render-column.js';

// Where each directive takes its table (batch_op.* take it from the block instead).
const tableArgument: Readonly<Record<string, { index: number; keyword: string }>> = {
  drop_table: { index: 0, keyword: 'table_name' },
  rename_table: { index: 0, keyword: 'old_table_name' },
  add_column: { index: 0, keyword: 'table_name' },
  drop_column: { index: 0, keyword: 'table_name' },
  alter_column: { index: 0, keyword: 'table_name' },
  create_index: { index: 1, keyword: 'table_name' },
  drop_index: { index: 1, keyword: 'table_name' },
  create_unique_constraint: { index: 1, keyword: 'table_name' },
  create_check_constraint: { index: 1, keyword: 'table_name' },
  create_primary_key: { index: 1, keyword: 'table_name' },
  create_foreign_key: { index: 1, keyword: 'source_table' },
  drop_constraint: { index: 1, keyword: 'table_name' },
};

/** One directive call, ready to render. */
export class DirectiveCall {
  readonly line: number;
  readonly table: string;
  readonly schema: string | undefined;
  /** The table, quoted and schema-qualified as needed. */
  readonly tableSql: string;
  /** In a batch block every argument after the table moves one place left. */
  private readonly shift: number;

  constructor(
    readonly directive: string,
    readonly call: CallArguments,
    readonly batchTable: string | undefined,
    readonly dialect: DialectName,
  ) {
    this.line = call.line;
    this.shift = batchTable === undefined ? 0 : 1;
    const at = tableArgument[directive];
    if (at === undefined) throw new NotConvertible(`op.${directive}()`, this.line);
    // drop_index needs its table on MySQL only.
    const isTableOptional = directive === 'drop_index' && dialect !== 'mysql';
    this.table =
      batchTable ??
      (isTableOptional && this.argument(at.index, at.keyword, false) === undefined
        ? ''
        : this.name(at.index, at.keyword, `the table of ${directive}`, false));
    const schema = call.kwargs.get('schema');
    this.schema = schema?.kind === 'str' ? schema.value : undefined;
    this.tableSql = quoteTableName(this.table, dialect, this.schema);
  }

  /**
   * Positional argument `index` (counted as in `op.*`, table included) or keyword `keyword`.
   * `isAfterTable` false for arguments before the table (constraint and index names).
   */
  argument(index: number, keyword: string, isAfterTable = true): PythonValue | undefined {
    return this.call.kwargs.get(keyword) ?? this.call.args[index - (isAfterTable ? this.shift : 0)];
  }

  /** A name argument: a string or op.f('…'). */
  name(index: number, keyword: string, what: string, isAfterTable = true): string {
    const value = this.argument(index, keyword, isAfterTable);
    const name = nameOf(value, this.line);
    if (name === undefined)
      throw new NotConvertible(`${what} is ${describeValue(value)}`, this.line);
    return name;
  }

  /** A keyword argument that is a string, if given. */
  optionalString(keyword: string): string | undefined {
    const value = this.call.kwargs.get(keyword);
    return value?.kind === 'str' ? value.value : undefined;
  }

  quote(name: string): string {
    return quoteIdentifier(name, this.dialect);
  }

  fail(reason: string): never {
    throw new NotConvertible(reason, this.line);
  }
}

/** SQL given as a string or `sa.text('…')` (a check condition, an index expression). */
export function sqlTextOf(value: PythonValue | undefined): string | undefined {
  if (value?.kind === 'str') return value.value;
  if (value?.kind === 'call' && value.callee === 'sa.text' && value.call.args[0]?.kind === 'str') {
    return value.call.args[0].value;
  }
  return undefined;
}
