import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatByteSize,
  formatDuration,
  formatWait,
  parseByteSize,
  parseDuration,
  parseWait,
} from '../../src/config/quantities.js';

test('parses byte sizes in bytes, binary and decimal units', () => {
  const cases: [string, number | undefined][] = [
    ['1', 1],
    ['1048576', 1048576],
    ['64MiB', 64 * 1024 ** 2],
    ['10 GiB', 10 * 1024 ** 3],
    ['5tib', 5 * 1024 ** 4],
    ['500MB', 500e6],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['2KB', 2000],
    ['0', undefined],
    ['-1', undefined],
    ['0.5', undefined],
    ['10 parsecs', undefined],
    ['', undefined],
    ['99999999999TiB', undefined],
  ];
  for (const [text, bytes] of cases) assert.equal(parseByteSize(text), bytes, text);
});

test('parses durations with a unit, and formats them back in the largest whole unit', () => {
  const cases: [string, number | undefined][] = [
    ['45s', 45_000],
    ['90m', 5_400_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    ['30', undefined],
    ['0d', undefined],
    ['1.5d', undefined],
    ['thirty days', undefined],
  ];
  for (const [text, milliseconds] of cases) assert.equal(parseDuration(text), milliseconds, text);
  assert.equal(formatDuration(604_800_000), '7d');
  assert.equal(formatDuration(5_400_000), '90m');
  assert.equal(formatDuration(1500), '1500ms');
});

test('formats byte sizes in their largest whole binary unit, which parses back to the same size', () => {
  const cases: [number, string][] = [
    [5 * 1024 ** 4, '5TiB'],
    [10 * 1024 ** 3, '10GiB'],
    [1536 * 1024, '1536KiB'],
    [1024, '1KiB'],
    [1000, '1000B'],
    [1, '1B'],
  ];
  for (const [bytes, text] of cases) {
    assert.equal(formatByteSize(bytes), text, String(bytes));
    assert.equal(parseByteSize(text), bytes, text);
  }
});

test('parses waits in seconds by default, or ms, s, m; zero allowed; formats them back', () => {
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['5', 5000],
    ['5s', 5000],
    ['1500ms', 1500],
    ['2m', 120_000],
    [' 10 S ', 10_000],
    ['1.5s', undefined],
    ['-1', undefined],
    ['2h', undefined],
    ['soon', undefined],
  ];
  for (const [text, milliseconds] of cases) assert.equal(parseWait(text), milliseconds, text);
  for (const milliseconds of [0, 5000, 1500, 120_000]) {
    assert.equal(parseWait(formatWait(milliseconds)), milliseconds);
  }
  assert.equal(formatWait(5000), '5s');
  assert.equal(formatWait(1500), '1500ms');
});
