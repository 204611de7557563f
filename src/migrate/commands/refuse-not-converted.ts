// The plan-time check that a migration runs no revision marked not converted (`export const
// notConverted` in a JavaScript revision, `-- migrate:not-converted` in an SQL one): such a
// file holds only part of what its Alembic revision did, so running it would leave the schema
// half-migrated. Checked before the lock is taken and before the first statement, never mid-run.

import { DataRegistryError } from '../../shared/errors.js';
import type { Plan } from '../plan/plan.js';

/** @throws DataRegistryError REVISION_NOT_CONVERTED naming every marked revision of the plan. */
export function refuseNotConverted(plan: Plan): void {
  const marked = plan.steps.filter((step) => step.revision.notConverted !== undefined);
  if (marked.length === 0) return;
  const [first] = marked;
  const direction = first?.direction ?? 'upgrade';
  const list = marked
    .map((step) => `${step.revision.id} (${step.revision.path}: ${step.revision.notConverted})`)
    .join('; ');
  throw new DataRegistryError(
    'REVISION_NOT_CONVERTED',
    `The ${direction} would run ${marked.length === 1 ? 'a revision' : `${marked.length} revisions`} not converted from Alembic yet: ${list}. ` +
      'Convert each by hand (its Alembic source is kept in the file), delete its mark (the `notConverted` export of a JavaScript revision, the `-- migrate:not-converted` line of an SQL one), and run again; nothing was run.',
    { revisions: marked.map((step) => step.revision.id) },
  );
}
