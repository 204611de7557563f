import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget } from '../../../src/migrate/graph/parse-target.js';
import { resolveTarget } from '../../../src/migrate/graph/resolve-target.js';
import { assertFails } from '../../support/assert-error.js';
import { isDataRegistryError } from '../../../src/shared/errors.js';
import { graph } from '../../support/literal-graph.js';

const linear = 'a; b<-a; c<-b; d<-c';
/** Branch point b; heads c and e. */
const branched = 'a; b<-a; c<-b; d<-b; e<-d';
/** branched, merged by m, then f. */
const merged = 'a; b<-a; c<-b; d<-b; e<-d; m<-c,e; f<-m';
/** Two base revisions, two heads. */
const twoRoots = 'a; b<-a; x; y<-x';

/** The ids `target` names for `command` (which only changes the messages), heads given. */
function resolve(
  command: string,
  spec: string,
  heads: readonly string[],
  target: string,
  clamp = false,
): string[] {
  return resolveTarget(graph(spec), heads, parseTarget(target), { command, clamp });
}

describe('resolveTarget: where a target lands', () => {
  test('head is the single head, heads every head, base none', () => {
    assert.deepEqual(resolve('upgrade', linear, [], 'head'), ['d']);
    assert.deepEqual(resolve('upgrade', branched, [], 'heads'), ['c', 'e']);
    assert.deepEqual(resolve('upgrade', linear, ['c'], 'base'), []);
    assert.deepEqual(resolve('upgrade', '', [], 'head'), []);
  });

  test('a revision is found by its id or a unique prefix', () => {
    assert.deepEqual(resolve('upgrade', linear, [], 'b'), ['b']);
    assert.deepEqual(resolve('upgrade', 'ae10f2; ae1c09<-ae10f2', [], 'ae1c'), ['ae1c09']);
  });

  test('+N and -N count from the single current head, or from base when nothing is applied', () => {
    assert.deepEqual(resolve('upgrade', linear, ['a'], '+2'), ['c']);
    assert.deepEqual(resolve('upgrade', linear, [], '+1'), ['a']);
    assert.deepEqual(resolve('downgrade', linear, ['d'], '-3'), ['a']);
    assert.deepEqual(resolve('downgrade', linear, ['d'], '-4'), []);
  });

  test('<rev>+N, <rev>-N, head-N and base+N count from a revision, whatever is applied', () => {
    assert.deepEqual(resolve('upgrade', linear, ['d'], 'a+2'), ['c']);
    assert.deepEqual(resolve('upgrade', linear, [], 'd-2'), ['b']);
    assert.deepEqual(resolve('upgrade', linear, [], 'head-1'), ['c']);
    assert.deepEqual(resolve('upgrade', linear, [], 'base+2'), ['b']);
    assert.deepEqual(resolve('upgrade', linear, [], 'b+0'), ['b']);
  });

  test('one step down from a merge point names both of its parents', () => {
    assert.deepEqual(resolve('upgrade', merged, [], 'm-1'), ['c', 'e']);
    assert.deepEqual(resolve('downgrade', merged, ['m'], '-1'), ['c', 'e']);
  });

  test('clamp stops a walk at head or base instead of failing', () => {
    assert.deepEqual(resolve('history', linear, [], 'b+9', true), ['d']);
    assert.deepEqual(resolve('history', linear, [], 'c-9', true), []);
  });
});

describe('resolveTarget: head and heads', () => {
  test('upgrade head with two heads is refused, naming both and the two ways out', () => {
    assert.throws(
      () => resolve('upgrade', branched, ['b'], 'head'),
      (error: unknown) => {
        assert.ok(isDataRegistryError(error));
        assert.equal(error.code, 'MULTIPLE_HEADS');
        assert.match(error.message, /\bc\b.*\be\b/);
        assert.ok(error.message.includes('dataregistry merge heads -m "merge"'));
        assert.ok(error.message.includes('dataregistry upgrade heads'));
        assert.deepEqual(error.details.heads, ['c', 'e']);
        return true;
      },
    );
  });

  test('downgrade head with two heads is refused, naming both', () => {
    assertFails(
      () => resolve('downgrade', branched, ['c', 'e'], 'head'),
      'MULTIPLE_HEADS',
      'c, e',
      'merge heads',
    );
  });

  test('stamp head with two heads is refused, suggesting stamp heads', () => {
    assertFails(
      () => resolve('stamp', branched, [], 'head'),
      'MULTIPLE_HEADS',
      'c, e',
      'dataregistry stamp heads',
    );
  });

  test('upgrade head-1 with two heads is refused like head', () => {
    assertFails(() => resolve('upgrade', branched, [], 'head-1'), 'MULTIPLE_HEADS', 'c, e');
    assertFails(() => resolve('upgrade', branched, [], 'heads-1'), 'MULTIPLE_HEADS', 'c, e');
  });
});

describe('resolveTarget: revision ids and prefixes', () => {
  test('upgrade to a revision nothing matches fails with REVISION_NOT_FOUND', () => {
    assertFails(() => resolve('upgrade', linear, [], 'zz'), 'REVISION_NOT_FOUND', '`zz`');
  });

  test('upgrade to an ambiguous prefix fails, listing the candidates', () => {
    assertFails(
      () => resolve('upgrade', 'ae10f2; ae1c09<-ae10f2', [], 'ae1'),
      'AMBIGUOUS_REVISION',
      'ae10f2',
      'ae1c09',
      'give more characters',
    );
  });
});

describe('resolveTarget: relative targets (+N, -N) out of range', () => {
  test('upgrade +N past the head is out of range, saying how many revisions follow', () => {
    assertFails(
      () => resolve('upgrade', linear, ['b'], '+3'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'upgrade +3',
      'only 2 revisions follow the current head b',
    );
    assertFails(
      () => resolve('upgrade', linear, ['d'], '+1'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'only 0 revisions follow',
    );
    assertFails(
      () => resolve('upgrade', linear, [], '+5'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'only 4 revisions follow base',
    );
  });

  test('upgrade +1 on an empty graph is out of range', () => {
    assertFails(
      () => resolve('upgrade', '', [], '+1'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'only 0 revisions follow base',
    );
  });

  test('upgrade <rev>+N past the head is out of range, naming the revision', () => {
    assertFails(
      () => resolve('upgrade', linear, [], 'c+2'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'upgrade c+2',
      'only 1 revision follows c',
    );
  });

  test('downgrade -N past base is out of range, saying how many revisions are applied', () => {
    assertFails(
      () => resolve('downgrade', linear, ['c'], '-5'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'downgrade -5: only 3 revisions are applied',
      'downgrade base',
    );
    assertFails(
      () => resolve('downgrade', linear, ['a'], '-2'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'only 1 revision is applied',
    );
  });

  test('downgrade -1 with nothing applied is out of range', () => {
    assertFails(
      () => resolve('downgrade', linear, [], '-1'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'only 0 revisions are applied',
    );
  });

  test('downgrade <rev>-N below base is out of range, naming the revision', () => {
    assertFails(
      () => resolve('downgrade', linear, ['c'], 'b-3'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'downgrade b-3',
      'counting down from b reaches base after 2 revisions',
    );
  });

  test('stamp -N past base is out of range', () => {
    assertFails(
      () => resolve('stamp', linear, ['b'], '-3'),
      'RELATIVE_TARGET_OUT_OF_RANGE',
      'stamp -3',
      'only 2 revisions are applied',
    );
  });
});

describe('resolveTarget: relative targets through branch points and merge points', () => {
  test('upgrade +1 at a branch point is ambiguous, naming the branch point and its children', () => {
    assertFails(
      () => resolve('upgrade', branched, ['b'], '+1'),
      'AMBIGUOUS_PATH',
      'b is a branch point',
      'c, d',
      'dataregistry upgrade heads',
    );
  });

  test('upgrade +N that crosses a branch point is ambiguous, saying where', () => {
    assertFails(
      () => resolve('upgrade', branched, ['a'], '+3'),
      'AMBIGUOUS_PATH',
      'after 1 step the path reaches b',
      'children c, d',
    );
  });

  test('upgrade +1 with two current heads is ambiguous, naming both heads', () => {
    assertFails(
      () => resolve('upgrade', merged, ['c', 'e'], '+1'),
      'AMBIGUOUS_PATH',
      'c, e',
      'upgrade heads',
    );
  });

  test('upgrade +1 from base with two base revisions is ambiguous, naming both', () => {
    assertFails(
      () => resolve('upgrade', twoRoots, [], '+1'),
      'AMBIGUOUS_PATH',
      '2 base revisions (a, x)',
    );
  });

  test('upgrade <rev>+N from a branch point is ambiguous', () => {
    assertFails(
      () => resolve('upgrade', branched, [], 'b+1'),
      'AMBIGUOUS_PATH',
      'upgrade b+1',
      'b is a branch point',
    );
  });

  test('upgrade <merge>-2 is ambiguous: the path below the merge point is not unique', () => {
    assertFails(
      () => resolve('upgrade', merged, [], 'm-2'),
      'AMBIGUOUS_PATH',
      'm is a merge point',
      'parents c, e',
    );
  });

  test('downgrade -N that must pass below a merge point is ambiguous, naming it and its parents', () => {
    assertFails(
      () => resolve('downgrade', merged, ['f'], '-3'),
      'AMBIGUOUS_PATH',
      'downgrade -3',
      'the path reaches m',
      'merge point (parents c, e)',
    );
  });

  test('downgrade -1 with two current heads is ambiguous, naming both', () => {
    assertFails(
      () => resolve('downgrade', branched, ['c', 'e'], '-1'),
      'AMBIGUOUS_PATH',
      'downgrade -1',
      '2 heads',
      'c, e',
    );
  });
});
