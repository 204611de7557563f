// The front door of `check`'s lint: the graph and per-dialect rules over a versions folder.
// Outside code (the CLI's check command) imports this module only.

export {
  lintRevisions,
  type LintRevisionsOptions,
  type LintRevisionsResult,
} from './lint-revisions.js';
export type { Finding, Severity } from './finding.js';
export { assumedServerVersions, type ServerVersions } from './rule.js';
export { lintRules } from './rules/index.js';
