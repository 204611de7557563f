import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deriveSigningKey,
  isSignatureValid,
  parseDownloadToken,
  signDownloadToken,
} from '../../../src/registry/files/download-token.js';

const key = deriveSigningKey('a'.repeat(64));
const target = { ref: { kind: 'record', id: '42' } as const, name: 'runs 2026.csv', version: 3 };
const expiresAt = 1_796_000_000;

test('a signed token parses back to its expiry and issuer, and its signature checks out', () => {
  for (const issuer of [null, 'ci', 'équipe données', 'a.b_c-d~e']) {
    const token = signDownloadToken(key, target, issuer, expiresAt);
    const parsed = parseDownloadToken(token);
    assert.ok(parsed !== undefined, token);
    assert.equal(parsed.expiresAt, expiresAt);
    assert.equal(parsed.issuer, issuer);
    assert.ok(isSignatureValid(key, parsed, target), token);
    // Only URL-safe characters: the token goes in a query string as it is.
    assert.match(token, /^[0-9A-Za-z_.-]+$/);
  }
});

test('the signature binds the kind, id, name, version, expiry, issuer and key', () => {
  const token = signDownloadToken(key, target, 'ci', expiresAt);
  const parsed = parseDownloadToken(token)!;
  const others = [
    { ...target, ref: { kind: 'dataset', id: '42' } as const },
    { ...target, ref: { kind: 'record', id: '43' } as const },
    { ...target, name: 'runs 2026.csv ' },
    { ...target, name: 'runs 2027.csv' },
    { ...target, version: 2 },
  ];
  for (const other of others) {
    assert.equal(isSignatureValid(key, parsed, other), false, JSON.stringify(other));
  }
  assert.equal(isSignatureValid(key, { ...parsed, expiresAt: expiresAt + 1 }, target), false);
  assert.equal(isSignatureValid(key, { ...parsed, issuer: null }, target), false);
  assert.equal(isSignatureValid(key, { ...parsed, issuer: 'cj' }, target), false);
  assert.equal(isSignatureValid(deriveSigningKey('b'.repeat(64)), parsed, target), false);
});

test('what is not a token parses to undefined', () => {
  const good = signDownloadToken(key, target, null, expiresAt);
  const [, , signature] = good.split('.');
  for (const text of [
    '',
    'not-a-token',
    `${expiresAt}._`,
    `${expiresAt}.${signature}`,
    `0._.${signature}`,
    `-1._.${signature}`,
    `0${expiresAt}._.${signature}`,
    `${expiresAt}.x.${signature}`,
    `${expiresAt}._.${signature}A`,
    `${expiresAt}._.${signature!.slice(1)}`,
    `${expiresAt}._.${signature}.extra`,
    `${expiresAt}.a=b.${signature}`,
    ` ${good}`,
  ]) {
    assert.equal(parseDownloadToken(text), undefined, text);
  }
});
