// The front door of `check`: the graph and per-dialect lint over a versions folder, the schema
// snapshot with its differences, the round trip and drift on real databases.
// Outside code (the CLI's check command) imports this module only.

export {
  lintRevisions,
  type LintRevisionsOptions,
  type LintRevisionsResult,
} from './lint-revisions.js';
export type { Finding, Severity } from './finding.js';
export { assumedServerVersions, type ServerVersions } from './rule.js';
export { lintRules } from './rules/index.js';
export {
  snapshotSchema,
  type ColumnSnapshot,
  type ConstraintSnapshot,
  type IndexSnapshot,
  type SchemaSnapshot,
  type TableSnapshot,
  type TriggerSnapshot,
  type ViewSnapshot,
} from './snapshot/schema-snapshot.js';
export {
  describeDifference,
  diffSchemas,
  isSameSchema,
  type SchemaDifference,
  type SchemaObject,
} from './snapshot/schema-difference.js';
export {
  checkRevisions,
  type CheckRevisionsOptions,
  type CheckRevisionsResult,
  type RoundTripOutcome,
} from './check-revisions.js';
export type {
  RoundTripProblem,
  RoundTripProblemKind,
  RoundTripReport,
  SkippedRevision,
} from './round-trip/round-trip-report.js';
export { checkDrift, type CheckDriftOptions, type DriftReport } from './drift/check-drift.js';
