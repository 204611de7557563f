import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange } from '../../../src/migrate/graph/parse-target.js';
import { RevisionGraph } from '../../../src/migrate/graph/revision-graph.js';
import { selectHistory } from '../../../src/migrate/plan/history-range.js';
import { assertFails } from '../../support/assert-error.js';
import { chain, graph, ids } from '../../support/literal-graph.js';

const linear = 'a; b<-a; c<-b; d<-c';
/** Branch point b; heads c and e. */
const branched = 'a; b<-a; c<-b; d<-b; e<-d';
/** branched, merged by m, then f. */
const merged = 'a; b<-a; c<-b; d<-b; e<-d; m<-c,e; f<-m';
const twoRoots = 'a; b<-a; x; y<-x';

function history(
  spec: string,
  range: string | undefined,
  current: readonly string[] = [],
): string[] {
  return ids(selectHistory(graph(spec), range === undefined ? {} : parseRange(range), current));
}

describe('selectHistory: open ranges', () => {
  test('no range lists every revision, newest first', () => {
    assert.deepEqual(history(merged, undefined), ['f', 'm', 'e', 'd', 'c', 'b', 'a']);
  });

  test('an empty range object means everything, as commands.ts passes it', () => {
    assert.deepEqual(ids(selectHistory(graph(linear), {}, [])), ['d', 'c', 'b', 'a']);
  });

  test('`:`, `base:`, `:heads` and `base:heads` all mean everything', () => {
    for (const range of [':', 'base:', ':heads', 'base:heads']) {
      assert.deepEqual(history(branched, range), ['e', 'd', 'c', 'b', 'a'], range);
    }
  });

  test('lists every branch of a graph with two roots', () => {
    assert.deepEqual(history(twoRoots, undefined), ['y', 'x', 'b', 'a']);
  });

  test('an empty graph has no history', () => {
    assert.deepEqual(history('', undefined), []);
    assert.deepEqual(history('', 'base:heads'), []);
  });
});

describe('selectHistory: revision ranges', () => {
  test('includes both ends of start:end', () => {
    assert.deepEqual(history(linear, 'b:c'), ['c', 'b']);
    assert.deepEqual(history(linear, 'b:b'), ['b']);
  });

  test('start: lists the start and everything after it', () => {
    assert.deepEqual(history(merged, 'd:'), ['f', 'm', 'e', 'd']);
  });

  test(':end lists the end and everything before it', () => {
    assert.deepEqual(history(merged, ':c'), ['c', 'b', 'a']);
  });

  test('a range across a branch point keeps only the line between the two ends', () => {
    assert.deepEqual(history(merged, 'b:e'), ['e', 'd', 'b']);
    assert.deepEqual(history(merged, 'c:f'), ['f', 'm', 'c']);
  });

  test('a range from below a branch to after the merge includes both branches', () => {
    assert.deepEqual(history(merged, 'b:m'), ['m', 'e', 'd', 'c', 'b']);
  });

  test('accepts unique prefixes on either side', () => {
    assert.deepEqual(history('ae10f2; ae1c09<-ae10f2; b77<-ae1c09', 'ae10:ae1c'), [
      'ae1c09',
      'ae10f2',
    ]);
  });

  test('refuses a start that comes after the end, suggesting the other order', () => {
    assertFails(
      () => history(linear, 'd:b'),
      'INVALID_TARGET',
      'history -r d:b',
      'd is not an ancestor of b',
      'older revision first',
    );
  });

  test('refuses a start on another branch than the end', () => {
    assertFails(() => history(branched, 'c:e'), 'INVALID_TARGET', 'c is not an ancestor of e');
  });

  test('head as an end needs a single head', () => {
    assert.deepEqual(history(linear, ':head'), ['d', 'c', 'b', 'a']);
    assertFails(() => history(branched, ':head'), 'MULTIPLE_HEADS', 'c, e');
  });

  test('heads as a start lists just the heads', () => {
    assert.deepEqual(history(branched, 'heads:'), ['e', 'c']);
  });

  test('base as the end lists nothing', () => {
    assert.deepEqual(history(linear, ':base'), []);
    assert.deepEqual(history(linear, 'base:base'), []);
  });

  test('refuses a revision nothing matches', () => {
    assertFails(() => history(linear, 'zz:'), 'REVISION_NOT_FOUND', 'zz');
  });
});

describe('selectHistory: current', () => {
  test('current: lists the current head and everything after it', () => {
    assert.deepEqual(history(merged, 'current:', ['c']), ['f', 'm', 'c']);
  });

  test(':current lists what is applied', () => {
    assert.deepEqual(history(merged, ':current', ['c']), ['c', 'b', 'a']);
  });

  test('current stands for every current head', () => {
    assert.deepEqual(history(merged, ':current', ['c', 'e']), ['e', 'd', 'c', 'b', 'a']);
    assert.deepEqual(history(merged, 'current:', ['c', 'e']), ['f', 'm', 'e', 'c']);
  });

  test('current is base when nothing is applied', () => {
    assert.deepEqual(history(linear, ':current', []), []);
    assert.deepEqual(history(linear, 'current:', []), ['d', 'c', 'b', 'a']);
  });

  test('current:current is the current head alone', () => {
    assert.deepEqual(history(linear, 'current:current', ['b']), ['b']);
  });
});

describe('selectHistory: relative ends', () => {
  test('-N as the start counts down from the end', () => {
    assert.deepEqual(history(linear, '-2:current', ['d']), ['d', 'c', 'b']);
    assert.deepEqual(history(branched, '-2:e'), ['e', 'd', 'b']);
  });

  test('-N as the start counts down from the single head when the end is open', () => {
    assert.deepEqual(history(linear, '-1:'), ['d', 'c']);
  });

  test('+N as the end counts up from the start', () => {
    assert.deepEqual(history(linear, 'a:+2'), ['c', 'b', 'a']);
    assert.deepEqual(history(linear, 'current:+1', ['b']), ['c', 'b']);
    assert.deepEqual(history(linear, ':+1'), ['a']);
  });

  test('relative ends stop at base or head instead of failing, as Alembic does', () => {
    assert.deepEqual(history(linear, '-10:'), ['d', 'c', 'b', 'a']);
    assert.deepEqual(history(linear, 'c:+10'), ['d', 'c']);
    assert.deepEqual(history(linear, 'b-10:c'), ['c', 'b', 'a']);
  });

  test('<rev>-N and <rev>+N count from a revision on either side', () => {
    assert.deepEqual(history(linear, 'c-1:c+1'), ['d', 'c', 'b']);
  });

  test('-N from two heads is ambiguous, naming both', () => {
    assertFails(() => history(branched, '-1:'), 'AMBIGUOUS_PATH', 'c, e');
  });

  test('a relative end that crosses a branch point is ambiguous', () => {
    assertFails(() => history(branched, 'a:+2'), 'AMBIGUOUS_PATH', 'b', 'c, d');
  });
});

test('lists a 5,000-revision chain newest first without overflowing the stack', () => {
  const long = RevisionGraph.build(chain(5_000));
  const all = selectHistory(long, {}, []);
  assert.equal(all.length, 5_000);
  assert.equal(all[0]?.id, 'r04999');
  assert.equal(all.at(-1)?.id, 'r00000');
  assert.equal(selectHistory(long, parseRange('-10:current'), ['r04999']).length, 11);
});
