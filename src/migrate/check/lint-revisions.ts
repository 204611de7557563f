// `check` without databases: the revision graph (section 1) and the per-dialect lint (section 2)
// of a versions folder, as findings. Reads files; never connects to a database, never prints.

import { dialectNames, type DialectName } from '../../db/dialect-name.js';
import { selectSection } from '../files/revision-file-format.js';
import { checkDowngrade } from './check-downgrades.js';
import { checkGraph } from './check-graph.js';
import type { Finding } from './finding.js';
import { lintSection } from './lint-section.js';
import { readRevisionFiles, type RevisionFile } from './read-revision-files.js';
import { loadPostgresParser } from './read-statement-facts.js';
import { assumedServerVersions, type ServerVersions } from './rule.js';
import { lintRules } from './rules/index.js';
import { SchemaModel } from './schema-model.js';
import { checkAllows, readAllows } from './suppression.js';

export interface LintRevisionsOptions {
  /** The versions folder. */
  readonly folder: string;
  /** The dialects the revisions run on; default all three. */
  readonly dialects?: readonly DialectName[] | undefined;
  /**
   * Report only revisions after this one (its descendants), as for a pull request; the whole
   * chain is still read so that rules know which tables existed before each revision.
   */
  readonly from?: string | undefined;
  /** Server versions read from `--db`; the others are assumed (see `assumedServerVersions`). */
  readonly serverVersions?: Partial<ServerVersions> | undefined;
}

export interface LintRevisionsResult {
  /** Graph findings first, then per revision in graph order; errors and warnings mixed. */
  readonly findings: readonly Finding[];
  /** How many revision files were read. */
  readonly revisions: number;
  /** The server versions the version-dependent rules assumed. */
  readonly serverVersions: ServerVersions;
}

/**
 * Checks the revision graph and lints every SQL revision for every dialect it runs on (its plain
 * section unless a dialect section replaces it), upgrade and downgrade sections alike.
 *
 * @throws DataRegistryError VERSIONS_FOLDER_NOT_FOUND when the folder does not exist,
 *   REVISION_NOT_FOUND when `from` names no revision.
 * @example const { findings } = await lintRevisions({ folder: 'migrations/versions', dialects: ['postgresql'] });
 */
export async function lintRevisions(options: LintRevisionsOptions): Promise<LintRevisionsResult> {
  const dialects = options.dialects ?? dialectNames;
  const serverVersions = { ...assumedServerVersions, ...options.serverVersions };
  if (dialects.includes('postgresql')) await loadPostgresParser();
  const read = await readRevisionFiles(options.folder);
  const { graph, findings: graphFindings } = checkGraph(read.files);
  const ordered = graph === undefined ? read.files : orderByGraph(read.files, graph.all());
  let reported = (_id: string) => true;
  if (options.from !== undefined && graph !== undefined) {
    const before = graph.appliedSet([graph.get(options.from).id]);
    reported = (id) => !before.has(id);
  }
  const findings: Finding[] = [...read.findings, ...graphFindings];
  const models = new Map(dialects.map((d) => [d, new SchemaModel()] as const));
  for (const file of ordered) {
    const fileFindings = lintFile(file, dialects, models, serverVersions);
    if (reported(file.revision.id)) findings.push(...fileFindings);
  }
  return { findings, revisions: read.files.length + read.findings.length, serverVersions };
}

function lintFile(
  file: RevisionFile,
  dialects: readonly DialectName[],
  models: ReadonlyMap<DialectName, SchemaModel>,
  serverVersions: ServerVersions,
): Finding[] {
  const { parsed, revision } = file;
  if (parsed === undefined) return [notAnalysedJs(file)];
  const allows = readAllows(file.lines, parsed.sections[0]?.line ?? file.lines.length);
  const findings = checkDowngrade(file, dialects);
  const read = new Set<number>();
  for (const dialect of dialects) {
    for (const direction of ['upgrade', 'downgrade'] as const) {
      const section = selectSection(parsed, direction, dialect);
      if (section === undefined) continue;
      read.add(section.line);
      const model = models.get(dialect) ?? new SchemaModel();
      findings.push(
        ...lintSection({
          file,
          section,
          dialect,
          direction,
          rules: lintRules,
          model,
          allows,
          serverVersions,
        }),
      );
    }
  }
  // Findings of several dialects on one plain statement read alike; keep one per rule and line.
  // A line belongs to the last section starting above it (none: the header, always read).
  const wasRead = (line: number) => {
    const section = parsed.sections.findLast((s) => s.line < line);
    return section === undefined || read.has(section.line);
  };
  return dedupe([...findings, ...checkAllows(allows, revision.path, revision.id, wasRead)]);
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = `${f.rule}\u0000${f.line}\u0000${f.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function orderByGraph(
  files: readonly RevisionFile[],
  order: readonly { path: string }[],
): RevisionFile[] {
  const byPath = new Map(files.map((f) => [f.revision.path, f]));
  const sorted = order.flatMap((r) => byPath.get(r.path) ?? []);
  // Files the graph set aside (duplicates, cycles) are still linted, after the others.
  return [...sorted, ...files.filter((f) => !sorted.includes(f))];
}

function notAnalysedJs(file: RevisionFile): Finding {
  return {
    rule: 'not-analysed',
    severity: 'warning',
    revision: file.revision.id,
    file: file.revision.path,
    line: 1,
    dialect: undefined,
    statement: '',
    message: `Revision ${file.revision.id} is a JavaScript module; check reads SQL revisions only.`,
    fix: 'Review its upgrade() and downgrade() by hand against the rules of docs/check.md.',
  };
}
