// The actions of one revision function, in order, as the statements of one dialect: each action
// rendered with the tables as the actions before it left them, and each batch_alter_table block
// that SQLite cannot run in place rendered as one table rebuild (render-batch-rebuild.ts).

import type { DialectName } from '../../../db/dialect-name.js';
import { DirectiveCall } from './directive-call.js';
import type { KnownTables } from './known-tables.js';
import type { RevisionAction } from './revision-action.js';
import { renderAction } from './render-action.js';
import { isInPlaceOnSqlite, renderSqliteRebuild } from './render-batch-rebuild.js';

/**
 * Renders `actions` for `dialect`, following them in `tables` (changed in place).
 * @throws NotConvertible at the first action that cannot be rendered (the statements before it
 *   are passed to `onStatements` already).
 */
export function renderActions(
  actions: readonly RevisionAction[],
  dialect: DialectName,
  tables: KnownTables,
  onStatements: (statements: readonly string[], line: number) => void,
): void {
  for (let i = 0; i < actions.length;) {
    const action = actions[i]!;
    const block = dialect === 'sqlite' ? batchBlockAt(actions, i) : [];
    const isRebuilt = block.some(
      (a) => !isInPlaceOnSqlite(new DirectiveCall(a.directive, a.call, a.batchTable, dialect)),
    );
    if (isRebuilt) {
      onStatements(renderSqliteRebuild(block, tables), action.line);
      for (const done of block) tables.apply(done);
      i += block.length;
      continue;
    }
    onStatements(renderAction(action, dialect), action.line);
    tables.apply(action);
    i += 1;
  }
}

/** The directives of the batch block that starts at `start` (none if no block starts there). */
function batchBlockAt(
  actions: readonly RevisionAction[],
  start: number,
): Extract<RevisionAction, { kind: 'op' }>[] {
  const first = actions[start];
  if (first?.kind !== 'op' || first.batchBlock === undefined) return [];
  const block: Extract<RevisionAction, { kind: 'op' }>[] = [];
  for (let i = start; i < actions.length; i++) {
    const action = actions[i]!;
    if (action.kind !== 'op' || action.batchBlock !== first.batchBlock) break;
    block.push(action);
  }
  return block;
}
