import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatContentDisposition } from '../../src/storage/content-disposition.js';

test('gives an ASCII fallback and the exact UTF-8 name', () => {
  const cases: [string, string][] = [
    ['data.csv', `attachment; filename="data.csv"; filename*=UTF-8''data.csv`],
    [
      'my data (1).csv',
      `attachment; filename="my data (1).csv"; filename*=UTF-8''my%20data%20%281%29.csv`,
    ],
    ['été.txt', `attachment; filename="_t_.txt"; filename*=UTF-8''%C3%A9t%C3%A9.txt`],
    ['a"b\\c%d\'e', `attachment; filename="a_b_c_d'e"; filename*=UTF-8''a%22b%5Cc%25d%27e`],
  ];
  for (const [name, expected] of cases)
    assert.equal(formatContentDisposition(name), expected, name);
});
