// Rule sqlite-table-rebuild (SQLite): a table rebuilt out of the order SQLite documents
// (https://www.sqlite.org/lang_altertable.html#otheralter, the 12 steps): the old table renamed
// away first, its indexes not created again, or a table other tables reference dropped while
// foreign keys are enforced. The engine's SQLite connections enforce them (foreign_keys = ON),
// and PRAGMA foreign_keys is a no-op inside a transaction.

import { bothDirections, type LintRule, type RuleHit, type StatementContext } from '../rule.js';
import type { StatementFact } from '../statement-facts.js';
import type { TableRebuild } from '../table-rebuilds.js';

export const sqliteTableRebuild: LintRule = {
  id: 'sqlite-table-rebuild',
  severity: 'error',
  dialects: ['sqlite'],
  directions: bothDirections,
  why: 'Out of SQLite’s documented order a rebuild loses what the old table carried: renamed away first, the foreign keys, triggers and views naming it follow it and are left pointing at a dropped table; its indexes go with it; and with foreign keys enforced, DROP TABLE first deletes its rows, which fails or cascades into the tables that reference it.',
  fix: 'Follow the 12 steps: in a `-- migrate:no-transaction` revision, PRAGMA foreign_keys = OFF; BEGIN; CREATE TABLE new_t (…); INSERT INTO new_t SELECT … FROM t; DROP TABLE t; ALTER TABLE new_t RENAME TO t; create its indexes, triggers and views again; PRAGMA foreign_key_check; COMMIT; PRAGMA foreign_keys = ON. A table nothing references can skip the PRAGMAs and stay transactional.',
  check: (context) => [
    ...noOpPragma(context),
    ...context.rebuilds
      .filter((rebuild) => rebuild.dropAt === context.statementIndex)
      .flatMap((rebuild) =>
        rebuild.order === 'rename-first'
          ? [renameFirstHit(rebuild)]
          : [
              ...lostIndexes(context, rebuild),
              ...viewsAndTriggers(context, rebuild),
              ...droppedViewsNotCreated(context, rebuild),
              ...outsideTransaction(context, rebuild),
              ...foreignKeyHits(context, rebuild),
            ],
      ),
  ],
};

/** PRAGMA foreign_keys in a transactional revision: SQLite ignores it inside a transaction. */
function noOpPragma(context: StatementContext): RuleHit[] {
  if (!context.isTransactional) return [];
  return context.facts.some((f) => f.kind === 'pragma' && f.name === 'foreign_keys')
    ? [
        {
          message:
            'PRAGMA foreign_keys does nothing inside a transaction, and this revision runs in one: foreign keys stay enforced.',
          fix: 'Drop the PRAGMA when nothing references the rebuilt table; otherwise mark the revision `-- migrate:no-transaction` and wrap the rebuild in BEGIN … COMMIT between the two PRAGMAs.',
        },
      ]
    : [];
}

function renameFirstHit(rebuild: TableRebuild): RuleHit {
  return {
    message: `Table ${rebuild.table} is renamed to ${rebuild.newTable} before it is rebuilt: SQLite points the foreign keys, triggers and views that name ${rebuild.table} at ${rebuild.newTable}, which is then dropped.`,
    fix: `Create the new table under another name (new_${rebuild.table}), copy the rows into it, drop ${rebuild.table}, then rename new_${rebuild.table} to ${rebuild.table}.`,
  };
}

/**
 * Indexes the old table had that the section does not create again: on the new table, or on the
 * old name once the new table has taken it.
 */
function lostIndexes(context: StatementContext, rebuild: TableRebuild): RuleHit[] {
  const created = context.sectionFacts.flatMap((facts, at) =>
    facts.filter(
      (f): f is Extract<StatementFact, { kind: 'create-index' }> =>
        f.kind === 'create-index' &&
        (same(f.table, rebuild.newTable) ||
          (at > rebuild.renameAt && same(f.table, rebuild.table))),
    ),
  );
  // A downgrade section does not move the schema model, so its own DROP INDEX is read here.
  const droppedBefore = namesIn(context, 0, rebuild.dropAt, (f) =>
    f.kind === 'drop-index' ? f.index : undefined,
  );
  return context
    .indexesOn(rebuild.table)
    .filter(
      (index) =>
        !droppedBefore.has(index.name.toLowerCase()) &&
        !created.some(
          (f) =>
            (f.index !== undefined && same(f.index, index.name)) ||
            [...f.columns, ...(f.expressionColumns ?? [])].map(lower).join(',') ===
              index.columns.join(','),
        ),
    )
    .map((index) => ({
      message: `The rebuild of ${rebuild.table} drops index ${index.name.includes('#') ? `on (${index.columns.join(', ')})` : index.name} and does not create it again.`,
      fix: `Create the index again after ALTER TABLE ${rebuild.newTable} RENAME TO ${rebuild.table}.`,
    }));
}

/**
 * Views that still name the table when it is dropped make SQLite refuse the rename ("error in
 * view v: no such table"): they must be dropped before it and created again after. Its triggers
 * go with it and must be created again.
 */
function viewsAndTriggers(context: StatementContext, rebuild: TableRebuild): RuleHit[] {
  const createdAfter = new Set(
    context.sectionFacts
      .slice(rebuild.dropAt + 1)
      .flat()
      .flatMap((f) => (f.kind === 'create-trigger' ? [f.trigger.toLowerCase()] : [])),
  );
  const droppedBefore = namesIn(context, 0, rebuild.dropAt, (f) =>
    f.kind === 'drop-view' ? f.view : undefined,
  );
  const views = context
    .viewsNaming(rebuild.table)
    .filter((view) => !droppedBefore.has(view.toLowerCase()))
    .map((view) => ({
      message: `View ${view} names ${rebuild.table}: with it in place SQLite refuses ALTER TABLE ${rebuild.newTable} RENAME TO ${rebuild.table} ("error in view ${view}: no such table").`,
      fix: `DROP VIEW ${view} before DROP TABLE ${rebuild.table}, and create it again after the rename.`,
    }));
  const triggers = context
    .triggersOn(rebuild.table)
    .filter((trigger) => !createdAfter.has(trigger))
    .map((trigger) => ({
      message: `Trigger ${trigger} goes with table ${rebuild.table} and is not created again.`,
      fix: `Create trigger ${trigger} again after ALTER TABLE ${rebuild.newTable} RENAME TO ${rebuild.table}.`,
    }));
  return [...views, ...triggers];
}

/**
 * Views dropped in the section before the rebuild because they named the table (as they must
 * be) and not created again after the rename: the revision loses them. One meant to go for good
 * is allowed with a reason.
 */
function droppedViewsNotCreated(context: StatementContext, rebuild: TableRebuild): RuleHit[] {
  const droppedBefore = namesIn(context, 0, rebuild.dropAt, (f) =>
    f.kind === 'drop-view' ? f.view : undefined,
  );
  const createdAfter = namesIn(context, rebuild.renameAt + 1, context.sectionFacts.length, (f) =>
    f.kind === 'create-view' ? f.view : undefined,
  );
  return context
    .viewsDroppedNaming(rebuild.table)
    .filter(
      (view) => droppedBefore.has(view.toLowerCase()) && !createdAfter.has(view.toLowerCase()),
    )
    .map((view) => ({
      message: `View ${view} is dropped before the rebuild of ${rebuild.table} and not created again after it.`,
      fix: `CREATE VIEW ${view} again after ALTER TABLE ${rebuild.newTable} RENAME TO ${rebuild.table}; if it is meant to go, allow this with \`-- check:allow sqlite-table-rebuild <reason>\`.`,
    }));
}

/**
 * A `-- migrate:no-transaction` rebuild must bring its own BEGIN … COMMIT around the copy, drop
 * and rename: without it, a failure between DROP TABLE and the rename leaves the table gone.
 */
function outsideTransaction(context: StatementContext, rebuild: TableRebuild): RuleHit[] {
  if (context.isTransactional) return [];
  let open = false;
  let openAtCopy = false;
  context.sectionFacts.forEach((facts, at) => {
    for (const f of facts) if (f.kind === 'transaction-control') open = f.action === 'begin';
    if (at === rebuild.copyAt) openAtCopy = open;
  });
  let stillOpen = openAtCopy;
  for (const facts of context.sectionFacts.slice(rebuild.copyAt, rebuild.renameAt + 1)) {
    for (const f of facts) if (f.kind === 'transaction-control') stillOpen = f.action === 'begin';
  }
  if (openAtCopy && stillOpen) return [];
  return [
    {
      message: `The rebuild of ${rebuild.table} runs outside a transaction (the revision is \`-- migrate:no-transaction\`, and no BEGIN … COMMIT holds its copy, drop and rename): a failure between DROP TABLE ${rebuild.table} and the rename leaves the table gone.`,
      fix: `Put BEGIN; before CREATE TABLE ${rebuild.newTable} (after PRAGMA foreign_keys = OFF) and COMMIT; after the rename and PRAGMA foreign_key_check.`,
    },
  ];
}

function foreignKeyHits(context: StatementContext, rebuild: TableRebuild): RuleHit[] {
  const referencing = context.referencingTables(rebuild.table);
  const pragmas = context.sectionFacts.map((facts) =>
    facts.flatMap((f) => (f.kind === 'pragma' ? [f] : [])),
  );
  const turnedOff = pragmas
    .slice(0, rebuild.dropAt)
    .flat()
    .some((p) => p.name === 'foreign_keys' && isOff(p.value));
  const checked = pragmas
    .slice(rebuild.renameAt + 1)
    .flat()
    .some((p) => p.name === 'foreign_key_check');
  if (referencing.length > 0 && context.isTransactional) {
    return [
      {
        message: `${referencing.join(', ')} reference ${rebuild.table}: with foreign keys enforced, DROP TABLE ${rebuild.table} deletes its rows first (failing, or cascading into those tables), and PRAGMA foreign_keys cannot be turned off inside the revision's transaction.`,
      },
    ];
  }
  if (referencing.length > 0 && !turnedOff) {
    return [
      {
        message: `${referencing.join(', ')} reference ${rebuild.table}, but foreign keys are not turned off (PRAGMA foreign_keys = OFF) before it is dropped.`,
      },
    ];
  }
  if (turnedOff && !checked) {
    return [
      {
        message: `Foreign keys are off during the rebuild of ${rebuild.table}, and no PRAGMA foreign_key_check after it proves the copied rows still satisfy them.`,
        fix: `Run PRAGMA foreign_key_check after ALTER TABLE ${rebuild.newTable} RENAME TO ${rebuild.table}, before COMMIT.`,
      },
    ];
  }
  return [];
}

/** The names `nameOf` gives for the section's statements from `from` up to `to`, lower-cased. */
function namesIn(
  context: StatementContext,
  from: number,
  to: number,
  nameOf: (fact: StatementFact) => string | undefined,
): Set<string> {
  const names = context.sectionFacts.slice(from, to).flat().map(nameOf);
  return new Set(names.flatMap((name) => (name === undefined ? [] : [name.toLowerCase()])));
}

function isOff(value: string | undefined): boolean {
  return ['off', '0', 'false', 'no'].includes((value ?? '').toLowerCase());
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function lower(name: string): string {
  return name.toLowerCase();
}
