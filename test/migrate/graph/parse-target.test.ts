import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  isOfflineRange,
  parseRange,
  parseTarget,
  splitOfflineRange,
} from '../../../src/migrate/graph/parse-target.js';
import { isDataRegistryError } from '../../../src/shared/errors.js';

function assertInvalid(fn: () => unknown, ...words: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isDataRegistryError(error), `expected a DataRegistryError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_TARGET', error.message);
    for (const word of words)
      assert.ok(error.message.includes(word), `"${word}" in: ${error.message}`);
    return true;
  });
}

describe('parseTarget', () => {
  test('reads the symbols head, heads and base', () => {
    assert.deepEqual(parseTarget('head'), { kind: 'head', text: 'head' });
    assert.deepEqual(parseTarget('heads'), { kind: 'heads', text: 'heads' });
    assert.deepEqual(parseTarget('base'), { kind: 'base', text: 'base' });
  });

  test('reads a revision id or prefix as a revision reference', () => {
    assert.deepEqual(parseTarget('ae1027a6acf'), {
      kind: 'revision',
      ref: 'ae1027a6acf',
      text: 'ae1027a6acf',
    });
    assert.deepEqual(parseTarget('ae1'), { kind: 'revision', ref: 'ae1', text: 'ae1' });
    assert.deepEqual(parseTarget('1975'), { kind: 'revision', ref: '1975', text: '1975' });
    assert.deepEqual(parseTarget('add_users_2'), {
      kind: 'revision',
      ref: 'add_users_2',
      text: 'add_users_2',
    });
  });

  test('reads words that merely start like a symbol as revision references', () => {
    assert.deepEqual(parseTarget('headless'), {
      kind: 'revision',
      ref: 'headless',
      text: 'headless',
    });
    assert.deepEqual(parseTarget('based'), { kind: 'revision', ref: 'based', text: 'based' });
  });

  test('reads +N and -N as steps counted from the current head', () => {
    assert.deepEqual(parseTarget('+2'), { kind: 'relative', steps: 2, text: '+2' });
    assert.deepEqual(parseTarget('-1'), { kind: 'relative', steps: -1, text: '-1' });
    assert.deepEqual(parseTarget('-12'), { kind: 'relative', steps: -12, text: '-12' });
  });

  test('reads <rev>+N and <rev>-N as steps counted from a revision', () => {
    assert.deepEqual(parseTarget('ae10+2'), {
      kind: 'offset',
      from: { kind: 'revision', ref: 'ae10' },
      steps: 2,
      text: 'ae10+2',
    });
    assert.deepEqual(parseTarget('ae10-3'), {
      kind: 'offset',
      from: { kind: 'revision', ref: 'ae10' },
      steps: -3,
      text: 'ae10-3',
    });
  });

  test('reads head-N, heads-N and base+N as steps counted from a symbol', () => {
    assert.deepEqual(parseTarget('head-1'), {
      kind: 'offset',
      from: { kind: 'head' },
      steps: -1,
      text: 'head-1',
    });
    assert.deepEqual(parseTarget('heads-2'), {
      kind: 'offset',
      from: { kind: 'heads' },
      steps: -2,
      text: 'heads-2',
    });
    assert.deepEqual(parseTarget('base+3'), {
      kind: 'offset',
      from: { kind: 'base' },
      steps: 3,
      text: 'base+3',
    });
  });

  test('accepts <rev>+0 as the revision itself, as Alembic does', () => {
    assert.deepEqual(parseTarget('ae10+0'), {
      kind: 'offset',
      from: { kind: 'revision', ref: 'ae10' },
      steps: 0,
      text: 'ae10+0',
    });
    const minusZero = parseTarget('ae10-0');
    assert.ok(minusZero.kind === 'offset' && Object.is(minusZero.steps, 0));
  });

  test('ignores surrounding whitespace but keeps it out of the text', () => {
    assert.deepEqual(parseTarget('  head '), { kind: 'head', text: 'head' });
  });

  test('refuses an empty target, saying so and listing the accepted forms', () => {
    assertInvalid(() => parseTarget(''), 'the target is empty', 'head, heads, base, +N, -N');
    assertInvalid(() => parseTarget('   '), 'empty');
  });

  test('refuses +0 and -0, which move nowhere (Alembic refuses them too)', () => {
    assertInvalid(() => parseTarget('+0'), '`+0`', 'moves nowhere');
    assertInvalid(() => parseTarget('-0'), '`-0`');
  });

  for (const text of [
    '+x',
    '++1',
    '--1',
    '+',
    '-',
    '+1.5',
    '1+',
    'ae10+',
    'ae10+x',
    'a b',
    'ae10@head',
    'x:y',
    'ae-10-2',
    '+-1',
    'é1',
  ]) {
    test(`refuses \`${text}\`, naming it and the accepted forms`, () => {
      assertInvalid(() => parseTarget(text), `\`${text}\``, '<rev>+N or <rev>-N');
    });
  }

  test('refuses current, which only history ranges understand', () => {
    assertInvalid(() => parseTarget('current'), 'history range');
    assertInvalid(() => parseTarget('current-1'), 'current');
  });

  test('puts the input in the error details', () => {
    try {
      parseTarget('+x');
      assert.fail('expected INVALID_TARGET');
    } catch (error) {
      assert.ok(isDataRegistryError(error));
      assert.deepEqual(error.details, { target: '+x' });
    }
  });
});

describe('parseRange', () => {
  test('reads start:end with revisions on both sides', () => {
    assert.deepEqual(parseRange('1975ea:ae1027'), {
      start: { kind: 'revision', ref: '1975ea', text: '1975ea' },
      end: { kind: 'revision', ref: 'ae1027', text: 'ae1027' },
      text: '1975ea:ae1027',
    });
  });

  test('leaves an empty side open', () => {
    assert.deepEqual(parseRange('1975ea:'), {
      start: { kind: 'revision', ref: '1975ea', text: '1975ea' },
      end: undefined,
      text: '1975ea:',
    });
    assert.deepEqual(parseRange(':head'), {
      start: undefined,
      end: { kind: 'head', text: 'head' },
      text: ':head',
    });
    assert.deepEqual(parseRange(':'), { start: undefined, end: undefined, text: ':' });
  });

  test('reads current and the symbols on either side', () => {
    assert.deepEqual(parseRange('base:current'), {
      start: { kind: 'base', text: 'base' },
      end: { kind: 'current', text: 'current' },
      text: 'base:current',
    });
    assert.deepEqual(parseRange('current:heads'), {
      start: { kind: 'current', text: 'current' },
      end: { kind: 'heads', text: 'heads' },
      text: 'current:heads',
    });
  });

  test('accepts -N as the start and +N as the end, as Alembic does', () => {
    assert.deepEqual(parseRange('-3:current'), {
      start: { kind: 'relative', steps: -3, text: '-3' },
      end: { kind: 'current', text: 'current' },
      text: '-3:current',
    });
    assert.deepEqual(parseRange('ae10:+2').end, { kind: 'relative', steps: 2, text: '+2' });
  });

  test('accepts <rev>+N and <rev>-N on either side', () => {
    assert.deepEqual(parseRange('ae10-1:ae10+1').start, {
      kind: 'offset',
      from: { kind: 'revision', ref: 'ae10' },
      steps: -1,
      text: 'ae10-1',
    });
  });

  test('refuses a range without a colon, or with two', () => {
    assertInvalid(() => parseRange('ae10'), '`ae10`', 'start:end');
    assertInvalid(() => parseRange(''), 'start:end');
    assertInvalid(() => parseRange('a:b:c'), '`a:b:c`');
  });

  test('refuses +N as the start and -N as the end', () => {
    assertInvalid(() => parseRange('+2:head'), '`+2:head`', 'the start may only be -N');
    assertInvalid(() => parseRange('base:-1'), 'the end may only be +N');
  });

  test('refuses two relative ends, which leave nothing to count from', () => {
    assertInvalid(() => parseRange('-2:+2'), 'both ends are relative');
  });

  test('refuses a malformed side, naming it and the range', () => {
    assertInvalid(() => parseRange('base:+x'), '`+x` in history range `base:+x`');
    assertInvalid(() => parseRange('current+1:'), 'current');
  });
});

describe('splitOfflineRange', () => {
  test('a bare target has no starting point, so --sql reads it from the database', () => {
    assert.deepEqual(splitOfflineRange('head'), { from: undefined, to: 'head' });
    assert.equal(isOfflineRange('ae10+2'), false);
  });

  test('<from>:<to> names its own starting point, an empty one being base', () => {
    assert.deepEqual(splitOfflineRange('ae10:head'), { from: 'ae10', to: 'head' });
    assert.deepEqual(splitOfflineRange(':head'), { from: '', to: 'head' });
    assert.equal(isOfflineRange('base:head'), true);
  });
});
