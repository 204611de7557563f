// `check` as a whole: the lint (graph and rules), then the round trip on a temporary SQLite file
// and on a scratch database beside each `--db` server. Returns data; never prints.

import { dialectNames } from '../../db/dialect-name.js';
import { isDataRegistryError } from '../../shared/errors.js';
import { loadProject, type Project } from '../project.js';
import type { Finding } from './finding.js';
import {
  lintRevisions,
  type LintRevisionsOptions,
  type LintRevisionsResult,
} from './lint-revisions.js';
import { readRevisionFiles, type RevisionFile } from './read-revision-files.js';
import type { RoundTripReport } from './round-trip/round-trip-report.js';
import { roundTripFinding } from './round-trip/round-trip-finding.js';
import { runRoundTrip } from './round-trip/run-round-trip.js';
import { createScratchDatabase, type ScratchDatabase } from './round-trip/scratch-database.js';
import { readServerVersion, type ServerVersion } from './round-trip/server-version.js';
import type { ServerVersions } from './rule.js';

export interface CheckRevisionsOptions extends Omit<LintRevisionsOptions, 'serverVersions'> {
  /** Servers (`--db`) to round-trip on, each in a scratch database of its own. */
  readonly databases?: readonly string[] | undefined;
  /** False skips the round trip (lint only); default true. */
  readonly roundTrip?: boolean | undefined;
}

/** The round trip of one database, or why it did not run. */
export type RoundTripOutcome =
  | (RoundTripReport & { readonly status: 'passed' | 'failed' })
  | {
      readonly status: 'not run';
      readonly dialect: RoundTripReport['dialect'];
      readonly database: string;
      readonly reason: string;
    };

export interface CheckRevisionsResult extends LintRevisionsResult {
  /** One per database, the temporary SQLite file first. */
  readonly roundTrips: readonly RoundTripOutcome[];
  /** Which server versions were read from a database rather than assumed. */
  readonly serverVersionsRead: readonly (keyof ServerVersions)[];
}

/**
 * Lints the versions folder and round-trips its revisions on every database. A problem of the
 * round trip is also a finding (rule `round-trip`).
 *
 * @throws DataRegistryError DATABASE_UNAVAILABLE when a `--db` server cannot be reached (before
 *   anything runs), and what `lintRevisions` throws.
 */
export async function checkRevisions(
  options: CheckRevisionsOptions,
): Promise<CheckRevisionsResult> {
  const dialects = options.dialects ?? dialectNames;
  const scratch: ScratchDatabase[] = [];
  try {
    const wanted = options.roundTrip === false ? [] : (options.databases ?? []);
    if (options.roundTrip !== false && dialects.includes('sqlite')) {
      scratch.push(await createScratchDatabase());
    }
    for (const url of wanted) scratch.push(await createScratchDatabase(url));
    const versions = await Promise.all(scratch.map((s) => readServerVersion(s.handle)));
    const serverVersions = versionsRead(versions);
    const lint = await lintRevisions({ ...options, serverVersions });
    const roundTrips = await roundTripAll(options.folder, lint.findings, scratch, versions);
    const findings: Finding[] = [...lint.findings];
    for (const outcome of roundTrips) {
      if (outcome.status === 'failed') findings.push(roundTripFinding(outcome));
    }
    return {
      ...lint,
      findings,
      roundTrips,
      serverVersionsRead: Object.keys(serverVersions) as (keyof ServerVersions)[],
    };
  } finally {
    await Promise.all(scratch.map((s) => s.drop()));
  }
}

function versionsRead(versions: readonly ServerVersion[]): Partial<ServerVersions> {
  const read: Partial<Record<keyof ServerVersions, string>> = {};
  for (const v of versions) read[v.product] ??= v.version;
  return read;
}

async function roundTripAll(
  folder: string,
  lintFindings: readonly Finding[],
  scratch: readonly ScratchDatabase[],
  versions: readonly ServerVersion[],
): Promise<RoundTripOutcome[]> {
  if (scratch.length === 0) return [];
  const notRun = (reason: string) =>
    scratch.map((s): RoundTripOutcome => ({
      status: 'not run',
      dialect: s.dialect,
      database: s.displayUrl,
      reason,
    }));
  const graphProblem = lintFindings.find((f) => graphRules.has(f.rule));
  if (graphProblem !== undefined) {
    return notRun(`the revision graph has a problem (${graphProblem.rule}); correct it first`);
  }
  let project: Project;
  try {
    project = await loadProject(folder);
  } catch (error) {
    if (!isDataRegistryError(error)) throw error;
    return notRun(error.message);
  }
  const files = new Map<string, RevisionFile>(
    (await readRevisionFiles(folder)).files.map((f) => [f.revision.id, f]),
  );
  const outcomes: RoundTripOutcome[] = [];
  for (const [index, database] of scratch.entries()) {
    const report = await runRoundTrip({
      handle: database.handle,
      database: database.displayUrl,
      serverVersion: versions[index]?.reported ?? '',
      project,
      files,
    });
    outcomes.push({ ...report, status: report.problem === undefined ? 'passed' : 'failed' });
  }
  return outcomes;
}

/** Graph findings after which the engine cannot plan a run. */
const graphRules = new Set([
  'unparsable-revision',
  'duplicate-revision',
  'missing-parent',
  'revision-cycle',
]);
