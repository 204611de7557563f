// Table rebuilds found in one section: the way SQLite changes what ALTER TABLE cannot (a type,
// a constraint, a column in a key), and the way some revisions do it elsewhere. Pure: reads the
// statement facts of the section in order.

import type { StatementFact } from './statement-facts.js';

/** One rebuild: rows of `table` copied into `newTable`, `table` dropped, `newTable` renamed. */
export interface TableRebuild {
  /** The table whose definition changes (its name before and after). */
  readonly table: string;
  /** The table built beside it and renamed to it (or, in `rename-first` order, the old one's new name). */
  readonly newTable: string;
  /**
   * `new-first`: create the new table, copy, drop the old, rename the new (SQLite's documented
   * order); `rename-first`: rename the old away, create the table under its name, copy, drop
   * the renamed old one.
   */
  readonly order: 'new-first' | 'rename-first';
  /** Statement indexes in the section. */
  readonly copyAt: number;
  readonly dropAt: number;
  /** Where the new table takes the old name (rename-first: where the old is renamed away). */
  readonly renameAt: number;
}

type SectionFacts = readonly (readonly StatementFact[])[];

/** Every rebuild of the section, in the order of their DROP TABLE. */
export function findTableRebuilds(section: SectionFacts): TableRebuild[] {
  const rebuilds: TableRebuild[] = [];
  section.forEach((facts, dropAt) => {
    for (const fact of facts) {
      if (fact.kind !== 'drop-table') continue;
      const dropped = key(fact.table);
      const copyAt = findIndex(
        section,
        0,
        dropAt,
        (f) => f.kind === 'write-rows' && (f.sources ?? []).some((s) => key(s) === dropped),
      );
      if (copyAt < 0) continue;
      const copy = section[copyAt]?.find((f) => f.kind === 'write-rows');
      const target = copy?.kind === 'write-rows' ? key(copy.table) : '';
      const newFirst = findIndex(
        section,
        dropAt + 1,
        section.length,
        (f) => f.kind === 'rename-table' && key(f.table) === target && key(f.to) !== target,
      );
      if (newFirst >= 0) {
        const rename = section[newFirst]?.find((f) => f.kind === 'rename-table');
        const table = rename?.kind === 'rename-table' ? rename.to : dropped;
        if (key(table) === dropped) {
          rebuilds.push({
            table,
            newTable: target,
            order: 'new-first',
            copyAt,
            dropAt,
            renameAt: newFirst,
          });
        }
        continue;
      }
      const renameAt = findIndex(
        section,
        0,
        copyAt,
        (f) => f.kind === 'rename-table' && key(f.to) === dropped && key(f.table) === target,
      );
      if (renameAt >= 0) {
        rebuilds.push({
          table: target,
          newTable: dropped,
          order: 'rename-first',
          copyAt,
          dropAt,
          renameAt,
        });
      }
    }
  });
  return rebuilds;
}

function findIndex(
  section: SectionFacts,
  from: number,
  to: number,
  test: (fact: StatementFact) => boolean,
): number {
  for (let i = from; i < to; i += 1) if (section[i]?.some(test)) return i;
  return -1;
}

function key(name: string): string {
  return name.toLowerCase();
}
