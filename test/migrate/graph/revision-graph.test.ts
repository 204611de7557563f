import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RevisionGraph } from '../../../src/migrate/graph/revision-graph.js';
import { assertFails } from '../../support/assert-error.js';
import { isDataRegistryError } from '../../../src/shared/errors.js';
import { chain, graph, ids, revision, revisions } from '../../support/literal-graph.js';

/** Asserts that `fn` throws a DataRegistryError with `code` whose message contains every word. */
describe('RevisionGraph.build', () => {
  test('builds an empty graph from no revisions', () => {
    const g = graph('');
    assert.deepEqual(ids(g.all()), []);
    assert.deepEqual(ids(g.heads()), []);
    assert.deepEqual(ids(g.bases()), []);
    assert.deepEqual(ids(g.branchPoints()), []);
  });

  test('orders a chain parents first whatever the file order', () => {
    const g = graph('c<-b; a; b<-a');
    assert.deepEqual(ids(g.all()), ['a', 'b', 'c']);
  });

  test('places a merge point after both of its parents', () => {
    const g = graph('m<-c,d; d<-b; c<-b; b<-a; a');
    const order = ids(g.all());
    assert.equal(order[0], 'a');
    assert.equal(order.at(-1), 'm');
    assert.ok(order.indexOf('c') < order.indexOf('m') && order.indexOf('d') < order.indexOf('m'));
  });

  test('breaks ties between branches by create date, then id', () => {
    const g = graph(
      'a @2024-01-01; z<-a @2024-01-02; y<-a @2024-01-03; x<-z @2024-01-04; w<-a @2024-01-03',
    );
    assert.deepEqual(ids(g.all()), ['a', 'z', 'w', 'y', 'x']);
  });

  test('orders revisions without a create date by id, before dated ones', () => {
    const g = graph('a; c<-a; b<-a @2024-01-01; d<-a');
    assert.deepEqual(ids(g.all()), ['a', 'c', 'd', 'b']);
  });

  test('gives the same order whatever order the files are listed in', () => {
    const spec = ['a', 'b<-a', 'c<-a', 'd<-b,c', 'e<-a', 'f<-e', 'g<-d,f'];
    const forward = ids(graph(spec.join(';')).all());
    const backward = ids(graph([...spec].reverse().join(';')).all());
    assert.deepEqual(backward, forward);
  });

  test('refuses two files declaring the same revision, naming both files', () => {
    assertFails(
      () =>
        RevisionGraph.build([
          revision('a'),
          revision('b', ['a']),
          { ...revision('a'), path: '/other/a.sql' },
        ]),
      'DUPLICATE_REVISION',
      '/versions/a.sql',
      '/other/a.sql',
    );
  });

  test('refuses a revision whose parent no file declares, naming the revision and the parent', () => {
    assertFails(() => graph('a; b<-a; c<-zz'), 'MISSING_PARENT', 'c', 'zz', '/versions/c.sql');
  });

  test('refuses a revision that uses a reserved word as its id', () => {
    assertFails(() => graph('a; head<-a'), 'MALFORMED_REVISION_FILE', 'head', 'reserved');
  });

  test('refuses a cycle, naming each revision in it and its file', () => {
    assertFails(
      () => graph('a<-c; b<-a; c<-b'),
      'REVISION_CYCLE',
      'a (/versions/a.sql) revises c',
      'c (/versions/c.sql) revises b',
      'b (/versions/b.sql) revises a',
    );
  });

  test('refuses a revision that revises itself', () => {
    assertFails(() => graph('a; b<-b'), 'REVISION_CYCLE', 'b (/versions/b.sql) revises b');
  });

  test('names only the revisions of a cycle, not a valid base below it or revisions above it', () => {
    try {
      graph('a; b<-a,d; c<-b; d<-c; e<-d');
      assert.fail('expected a cycle');
    } catch (error) {
      assert.ok(isDataRegistryError(error));
      assert.equal(error.code, 'REVISION_CYCLE');
      assert.deepEqual([...(error.details.revisions as string[])].sort(), ['b', 'c', 'd']);
      assert.deepEqual([...(error.details.paths as string[])].sort(), [
        '/versions/b.sql',
        '/versions/c.sql',
        '/versions/d.sql',
      ]);
      assert.ok(!error.message.includes('/versions/a.sql'));
      assert.ok(!error.message.includes('/versions/e.sql'));
    }
  });

  test('refuses a graph where every revision is in a cycle (no base at all)', () => {
    assertFails(() => graph('a<-b; b<-a'), 'REVISION_CYCLE', 'a', 'b');
  });

  test('builds a 10,000-revision chain without overflowing the stack', () => {
    const g = RevisionGraph.build(chain(10_000));
    assert.equal(g.all().length, 10_000);
    assert.deepEqual(ids(g.heads()), ['r09999']);
    assert.deepEqual(ids(g.bases()), ['r00000']);
    assert.equal(g.appliedSet(['r09999']).size, 10_000);
    assert.equal(g.descendants(['r00000']).size, 10_000);
  });

  test('reports a cycle closing a 10,000-revision chain without overflowing the stack', () => {
    const list = chain(10_000);
    list[0] = revision('r00000', ['r09999']);
    assertFails(() => RevisionGraph.build(list), 'REVISION_CYCLE', 'r00000', 'r09999');
  });
});

describe('RevisionGraph queries', () => {
  const g = graph('a; b<-a; c<-b; d<-b; e<-d; m<-c,e; x');

  test('lists heads sorted by id', () => {
    assert.deepEqual(ids(graph('a; c<-a; b<-a; d<-a').heads()), ['b', 'c', 'd']);
    assert.deepEqual(ids(g.heads()), ['m', 'x']);
  });

  test('lists base revisions sorted by id', () => {
    assert.deepEqual(ids(g.bases()), ['a', 'x']);
  });

  test('lists the children of a revision, and none for a head', () => {
    assert.deepEqual(ids(g.children('b')), ['c', 'd']);
    assert.deepEqual(ids(g.children('c')), ['m']);
    assert.deepEqual(ids(g.children('m')), []);
  });

  test('lists branch points in topological order', () => {
    assert.deepEqual(ids(graph('a; b<-a; c<-a; d<-b; e<-b; f<-d; g<-d').branchPoints()), [
      'a',
      'b',
      'd',
    ]);
    assert.deepEqual(ids(g.branchPoints()), ['b']);
  });

  test('has() and get() know exact ids only', () => {
    assert.equal(g.has('m'), true);
    assert.equal(g.has('zz'), false);
    assert.equal(g.get('e').id, 'e');
    assertFails(() => graph('abcdef').get('abc'), 'REVISION_NOT_FOUND', 'abc');
  });

  test('children() of an unknown id fails rather than answering none', () => {
    assertFails(() => g.children('nope'), 'REVISION_NOT_FOUND', 'nope');
  });

  test('the applied set of some heads is the heads and all their ancestors', () => {
    assert.deepEqual([...g.appliedSet(['c'])].sort(), ['a', 'b', 'c']);
    assert.deepEqual([...g.appliedSet(['c', 'e'])].sort(), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual([...g.appliedSet(['m', 'x'])].sort(), ['a', 'b', 'c', 'd', 'e', 'm', 'x']);
    assert.deepEqual([...g.appliedSet([])], []);
  });

  test('the applied set refuses a head the graph does not know', () => {
    assertFails(() => g.appliedSet(['c', 'gone']), 'REVISION_NOT_FOUND', 'gone');
  });

  test('descendants include the revisions themselves', () => {
    assert.deepEqual([...g.descendants(['d'])].sort(), ['d', 'e', 'm']);
    assert.deepEqual([...g.descendants(['x'])], ['x']);
  });

  test('sortTopologically orders any subset parents first and drops duplicates', () => {
    assert.deepEqual(ids(g.sortTopologically(['m', 'a', 'e', 'a', 'c'])), ['a', 'c', 'e', 'm']);
  });
});

describe('RevisionGraph.resolvePrefix', () => {
  const g = graph('ae10f2; ae1c09<-ae10f2; ae1<-ae1c09; b77<-ae1');

  test('finds a revision by its full id', () => {
    assert.equal(g.resolvePrefix('ae10f2').id, 'ae10f2');
  });

  test('finds a revision by a unique prefix', () => {
    assert.equal(g.resolvePrefix('ae10').id, 'ae10f2');
    assert.equal(g.resolvePrefix('b').id, 'b77');
  });

  test('prefers an exact id over the longer ids it prefixes', () => {
    assert.equal(g.resolvePrefix('ae1').id, 'ae1');
  });

  test('refuses an ambiguous prefix, listing the candidates and asking for more characters', () => {
    try {
      g.resolvePrefix('ae');
      assert.fail('expected AMBIGUOUS_REVISION');
    } catch (error) {
      assert.ok(isDataRegistryError(error));
      assert.equal(error.code, 'AMBIGUOUS_REVISION');
      assert.match(
        error.message,
        /`ae` matches 3 revisions \(ae1, ae10f2, ae1c09\); give more characters/,
      );
      assert.deepEqual(error.details.candidates, ['ae1', 'ae10f2', 'ae1c09']);
    }
  });

  test('refuses a prefix nothing matches, saying how many revisions there are', () => {
    assertFails(() => g.resolvePrefix('ff'), 'REVISION_NOT_FOUND', '`ff`', '4 revisions');
  });

  test('refuses an empty reference', () => {
    assertFails(() => g.resolvePrefix(''), 'REVISION_NOT_FOUND');
  });

  test('matches prefixes case-sensitively', () => {
    assertFails(() => g.resolvePrefix('AE10'), 'REVISION_NOT_FOUND', 'AE10');
  });
});

describe('RevisionGraph.walk', () => {
  const g = graph('a; b<-a; c<-b; d<-b; e<-d; m<-c,e');

  test('walks up through single children and down through single parents', () => {
    assert.deepEqual(g.walk('a', 1), { kind: 'reached', ids: ['b'] });
    assert.deepEqual(g.walk('e', -2), { kind: 'reached', ids: ['b'] });
    assert.deepEqual(g.walk('c', 0), { kind: 'reached', ids: ['c'] });
  });

  test('walks up from base through the only base revision', () => {
    assert.deepEqual(g.walk(undefined, 2), { kind: 'reached', ids: ['b'] });
  });

  test('walks down past the base revision to base', () => {
    assert.deepEqual(g.walk('b', -2), { kind: 'reached', ids: [] });
  });

  test('ends at a head going up, saying how many steps it took', () => {
    assert.deepEqual(g.walk('e', 3), { kind: 'end', taken: 1, at: 'm' });
  });

  test('ends at base going down, saying how many steps it took', () => {
    assert.deepEqual(g.walk('c', -5), { kind: 'end', taken: 3, at: undefined });
  });

  test('stops at a branch point going up', () => {
    assert.deepEqual(g.walk('a', 2), { kind: 'fork', taken: 1, at: 'b', options: ['c', 'd'] });
  });

  test('stops at a merge point going down unless it is the last step', () => {
    assert.deepEqual(g.walk('m', -2), { kind: 'fork', taken: 0, at: 'm', options: ['c', 'e'] });
    assert.deepEqual(g.walk('m', -1), { kind: 'reached', ids: ['c', 'e'] });
  });

  test('stops at base when there are several base revisions', () => {
    assert.deepEqual(graph('a; b').walk(undefined, 1), {
      kind: 'fork',
      taken: 0,
      at: undefined,
      options: ['a', 'b'],
    });
  });

  test('walks 9,999 steps down a 10,000-revision chain', () => {
    const long = RevisionGraph.build(chain(10_000));
    assert.deepEqual(long.walk('r09999', -9_999), { kind: 'reached', ids: ['r00000'] });
    assert.deepEqual(long.walk(undefined, 10_000), { kind: 'reached', ids: ['r09999'] });
  });

  test('refuses to walk from an unknown revision', () => {
    assertFails(() => g.walk('zz', 1), 'REVISION_NOT_FOUND', 'zz');
  });
});

test('revisions() parses parents and create dates from a literal', () => {
  assert.deepEqual(
    revisions('a; m<-b,c @2024-05-01').map((r) => [r.id, r.parents, r.createDate]),
    [
      ['a', [], undefined],
      ['m', ['b', 'c'], '2024-05-01'],
    ],
  );
});
