// How a step is named in logs, the CLI's progress lines and the comments of offline SQL, in
// Alembic's words. Pure formatting: no database, no files.

import type { Step } from './plan.js';

/** Alembic's wording: `Running upgrade <parents> -> <rev>, <message>` and the reverse for downgrade. */
export function describeStep(step: Pick<Step, 'direction' | 'revision'>): string {
  const { revision } = step;
  const parents = revision.parents.join(', ');
  const [from, to] = step.direction === 'upgrade' ? [parents, revision.id] : [revision.id, parents];
  return `Running ${step.direction} ${from} -> ${to}, ${revision.message}`;
}
