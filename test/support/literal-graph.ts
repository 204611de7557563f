// Revision graphs written as short strings, for the graph and planner tests:
// `graph('a; b<-a; c<-b; d<-b; m<-c,d')`. An entry is `id`, `id<-parent` or `id<-p1,p2`,
// optionally followed by ` @date` (the create date), separated by `;` or newlines.

import type { Revision } from '../../src/migrate/graph/revision.js';
import { RevisionGraph } from '../../src/migrate/graph/revision-graph.js';

/** One revision with test defaults: file `/versions/<id>.sql`, message `revision <id>`. */
export function revision(
  id: string,
  parents: readonly string[] = [],
  createDate?: string,
): Revision {
  return {
    id,
    parents,
    message: `revision ${id}`,
    createDate,
    path: `/versions/${id}.sql`,
    isTransactional: true,
    kind: 'sql',
  };
}

/** The revisions a literal describes, in the order written. */
export function revisions(spec: string): Revision[] {
  return spec
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [body = '', date] = entry.split('@').map((part) => part.trim());
      const [id = '', parentList] = body.split('<-').map((part) => part.trim());
      const parents = parentList ? parentList.split(',').map((p) => p.trim()) : [];
      return revision(id, parents, date);
    });
}

/** The graph a literal describes. */
export function graph(spec: string): RevisionGraph {
  return RevisionGraph.build(revisions(spec));
}

/** `count` revisions in a straight line: r00000 <- r00001 <- … (ids sort in chain order). */
export function chain(count: number, prefix = 'r'): Revision[] {
  const id = (i: number): string => `${prefix}${String(i).padStart(5, '0')}`;
  return Array.from({ length: count }, (_, i) => revision(id(i), i === 0 ? [] : [id(i - 1)]));
}

/** The ids of some revisions, to compare with deepEqual. */
export function ids(list: Iterable<{ readonly id: string }>): string[] {
  return [...list].map((r) => r.id);
}
