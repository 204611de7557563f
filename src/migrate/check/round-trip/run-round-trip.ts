// Section 3 of `check`: the round trip of every revision on one real, empty database. From base,
// each revision is upgraded, its schema snapshotted, downgraded and compared with the schema
// before it, then upgraded again; then `downgrade base` must leave nothing and `upgrade head`
// must build the same schema again. Uses the engine's own upgrade and downgrade.

import type { DatabaseHandle } from '../../../db/database-handle.js';
import { isDataRegistryError } from '../../../shared/errors.js';
import { downgrade, upgrade } from '../../commands/upgrade-downgrade.js';
import { selectSection } from '../../files/revision-file-format.js';
import { splitSqlStatements } from '../../files/split-sql-statements.js';
import { parseTarget } from '../../graph/parse-target.js';
import type { Revision } from '../../graph/revision.js';
import { planDowngrade } from '../../plan/plan.js';
import type { Project } from '../../project.js';
import { versionTableNames } from '../../run/version-table.js';
import type { RevisionFile } from '../read-revision-files.js';
import { describeDifference, diffSchemas, isSameSchema } from '../snapshot/schema-difference.js';
import { snapshotCache, snapshotSchema, type SchemaSnapshot } from '../snapshot/schema-snapshot.js';
import type { RoundTripProblem, RoundTripReport, SkippedRevision } from './round-trip-report.js';

export interface RoundTripOptions {
  readonly handle: DatabaseHandle;
  /** Where it runs, for the report. */
  readonly database: string;
  readonly serverVersion: string;
  readonly project: Project;
  /** The SQL files read by the lint, for the irreversible marks; JavaScript revisions have none. */
  readonly files: ReadonlyMap<string, RevisionFile>;
}

class Stop extends Error {
  constructor(readonly problem: RoundTripProblem) {
    super(problem.message);
  }
}

/** Runs the round trip on `handle`, which must be empty. Never throws for a revision's fault. */
export async function runRoundTrip(options: RoundTripOptions): Promise<RoundTripReport> {
  const { handle, project } = options;
  const names = versionTableNames();
  // The engine's own tables (version, history, and the lock table some dialects use) are left out.
  const isSchemaTable = (table: string) =>
    table !== names.version && !table.startsWith(`${names.version}_`);
  const cache = snapshotCache();
  const snapshot = () => snapshotSchema(handle, isSchemaTable, cache);
  const skipped: SkippedRevision[] = [];
  let checked = 0;
  const report = (problem: RoundTripProblem | undefined): RoundTripReport => ({
    dialect: handle.dialect.name,
    database: options.database,
    serverVersion: options.serverVersion,
    checked,
    skipped,
    problem,
  });
  try {
    const base = await snapshot();
    let before = base;
    let heads: readonly string[] = [];
    // The lowest point `downgrade` can reach: the last irreversible revision, else base.
    let floor: { target: string; schema: SchemaSnapshot } = { target: 'base', schema: base };
    // What was applied, and the schema, right after each revision's upgrade ('base': before any).
    const states = new Map<string, ReachedState>([['base', { applied: new Set(), schema: base }]]);
    for (const revision of project.graph.all()) {
      heads = await step('upgrade', handle, project, revision, revision.id);
      const after = await snapshot();
      states.set(revision.id, { applied: project.graph.appliedSet(heads), schema: after });
      const reason = irreversibleReason(options.files.get(revision.id), handle);
      const target = reason === undefined ? soleRevertTarget(project, heads, revision) : undefined;
      if (reason === undefined && target === undefined) {
        const parent = revision.parents.length === 1 ? (revision.parents[0] ?? 'base') : 'base';
        const parentState = revision.parents.length <= 1 ? states.get(parent) : undefined;
        if (parentState !== undefined && revertsTo(project, heads, parent, parentState)) {
          // Its branch cannot be downgraded alone: downgrading to its parent reverts the sibling
          // branches too, each of which was checked alone before, so together they must
          // restore the parent's schema. Then every head is upgraded again.
          await step('downgrade', handle, project, revision, parent);
          compare(parentState.schema, await snapshot(), (difference) => ({
            kind: 'downgrade-not-restoring',
            revision: revision.id,
            file: revision.path,
            statement: undefined,
            message: `Downgrading ${revision.id} with its sibling branches (to ${parent}) does not restore the schema of ${parent}.`,
            difference,
          }));
          for (const head of heads) await step('upgrade', handle, project, revision, head);
          checked++;
          before = after;
          continue;
        }
      }
      if (reason !== undefined || target === undefined) {
        skipped.push({
          revision: revision.id,
          reason:
            reason ?? 'it cannot be downgraded alone here: another branch descends from its parent',
        });
        if (reason !== undefined) floor = { target: revision.id, schema: after };
        before = after;
        continue;
      }
      await step('downgrade', handle, project, revision, target);
      compare(before, await snapshot(), (difference) => ({
        kind: 'downgrade-not-restoring',
        revision: revision.id,
        file: revision.path,
        statement: undefined,
        message: `Downgrading ${revision.id} does not restore the schema its upgrade started from.`,
        difference,
      }));
      await step('upgrade', handle, project, revision, revision.id);
      checked++;
      before = after;
    }
    const head = before;
    await migrateAll('downgrade', handle, project, floor.target);
    compare(floor.schema, await snapshot(), (difference) => ({
      kind: 'base-not-empty',
      revision: undefined,
      file: undefined,
      statement: undefined,
      message: `\`downgrade ${floor.target}\` after \`upgrade heads\` leaves the schema other than it found it.`,
      difference,
    }));
    await migrateAll('upgrade', handle, project, 'heads');
    compare(head, await snapshot(), (difference) => ({
      kind: 'head-differs',
      revision: undefined,
      file: undefined,
      statement: undefined,
      message: '`upgrade heads` after the downgrade builds another schema than the first time.',
      difference,
    }));
    return report(undefined);
  } catch (error) {
    if (error instanceof Stop) return report(error.problem);
    throw error;
  }
}

function compare(
  expected: SchemaSnapshot,
  actual: SchemaSnapshot,
  problem: (difference: string[]) => RoundTripProblem,
): void {
  const difference = diffSchemas(expected, actual);
  if (!isSameSchema(difference)) throw new Stop(problem(describeDifference(difference)));
}

/** Runs one upgrade or downgrade of `revision`; a failure stops the round trip. */
async function step(
  direction: 'upgrade' | 'downgrade',
  handle: DatabaseHandle,
  project: Project,
  revision: Revision,
  target: string,
): Promise<readonly string[]> {
  const command = direction === 'upgrade' ? upgrade : downgrade;
  try {
    return (await command(handle, project, target)).headsAfter;
  } catch (error) {
    throw asStop(error, direction, revision);
  }
}

async function migrateAll(
  direction: 'upgrade' | 'downgrade',
  handle: DatabaseHandle,
  project: Project,
  target: string,
): Promise<void> {
  const command = direction === 'upgrade' ? upgrade : downgrade;
  try {
    await command(handle, project, target);
  } catch (error) {
    throw asStop(error, direction, undefined);
  }
}

/** A failed revision becomes the report's problem; anything else (a lost server) propagates. */
function asStop(
  error: unknown,
  direction: 'upgrade' | 'downgrade',
  revision: Revision | undefined,
) {
  if (!isDataRegistryError(error) || error.code !== 'REVISION_FAILED') return error;
  const id = typeof error.details.revision === 'string' ? error.details.revision : revision?.id;
  const statement =
    typeof error.details.statement === 'string' ? error.details.statement : undefined;
  const cause = error.cause instanceof Error ? error.cause.message : error.message;
  return new Stop({
    kind: direction === 'upgrade' ? 'upgrade-failed' : 'downgrade-failed',
    revision: id,
    file: typeof error.details.path === 'string' ? error.details.path : revision?.path,
    statement,
    message: `${direction === 'upgrade' ? 'Upgrade' : 'Downgrade'} of ${id ?? 'a revision'} failed: ${cause}`,
    difference: [],
  });
}

interface ReachedState {
  readonly applied: ReadonlySet<string>;
  readonly schema: SchemaSnapshot;
}

/**
 * True when downgrading from `heads` to `parent` leaves applied exactly what was applied when
 * `parent` was reached, so that its schema then is what the downgrade must restore.
 */
function revertsTo(
  project: Project,
  heads: readonly string[],
  parent: string,
  reached: ReachedState,
): boolean {
  const plan = planDowngrade(project.graph, heads, parseTarget(parent));
  const reverted = new Set(plan.steps.map((s) => s.revision.id));
  const left = [...project.graph.appliedSet(heads)].filter((id) => !reverted.has(id));
  return left.length === reached.applied.size && left.every((id) => reached.applied.has(id));
}

/**
 * The target whose downgrade reverts `revision` alone (a current head): its parent, or base for
 * a root; undefined when that downgrade would revert other revisions too (a sibling branch).
 */
function soleRevertTarget(
  project: Project,
  heads: readonly string[],
  revision: Revision,
): string | undefined {
  const target = revision.parents[0] ?? 'base';
  const plan = planDowngrade(project.graph, heads, parseTarget(target));
  const only = plan.steps.length === 1 && plan.steps[0]?.revision.id === revision.id;
  return only ? target : undefined;
}

/**
 * The reason an SQL revision gives for having no downgrade on this dialect (its downgrade section
 * holds comments only), or undefined when it has one or its upgrade does nothing.
 */
function irreversibleReason(
  file: RevisionFile | undefined,
  handle: DatabaseHandle,
): string | undefined {
  if (file?.parsed === undefined) return undefined;
  const section = selectSection(file.parsed, 'downgrade', handle.dialect.name);
  if (section === undefined) return 'it has no downgrade section';
  if (splitSqlStatements(section.sql, handle.dialect.name).length > 0) return undefined;
  // Nothing to undo (a merge revision, say): an empty downgrade is the right one.
  const upgradeSection = selectSection(file.parsed, 'upgrade', handle.dialect.name);
  if (splitSqlStatements(upgradeSection?.sql ?? '', handle.dialect.name).length === 0) {
    return undefined;
  }
  const words = section.sql
    .split('\n')
    .map((line) => line.trim().replace(/^--\s*/, ''))
    .filter((line) => line !== '')
    .join(' ');
  return words === '' ? 'its downgrade section is empty' : words;
}
