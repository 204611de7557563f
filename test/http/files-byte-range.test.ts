import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isIfRangeSatisfied,
  isNoneMatchSatisfied,
  resolveRange,
  type RangeRequest,
} from '../../src/http/byte-range.js';

const partial = (start: number, end: number): RangeRequest => ({
  kind: 'partial',
  range: { start, end },
});
const whole: RangeRequest = { kind: 'whole' };
const unsatisfiable: RangeRequest = { kind: 'unsatisfiable' };

test('resolves one byte range against the size, as RFC 9110 describes', () => {
  const cases: [string | undefined, number, RangeRequest][] = [
    [undefined, 100, whole],
    ['bytes=0-0', 100, partial(0, 0)],
    ['bytes=0-99', 100, partial(0, 99)],
    ['bytes=10-19', 100, partial(10, 19)],
    ['bytes=90-', 100, partial(90, 99)],
    ['bytes=-10', 100, partial(90, 99)],
    ['bytes=-1000', 100, partial(0, 99)],
    ['bytes=50-5000', 100, partial(50, 99)],
    ['BYTES = 1 - 2', 100, partial(1, 2)],
    ['bytes=99-', 100, partial(99, 99)],
    ['bytes=100-', 100, unsatisfiable],
    ['bytes=100-200', 100, unsatisfiable],
    ['bytes=-0', 100, unsatisfiable],
    ['bytes=0-', 0, unsatisfiable],
    ['bytes=-5', 0, unsatisfiable],
    ['bytes=5-4', 100, whole],
    ['bytes=0-1,5-6', 100, whole],
    ['bytes=-', 100, whole],
    ['bytes=a-b', 100, whole],
    ['items=0-1', 100, whole],
    ['bytes=99999999999999999999-', 100, unsatisfiable],
    ['bytes=4294967296-4294967300', 8589934592, partial(4294967296, 4294967300)],
  ];
  for (const [header, size, expected] of cases) {
    assert.deepEqual(resolveRange(header, size), expected, `${header} of ${size}`);
  }
});

test('matches If-None-Match weakly, with lists and *', () => {
  const etag = '"abc"';
  assert.equal(isNoneMatchSatisfied(undefined, etag), false);
  assert.equal(isNoneMatchSatisfied('"abc"', etag), true);
  assert.equal(isNoneMatchSatisfied('W/"abc"', etag), true);
  assert.equal(isNoneMatchSatisfied('"x", "abc"', etag), true);
  assert.equal(isNoneMatchSatisfied(' * ', etag), true);
  assert.equal(isNoneMatchSatisfied('"abcd"', etag), false);
  assert.equal(isNoneMatchSatisfied('abc', etag), false);
});

test('honours If-Range only with the exact current ETag', () => {
  assert.equal(isIfRangeSatisfied(undefined, '"abc"'), true);
  assert.equal(isIfRangeSatisfied('"abc"', '"abc"'), true);
  assert.equal(isIfRangeSatisfied('W/"abc"', '"abc"'), false);
  assert.equal(isIfRangeSatisfied('Wed, 21 Oct 2026 07:28:00 GMT', '"abc"'), false);
});
