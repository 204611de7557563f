// One action of a revision function (raw SQL or an `op.*` directive) as the statements Alembic
// would send to a database of the given dialect, on its own (SQLite's table rebuilds for batch
// blocks need the tables' definitions: render-batch-rebuild.ts). Throws NotConvertible where
// the SQL cannot be written from the file.
// The per-dialect branches of the render-*.ts files reproduce SQLAlchemy's and Alembic's dialect
// implementations, not this project's adapters (db/dialects/), so they live with the importer.

import type { DialectName } from '../../../db/dialect-name.js';
import { DirectiveCall, sqlTextOf } from './directive-call.js';
import type { RevisionAction } from './revision-action.js';
import { describeValue } from './python-value.js';
import { renderAlterColumn } from './render-alter-column.js';
import { renderBulkInsert } from './render-bulk-insert.js';
import { renderConstraintDirective } from './render-constraint.js';
import { renderAddColumn, renderCreateTable } from './render-create-table.js';
import { fillBindParameters, quoteTableName } from './render-sql-values.js';

/** The statements of one action on one dialect, each without a trailing semicolon. */
export function renderAction(action: RevisionAction, dialect: DialectName): string[] {
  if (action.kind === 'sql') {
    return [
      action.parameters === undefined
        ? action.sql
        : fillBindParameters(action.sql, action.parameters, dialect, action.line),
    ];
  }
  if (action.directive === 'create_table') return renderCreateTable(action.call, dialect);
  if (action.directive === 'bulk_insert') return renderBulkInsert(action.call, dialect);
  // A batch block SQLite cannot run in place is a table rebuild (render-actions.ts).
  const call = new DirectiveCall(action.directive, action.call, action.batchTable, dialect);
  return renderTableDirective(call) ?? renderConstraintDirective(call);
}

/** Directives on tables, columns and indexes; undefined for the constraint directives. */
function renderTableDirective(call: DirectiveCall): string[] | undefined {
  const { tableSql, dialect } = call;
  switch (call.directive) {
    case 'drop_table':
      return [`DROP TABLE ${tableSql}`];
    case 'rename_table': {
      const newName = quoteTableName(call.name(1, 'new_table_name', 'the new table name'), dialect);
      return [`ALTER TABLE ${tableSql} RENAME TO ${newName}`];
    }
    case 'add_column': {
      const column = call.argument(1, 'column');
      if (column === undefined) return call.fail('add_column without a column');
      return renderAddColumn(call.table, call.schema, column, dialect, call.line);
    }
    case 'drop_column':
      return [
        `ALTER TABLE ${tableSql} DROP COLUMN ${call.quote(call.name(1, 'column_name', 'the column'))}`,
      ];
    case 'alter_column':
      return renderAlterColumn(call, call.name(1, 'column_name', 'the column'));
    case 'create_index':
      return [renderCreateIndex(call)];
    case 'drop_index': {
      const name = call.quote(call.name(0, 'index_name', 'the index name', false));
      if (dialect === 'mysql') return [`DROP INDEX ${name} ON ${tableSql}`];
      return [
        `DROP INDEX ${call.schema === undefined ? name : `${call.quote(call.schema)}.${name}`}`,
      ];
    }
    default:
      return undefined;
  }
}

function renderCreateIndex(call: DirectiveCall): string {
  const name = call.name(0, 'index_name', 'the index name', false);
  const value = call.argument(2, 'columns');
  const items = value?.kind === 'list' ? value.items : value === undefined ? [] : [value];
  const columns = items.map((item) => {
    if (item.kind === 'str') return call.quote(item.value);
    // An expression index: `sa.text('lower(name)')`.
    return sqlTextOf(item) ?? call.fail(`an index column given as ${describeValue(item)}`);
  });
  const unique = call.call.kwargs.get('unique');
  const isUnique = unique?.kind === 'bool' && unique.value;
  return `CREATE ${isUnique ? 'UNIQUE ' : ''}INDEX ${call.quote(name)} ON ${call.tableSql} (${columns.join(', ')})`;
}
