// Section 1 of `check`: the revision graph as findings. Every problem RevisionGraph.build reports
// becomes a finding; the offending link or file is then set aside and the graph built again, so
// that one run names every problem. The graph logic itself stays in graph/.

import { isDataRegistryError, type DataRegistryError } from '../../shared/errors.js';
import { RevisionGraph } from '../graph/revision-graph.js';
import type { Revision } from '../graph/revision.js';
import type { Finding } from './finding.js';
import type { RevisionFile } from './read-revision-files.js';

type AddFinding = (
  rule: string,
  revision: Revision | undefined,
  path: string,
  message: string,
  fix: string,
) => void;

/** The graph of what could be built (undefined when nothing could) and the graph findings. */
export function checkGraph(files: readonly RevisionFile[]): {
  graph: RevisionGraph | undefined;
  findings: Finding[];
} {
  const findings: Finding[] = [];
  const headerLine = (path: string, field: RegExp): number => {
    const index = files
      .find((f) => f.revision.path === path)
      ?.lines.findIndex((l) => field.test(l));
    return index === undefined || index < 0 ? 1 : index + 1;
  };
  const add: AddFinding = (rule, revision, path, message, fix) =>
    findings.push({
      rule,
      severity: 'error',
      revision: revision?.id,
      file: path,
      line: headerLine(path, rule === 'missing-parent' ? /revises\s*:/i : /revision id\s*:/i),
      dialect: undefined,
      statement: '',
      message,
      fix,
    });
  let revisions: Revision[] = files.map((f) => f.revision);
  for (let attempt = 0; attempt <= files.length; attempt += 1) {
    let graph: RevisionGraph;
    try {
      graph = RevisionGraph.build(revisions);
    } catch (error) {
      if (!isDataRegistryError(error)) throw error;
      revisions = setAside(error, revisions, add);
      continue;
    }
    const heads = graph.heads();
    const [first] = heads;
    if (heads.length > 1 && first !== undefined) {
      const named = heads.map((h) => `${h.id} (${h.path})`).join(', ');
      add(
        'multiple-heads',
        first,
        first.path,
        `The revision graph has ${heads.length} heads: ${named}; \`upgrade head\` cannot choose between them.`,
        'Run `dataregistry merge heads` to add a merge revision, or correct a "Revises:" line.',
      );
    }
    return { graph, findings };
  }
  return { graph: undefined, findings };
}

/** Reports one graph error and returns the revisions without what caused it. */
function setAside(error: DataRegistryError, revisions: Revision[], add: AddFinding): Revision[] {
  const { details } = error;
  const byId = (id: unknown) => revisions.find((r) => r.id === id);
  const path = typeof details.path === 'string' ? details.path : '';
  if (error.code === 'DUPLICATE_REVISION') {
    const second = (details.paths as string[])[1] ?? '';
    add(
      'duplicate-revision',
      byId(details.revision),
      second,
      error.message,
      'Give one of the files a new revision id.',
    );
    return revisions.filter((r) => r.path !== second);
  }
  if (error.code === 'MISSING_PARENT') {
    const child = byId(details.revision);
    add(
      'missing-parent',
      child,
      path,
      error.message,
      'Restore the missing file, or correct the "Revises:" line.',
    );
    return revisions.map((r) =>
      r === child ? { ...r, parents: r.parents.filter((p) => p !== details.parent) } : r,
    );
  }
  if (error.code === 'REVISION_CYCLE') {
    const ids = details.revisions as string[];
    const first = byId(ids[0]);
    add(
      'revision-cycle',
      first,
      first?.path ?? '',
      error.message,
      'Correct the "Revises:" line of one of them.',
    );
    return revisions.filter((r) => !ids.includes(r.id));
  }
  if (error.code === 'MALFORMED_REVISION_FILE') {
    add(
      'unparsable-revision',
      byId(details.revision),
      path,
      error.message,
      'Correct the revision id in the header.',
    );
    return revisions.filter((r) => r.path !== path);
  }
  throw error;
}
