// The constraint directives (create_unique_constraint, create_foreign_key, create_check_constraint,
// create_primary_key, drop_constraint) as ALTER TABLE statements. SQLite has no ALTER TABLE …
// ADD/DROP CONSTRAINT, and Alembic raises there too, so they are not converted for it.

import type { DirectiveCall } from './directive-call.js';
import { sqlTextOf } from './directive-call.js';
import { describeValue } from './python-value.js';
import { nameOf, renderForeignKey, strings } from './render-column.js';

export function renderConstraintDirective(call: DirectiveCall): string[] {
  const { directive, tableSql, dialect, line } = call;
  if (dialect === 'sqlite') {
    return call.fail(
      `${directive} on SQLite, which has no ALTER TABLE … ADD/DROP CONSTRAINT (Alembic raises too)`,
    );
  }
  const q = (n: string) => call.quote(n);
  if (directive === 'drop_constraint') {
    const name = q(call.name(0, 'constraint_name', 'the constraint name', false));
    if (dialect === 'mysql') {
      // MySQL drops each kind of constraint in its own words (Alembic's MySQL implementation).
      const type = call.optionalString('type_');
      if (type === 'foreignkey') return [`ALTER TABLE ${tableSql} DROP FOREIGN KEY ${name}`];
      if (type === 'unique') return [`ALTER TABLE ${tableSql} DROP INDEX ${name}`];
      if (type === 'primary') return [`ALTER TABLE ${tableSql} DROP PRIMARY KEY`];
      if (type === 'check') return [`ALTER TABLE ${tableSql} DROP CHECK ${name}`];
    }
    return [`ALTER TABLE ${tableSql} DROP CONSTRAINT ${name}`];
  }
  const name = nameOf(call.argument(0, 'constraint_name', false), line);
  const named = name === undefined ? '' : `CONSTRAINT ${q(name)} `;
  switch (directive) {
    case 'create_foreign_key': {
      const foreignKey = renderForeignKey(
        {
          name,
          columns: strings(call.argument(3, 'local_cols'), 'a local column', line),
          referredTable: call.name(2, 'referent_table', 'the referred table'),
          referredColumns: strings(call.argument(4, 'remote_cols'), 'a remote column', line),
          onDelete: call.optionalString('ondelete'),
          onUpdate: call.optionalString('onupdate'),
        },
        dialect,
      );
      return [`ALTER TABLE ${tableSql} ADD ${foreignKey}`];
    }
    case 'create_check_constraint': {
      const condition = call.argument(2, 'condition');
      const sql =
        sqlTextOf(condition) ?? call.fail(`a check condition given as ${describeValue(condition)}`);
      return [`ALTER TABLE ${tableSql} ADD ${named}CHECK (${sql})`];
    }
    case 'create_unique_constraint':
    case 'create_primary_key': {
      const columns = strings(call.argument(2, 'columns'), 'a constraint column', line)
        .map(q)
        .join(', ');
      const kind = directive === 'create_primary_key' ? 'PRIMARY KEY' : 'UNIQUE';
      return [`ALTER TABLE ${tableSql} ADD ${named}${kind} (${columns})`];
    }
    default:
      return call.fail(`op.${directive}()`);
  }
}
