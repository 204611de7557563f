import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget } from '../../../src/migrate/graph/parse-target.js';
import type { RevisionGraph } from '../../../src/migrate/graph/revision-graph.js';
import { RevisionGraph as Graph } from '../../../src/migrate/graph/revision-graph.js';
import {
  planDowngrade,
  planStamp,
  planUpgrade,
  type Plan,
} from '../../../src/migrate/plan/plan.js';
import { assertFails } from '../../support/assert-error.js';
import { chain, graph } from '../../support/literal-graph.js';

const linear = 'a; b<-a; c<-b; d<-c';
/** Branch point b; heads c and e. */
const branched = 'a; b<-a; c<-b; d<-b; e<-d';
/** branched, merged by m, then f. */
const merged = 'a; b<-a; c<-b; d<-b; e<-d; m<-c,e; f<-m';
/** Two base revisions, two heads. */
const twoRoots = 'a; b<-a; x; y<-x';

/**
 * Replays `plan` on the applied set of `heads` and checks every step against the rules: an
 * upgrade's parents are applied, a downgrade reverts a current head, each step's version change
 * turns its headsBefore into its headsAfter, and those are the maximal applied revisions.
 */
function replay(g: RevisionGraph, heads: readonly string[], plan: Plan): void {
  const applied = g.appliedSet(heads);
  let rows = [...new Set(heads)].sort();
  for (const step of plan.steps) {
    const id = step.revision.id;
    assert.deepEqual(step.headsBefore, rows, `headsBefore of ${step.direction} ${id}`);
    if (step.direction === 'upgrade') {
      assert.ok(!applied.has(id), `${id} applied twice`);
      for (const parent of step.revision.parents)
        assert.ok(applied.has(parent), `${id} before ${parent}`);
      applied.add(id);
    } else {
      assert.ok(applied.has(id), `${id} reverted but not applied`);
      assert.ok(!g.children(id).some((c) => applied.has(c.id)), `${id} reverted under a child`);
      applied.delete(id);
    }
    for (const row of step.versionChange.delete)
      assert.ok(rows.includes(row), `deletes missing row ${row}`);
    rows = [
      ...rows.filter((r) => !step.versionChange.delete.includes(r)),
      ...step.versionChange.insert,
    ].sort();
    assert.deepEqual(step.headsAfter, rows, `headsAfter of ${step.direction} ${id}`);
    const maximal = [...applied]
      .filter((r) => !g.children(r).some((c) => applied.has(c.id)))
      .sort();
    assert.deepEqual(rows, maximal, `version rows after ${step.direction} ${id}`);
  }
  assert.deepEqual(plan.headsAfter, rows);
}

function upgrade(spec: string, heads: readonly string[], target: string): Plan {
  const g = graph(spec);
  const plan = planUpgrade(g, heads, parseTarget(target));
  replay(g, heads, plan);
  return plan;
}

function downgrade(spec: string, heads: readonly string[], target: string): Plan {
  const g = graph(spec);
  const plan = planDowngrade(g, heads, parseTarget(target));
  replay(g, heads, plan);
  return plan;
}

function stamp(spec: string, heads: readonly string[], target: string): readonly string[] {
  return planStamp(graph(spec), heads, parseTarget(target)).headsAfter;
}

/** The steps as `+id` (upgrade) and `-id` (downgrade). */
function steps(plan: Plan): string[] {
  return plan.steps.map((s) => `${s.direction === 'upgrade' ? '+' : '-'}${s.revision.id}`);
}

/** Each step's version change as `deleted>inserted`, e.g. `c,e>m`. */
function changes(plan: Plan): string[] {
  return plan.steps.map(
    (s) => `${s.versionChange.delete.join(',')}>${s.versionChange.insert.join(',')}`,
  );
}

describe('planUpgrade: a straight chain', () => {
  test('upgrade head from base applies every revision oldest first, one version row at a time', () => {
    const plan = upgrade(linear, [], 'head');
    assert.deepEqual(steps(plan), ['+a', '+b', '+c', '+d']);
    assert.deepEqual(changes(plan), ['>a', 'a>b', 'b>c', 'c>d']);
    assert.deepEqual(plan.headsAfter, ['d']);
  });

  test('upgrade head from the middle applies only what is missing', () => {
    assert.deepEqual(steps(upgrade(linear, ['b'], 'head')), ['+c', '+d']);
  });

  test('upgrade head at head is an empty plan that keeps the heads', () => {
    const plan = upgrade(linear, ['d'], 'head');
    assert.deepEqual(plan.steps, []);
    assert.deepEqual(plan.headsAfter, ['d']);
  });

  test('upgrade to a revision stops there', () => {
    assert.deepEqual(steps(upgrade(linear, [], 'b')), ['+a', '+b']);
  });

  test('upgrade accepts a unique prefix of a revision id', () => {
    assert.deepEqual(steps(upgrade('ae10f2; ae1c09<-ae10f2', [], 'ae1c')), ['+ae10f2', '+ae1c09']);
  });

  test('upgrade to an already applied ancestor is a no-op, as in Alembic', () => {
    const plan = upgrade(linear, ['c'], 'a');
    assert.deepEqual(plan.steps, []);
    assert.deepEqual(plan.headsAfter, ['c']);
  });

  test('upgrade base is a no-op, as in Alembic', () => {
    assert.deepEqual(upgrade(linear, ['c'], 'base').steps, []);
    assert.deepEqual(upgrade(linear, [], 'base').headsAfter, []);
  });

  test('upgrade +N applies N revisions from the current head', () => {
    assert.deepEqual(steps(upgrade(linear, ['a'], '+2')), ['+b', '+c']);
    assert.deepEqual(steps(upgrade(linear, [], '+1')), ['+a']);
    assert.deepEqual(steps(upgrade(linear, [], '+4')), ['+a', '+b', '+c', '+d']);
  });

  test('upgrade -N is refused, pointing to downgrade', () => {
    assertFails(
      () => upgrade(linear, ['c'], '-1'),
      'INVALID_TARGET',
      'upgrade -1',
      '`dataregistry downgrade -1`',
    );
  });

  test('upgrade <rev>+N counts from that revision, not from the database', () => {
    assert.deepEqual(steps(upgrade(linear, [], 'a+2')), ['+a', '+b', '+c']);
    assert.deepEqual(steps(upgrade(linear, ['b'], 'a+2')), ['+c']);
  });

  test('upgrade <rev>-N and head-N count down from a revision', () => {
    assert.deepEqual(steps(upgrade(linear, [], 'd-2')), ['+a', '+b']);
    assert.deepEqual(steps(upgrade(linear, [], 'head-1')), ['+a', '+b', '+c']);
    assert.deepEqual(steps(upgrade(linear, ['a'], 'heads-1')), ['+b', '+c']);
  });

  test('upgrade base+N counts up from base', () => {
    assert.deepEqual(steps(upgrade(linear, [], 'base+2')), ['+a', '+b']);
  });

  test('upgrade <rev>+0 is the revision itself', () => {
    assert.deepEqual(steps(upgrade(linear, [], 'b+0')), ['+a', '+b']);
  });

  test('upgrade refuses current heads the graph does not know', () => {
    assertFails(() => upgrade(linear, ['gone'], 'head'), 'REVISION_NOT_FOUND', 'gone');
  });
});

describe('planUpgrade: branches and merges', () => {
  test('upgrade heads applies every branch; a second branch adds a version row', () => {
    const plan = upgrade(branched, [], 'heads');
    assert.deepEqual(steps(plan), ['+a', '+b', '+c', '+d', '+e']);
    assert.deepEqual(changes(plan), ['>a', 'a>b', 'b>c', '>d', 'd>e']);
    assert.deepEqual(plan.headsAfter, ['c', 'e']);
  });

  test('upgrade heads when every head is applied is an empty plan', () => {
    assert.deepEqual(upgrade(branched, ['c', 'e'], 'heads').steps, []);
  });

  test('upgrade heads completes the branch that is behind', () => {
    assert.deepEqual(steps(upgrade(branched, ['c', 'd'], 'heads')), ['+e']);
  });

  test('upgrade to a revision on another branch starts that branch beside the current head', () => {
    const plan = upgrade(branched, ['c'], 'e');
    assert.deepEqual(steps(plan), ['+d', '+e']);
    assert.deepEqual(changes(plan), ['>d', 'd>e']);
    assert.deepEqual(plan.headsAfter, ['c', 'e']);
  });

  test('upgrade to a merge point applies its missing parents first, then deletes both parent rows', () => {
    const plan = upgrade(merged, ['c'], 'm');
    assert.deepEqual(steps(plan), ['+d', '+e', '+m']);
    assert.deepEqual(changes(plan), ['>d', 'd>e', 'c,e>m']);
    assert.deepEqual(plan.headsAfter, ['m']);
  });

  test('upgrade head across a merge point reaches a single head from two', () => {
    const plan = upgrade(merged, ['c', 'e'], 'head');
    assert.deepEqual(steps(plan), ['+m', '+f']);
    assert.deepEqual(changes(plan), ['c,e>m', 'm>f']);
  });

  test('upgrade head from base through a branch and a merge applies every revision once', () => {
    assert.deepEqual(steps(upgrade(merged, [], 'head')), [
      '+a',
      '+b',
      '+c',
      '+d',
      '+e',
      '+m',
      '+f',
    ]);
  });

  test('pending branches are applied in create-date order, then by id', () => {
    const spec =
      'a @2024-01-01; z<-a @2024-01-02; y<-a @2024-01-03; z2<-z @2024-01-04; m<-y,z2 @2024-01-05';
    assert.deepEqual(steps(upgrade(spec, [], 'head')), ['+a', '+z', '+y', '+z2', '+m']);
  });

  test('upgrade heads applies every base revision of a graph with two roots', () => {
    const plan = upgrade(twoRoots, [], 'heads');
    assert.deepEqual(steps(plan), ['+a', '+b', '+x', '+y']);
    assert.deepEqual(changes(plan), ['>a', 'a>b', '>x', 'x>y']);
    assert.deepEqual(plan.headsAfter, ['b', 'y']);
  });

  test('upgrade +N stops being ambiguous once the database is past the branch point', () => {
    assert.deepEqual(steps(upgrade(branched, ['d'], '+1')), ['+e']);
  });

  test('upgrade +1 to a merge point also applies its other parent, as Alembic does', () => {
    assert.deepEqual(steps(upgrade(merged, ['c'], '+1')), ['+d', '+e', '+m']);
  });

  test('upgrade <merge>-1 applies both parents of the merge point but not the merge point', () => {
    const plan = upgrade(merged, [], 'm-1');
    assert.deepEqual(steps(plan), ['+a', '+b', '+c', '+d', '+e']);
    assert.deepEqual(plan.headsAfter, ['c', 'e']);
  });
});

describe('planUpgrade: an empty graph', () => {
  test('upgrade head and upgrade heads plan nothing', () => {
    assert.deepEqual(upgrade('', [], 'head'), { steps: [], headsAfter: [] });
    assert.deepEqual(upgrade('', [], 'heads'), { steps: [], headsAfter: [] });
  });
});

describe('planDowngrade: a straight chain', () => {
  test('downgrade -1 reverts the current head, putting its parent back in the version table', () => {
    const plan = downgrade(linear, ['d'], '-1');
    assert.deepEqual(steps(plan), ['-d']);
    assert.deepEqual(changes(plan), ['d>c']);
    assert.deepEqual(plan.headsAfter, ['c']);
  });

  test('downgrade -N reverts N revisions, newest first', () => {
    assert.deepEqual(steps(downgrade(linear, ['d'], '-3')), ['-d', '-c', '-b']);
    assert.deepEqual(steps(downgrade(linear, ['c'], '-3')), ['-c', '-b', '-a']);
  });

  test('downgrade base reverts everything, the last step emptying the version table', () => {
    const plan = downgrade(linear, ['d'], 'base');
    assert.deepEqual(steps(plan), ['-d', '-c', '-b', '-a']);
    assert.deepEqual(changes(plan), ['d>c', 'c>b', 'b>a', 'a>']);
    assert.deepEqual(plan.headsAfter, []);
  });

  test('downgrade base with nothing applied is an empty plan', () => {
    assert.deepEqual(downgrade(linear, [], 'base'), { steps: [], headsAfter: [] });
  });

  test('downgrade <rev> reverts what came after it and leaves it applied', () => {
    const plan = downgrade(linear, ['d'], 'b');
    assert.deepEqual(steps(plan), ['-d', '-c']);
    assert.deepEqual(plan.headsAfter, ['b']);
  });

  test('downgrade to the current head is an empty plan', () => {
    assert.deepEqual(downgrade(linear, ['c'], 'c').steps, []);
    assert.deepEqual(downgrade(linear, ['d'], 'head').steps, []);
  });

  test('downgrade to a revision that is not applied is refused, pointing to upgrade', () => {
    assertFails(
      () => downgrade(linear, ['b'], 'd'),
      'INVALID_TARGET',
      'downgrade d',
      'd is not applied',
      'the database is at b',
      '`dataregistry upgrade d`',
    );
  });

  test('downgrade head when the database is behind is refused, pointing to upgrade', () => {
    assertFails(
      () => downgrade(linear, ['b'], 'head'),
      'INVALID_TARGET',
      'downgrade head',
      '`dataregistry upgrade head`',
    );
    assertFails(() => downgrade(linear, [], 'a'), 'INVALID_TARGET', 'the database is at base');
  });

  test('downgrade +N is refused, pointing to upgrade', () => {
    assertFails(
      () => downgrade(linear, ['b'], '+1'),
      'INVALID_TARGET',
      'downgrade +1',
      '`dataregistry upgrade +1`',
    );
  });

  test('downgrade <rev>-N counts down from that revision', () => {
    assert.deepEqual(steps(downgrade(linear, ['d'], 'd-2')), ['-d', '-c']);
    assert.deepEqual(steps(downgrade(linear, ['d'], 'head-1')), ['-d']);
  });

  test('downgrade <rev>-N reaching base reverts everything', () => {
    assert.deepEqual(steps(downgrade(linear, ['c'], 'b-2')), ['-c', '-b', '-a']);
  });

  test('downgrade <rev>+N is allowed when it lands on an applied revision', () => {
    assert.deepEqual(steps(downgrade(linear, ['d'], 'a+1')), ['-d', '-c']);
  });
});

describe('planDowngrade: branches and merges', () => {
  test('downgrade -1 from a merge point reverts the merge point and restores both parent rows', () => {
    const plan = downgrade(merged, ['m'], '-1');
    assert.deepEqual(steps(plan), ['-m']);
    assert.deepEqual(changes(plan), ['m>c,e']);
    assert.deepEqual(plan.headsAfter, ['c', 'e']);
  });

  test('downgrade -2 whose last step leaves a merge point reverts down to both parents', () => {
    assert.deepEqual(steps(downgrade(merged, ['f'], '-2')), ['-f', '-m']);
  });

  test('downgrade to a branch point reverts both branches, newest first', () => {
    const plan = downgrade(branched, ['c', 'e'], 'b');
    assert.deepEqual(steps(plan), ['-e', '-d', '-c']);
    // d's parent b keeps no row while c is applied; reverting c brings b back.
    assert.deepEqual(changes(plan), ['e>d', 'd>', 'c>b']);
    assert.deepEqual(plan.headsAfter, ['b']);
  });

  test('downgrade within one branch leaves the other branch alone', () => {
    const plan = downgrade(branched, ['c', 'e'], 'd');
    assert.deepEqual(steps(plan), ['-e']);
    assert.deepEqual(plan.headsAfter, ['c', 'd']);
  });

  test('downgrade to one parent of a merge point reverts the merge point and keeps the other parent', () => {
    const plan = downgrade(merged, ['f'], 'c');
    assert.deepEqual(steps(plan), ['-f', '-m']);
    assert.deepEqual(plan.headsAfter, ['c', 'e']);
  });

  test('downgrade below a merge point reverts everything that descends from the target', () => {
    const plan = downgrade(merged, ['f'], 'd');
    assert.deepEqual(steps(plan), ['-f', '-m', '-e']);
    assert.deepEqual(plan.headsAfter, ['c', 'd']);
  });

  test('downgrade to a base revision of one root leaves the other root applied', () => {
    const plan = downgrade(twoRoots, ['b', 'y'], 'x');
    assert.deepEqual(steps(plan), ['-y']);
    assert.deepEqual(plan.headsAfter, ['b', 'x']);
  });

  test('downgrade base reverts every branch and every root', () => {
    const plan = downgrade(merged, ['f'], 'base');
    assert.deepEqual(steps(plan), ['-f', '-m', '-e', '-d', '-c', '-b', '-a']);
    assert.deepEqual(downgrade(twoRoots, ['b', 'y'], 'base').headsAfter, []);
  });

  test('downgrade to a revision on a branch that is not applied is refused', () => {
    assertFails(
      () => downgrade(branched, ['c'], 'e'),
      'INVALID_TARGET',
      'e is not applied',
      'upgrade e',
    );
  });

  test('downgrade heads when every head is applied is an empty plan', () => {
    assert.deepEqual(downgrade(branched, ['c', 'e'], 'heads').steps, []);
  });

  test('downgrade heads when a head is not applied is refused, naming it', () => {
    assertFails(() => downgrade(branched, ['c'], 'heads'), 'INVALID_TARGET', 'e is not applied');
  });
});

describe('planStamp', () => {
  test('stamp head records the single head', () => {
    assert.deepEqual(stamp(linear, [], 'head'), ['d']);
    assert.deepEqual(stamp(linear, ['b'], 'head'), ['d']);
  });

  test('stamp heads records every head whatever was there', () => {
    assert.deepEqual(stamp(branched, ['b'], 'heads'), ['c', 'e']);
    assert.deepEqual(stamp(twoRoots, ['a'], 'heads'), ['b', 'y']);
  });

  test('stamp base empties the version table', () => {
    assert.deepEqual(stamp(branched, ['c', 'e'], 'base'), []);
  });

  test('stamp <rev> replaces the current head below it on its line', () => {
    assert.deepEqual(stamp(linear, ['b'], 'd'), ['d']);
  });

  test('stamp <rev> replaces the current head above it on its line', () => {
    assert.deepEqual(stamp(linear, ['d'], 'b'), ['b']);
  });

  test('stamp <rev> on another branch keeps the current head of the first branch', () => {
    assert.deepEqual(stamp(branched, ['c'], 'e'), ['c', 'e']);
    assert.deepEqual(stamp(twoRoots, ['b'], 'x'), ['b', 'x']);
  });

  test('stamp <rev> below two heads replaces both', () => {
    assert.deepEqual(stamp(branched, ['c', 'e'], 'b'), ['b']);
  });

  test('stamp a merge point replaces both parent heads', () => {
    assert.deepEqual(stamp(merged, ['c', 'e'], 'm'), ['m']);
  });

  test('stamp the current head changes nothing', () => {
    assert.deepEqual(stamp(branched, ['c', 'e'], 'c'), ['c', 'e']);
  });

  test('stamp <rev> on an empty version table records the revision', () => {
    assert.deepEqual(stamp(linear, [], 'c'), ['c']);
  });

  test('stamp accepts a unique prefix and refuses an unknown one', () => {
    assert.deepEqual(stamp('ae10f2; ae1c09<-ae10f2', [], 'ae1c'), ['ae1c09']);
    assertFails(() => stamp(linear, [], 'zz'), 'REVISION_NOT_FOUND', 'zz');
  });

  test('stamp -N and +N count from the current head', () => {
    assert.deepEqual(stamp(linear, ['d'], '-2'), ['b']);
    assert.deepEqual(stamp(linear, ['b'], '+1'), ['c']);
    assert.deepEqual(stamp(linear, ['a'], '-1'), []);
    assert.deepEqual(stamp(merged, ['m'], '-1'), ['c', 'e']);
  });

  test('stamp <rev>-N and head-N count from a revision', () => {
    assert.deepEqual(stamp(linear, [], 'head-1'), ['c']);
    assert.deepEqual(stamp(linear, ['a'], 'd-2'), ['b']);
  });
});

describe('long chains', () => {
  const long = Graph.build(chain(5_000));
  const first = 'r00000';
  const last = 'r04999';

  test('upgrade head plans 5,000 steps without overflowing the stack', () => {
    const plan = planUpgrade(long, [], parseTarget('head'));
    assert.equal(plan.steps.length, 5_000);
    replay(long, [], plan);
    assert.deepEqual(plan.headsAfter, [last]);
  });

  test('downgrade base plans 5,000 steps, newest first', () => {
    const plan = planDowngrade(long, [last], parseTarget('base'));
    assert.equal(plan.steps.length, 5_000);
    assert.equal(plan.steps[0]?.revision.id, last);
    assert.equal(plan.steps.at(-1)?.revision.id, first);
    replay(long, [last], plan);
  });

  test('relative targets walk thousands of steps', () => {
    assert.equal(planUpgrade(long, [], parseTarget('+4999')).steps.length, 4_999);
    assert.equal(planDowngrade(long, [last], parseTarget('-4999')).headsAfter[0], first);
    assert.deepEqual(planStamp(long, [last], parseTarget('-5000')).headsAfter, []);
    assertFails(
      () => planDowngrade(long, [last], parseTarget('-5001')),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'only 5000 revisions are applied',
    );
  });

  test('upgrade head at head on a long chain is an empty plan', () => {
    assert.deepEqual(planUpgrade(long, [last], parseTarget('head')).steps, []);
  });
});
