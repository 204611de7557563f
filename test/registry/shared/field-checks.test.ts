import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDescription,
  checkIfGiven,
  checkName,
  checkSearchText,
  serializeMetadata,
  storedMetadata,
} from '../../../src/registry/shared/field-checks.js';
import { isDataRegistryError } from '../../../src/shared/errors.js';

const refusal = (pattern: RegExp) => (error: unknown) =>
  isDataRegistryError(error) && error.code === 'VALIDATION_FAILED' && pattern.test(error.message);

test('accepts names of 1 to 200 code points, counting emoji once', () => {
  for (const name of [
    'a',
    'x'.repeat(200),
    '🧪'.repeat(200),
    'inner  spaces ok',
    'quote \' and " ok',
  ]) {
    assert.equal(checkName(name, 'name'), name);
  }
});

test('refuses empty, long, padded and control-character names, naming the field', () => {
  const cases: [string, RegExp][] = [
    ['', /`name` must not be empty/],
    ['x'.repeat(201), /`name` must be at most 200/],
    ['🧪'.repeat(201), /`name` must be at most 200/],
    [' lead', /`name` must not start or end with whitespace/],
    ['trail\u00a0', /whitespace/],
    ['tab\tinside', /U\+0009 at position 3/],
    ['\u0000', /U\+0000 at position 0/],
    ['esc\u001b', /U\+001B/],
    ['del\u007f', /U\+007F/],
    ['c1\u009f', /U\+009F/],
    ['lone \ud800', /U\+D800/],
    ['lone \udfff low', /U\+DFFF/],
  ];
  for (const [name, message] of cases) {
    assert.throws(() => checkName(name, 'name'), refusal(message), JSON.stringify(name));
  }
});

test('uses the given limit for other name-like fields', () => {
  assert.throws(() => checkName('x'.repeat(101), 'data_type', 100), refusal(/`data_type`.*100/));
});

test('accepts descriptions with tabs and line breaks, and null', () => {
  assert.equal(checkDescription(null, 'description'), null);
  assert.equal(checkDescription('a\tb\r\nc\n', 'description'), 'a\tb\r\nc\n');
  assert.equal(checkDescription('', 'description'), '');
});

test('refuses descriptions with other control characters or over 10,000 code points', () => {
  assert.throws(
    () => checkDescription('x\u0000', 'description'),
    refusal(/`description`.*U\+0000/),
  );
  assert.throws(() => checkDescription('x\u000b', 'description'), refusal(/U\+000B/));
  assert.throws(() => checkDescription('x'.repeat(10_001), 'description'), refusal(/10000/));
});

test('refuses control characters in search text', () => {
  assert.equal(checkSearchText('50% _off_', 'q'), '50% _off_');
  assert.throws(() => checkSearchText('\u0000', 'q'), refusal(/`q`/));
});

test('serialises metadata objects and refuses everything else', () => {
  assert.equal(serializeMetadata({}, 'metadata'), '{}');
  assert.equal(serializeMetadata({ a: [1, 'é', null] }, 'metadata'), '{"a":[1,"é",null]}');
  assert.equal(serializeMetadata({ s: '\u0000\ud800' }, 'metadata'), '{"s":"\\u0000\\ud800"}');
  for (const value of [null, [], 'x', 5, true, undefined]) {
    assert.throws(
      () => serializeMetadata(value, 'metadata'),
      refusal(/`metadata` must be a JSON object/),
    );
  }
});

test('limits metadata to 64 KiB of UTF-8 JSON', () => {
  const ascii = { f: 'x'.repeat(65_536 - 8) };
  assert.equal(serializeMetadata(ascii, 'metadata').length, 65_536);
  assert.throws(
    () => serializeMetadata({ f: 'x'.repeat(65_536 - 7) }, 'metadata'),
    refusal(/65537 bytes/),
  );
  // 'é' is two bytes in UTF-8: the limit counts bytes, not characters.
  assert.throws(() => serializeMetadata({ f: 'é'.repeat(33_000) }, 'metadata'), refusal(/bytes/));
});

test('limits metadata to 32 levels of objects and arrays, without overflowing the stack', () => {
  const nest = (levels: number, wrap: (inner: unknown) => unknown) => {
    let value: unknown = {};
    for (let i = 1; i < levels; i++) value = wrap(value);
    return value;
  };
  assert.doesNotThrow(() =>
    serializeMetadata(
      nest(32, (v) => ({ a: v })),
      'metadata',
    ),
  );
  assert.throws(
    () =>
      serializeMetadata(
        nest(33, (v) => ({ a: v })),
        'metadata',
      ),
    refusal(/32 levels/),
  );
  assert.throws(
    () => serializeMetadata({ a: nest(32, (v) => [v]) }, 'metadata'),
    refusal(/32 levels/),
  );
  assert.throws(
    () =>
      serializeMetadata(
        nest(1_000_000, (v) => ({ a: v })),
        'metadata',
      ),
    refusal(/32 levels/),
  );
});

test('refuses numbers JSON cannot carry, naming where they are', () => {
  assert.throws(
    () => serializeMetadata({ a: [{ b: Infinity }] }, 'metadata'),
    refusal(/`metadata\.a\[0\]\.b` is a number too large/),
  );
  assert.throws(() => serializeMetadata({ n: NaN }, 'metadata'), refusal(/`metadata\.n`/));
});

test('stored metadata is answered as its own text, and anything but an object as {}', () => {
  assert.equal(storedMetadata('{"a":[1,{"b":null}]}'), '{"a":[1,{"b":null}]}');
  assert.equal(storedMetadata('{}'), '{}');
  assert.equal(storedMetadata('[1,2]'), '{}');
  assert.equal(storedMetadata('null'), '{}');
  assert.equal(storedMetadata(''), '{}');
});

test('checks a change only when it is given: an absent field stays absent, null is checked', () => {
  assert.equal(
    checkIfGiven(undefined, (value: string) => checkName(value, 'name')),
    undefined,
  );
  assert.equal(
    checkIfGiven(null, (value: string | null) => checkDescription(value, 'd')),
    null,
  );
  assert.throws(
    () => checkIfGiven(' padded', (value: string) => checkName(value, 'name')),
    refusal(/`name`/),
  );
});
