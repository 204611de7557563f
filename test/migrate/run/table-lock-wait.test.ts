import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeLockHolders, retryDelayMs } from '../../../src/migrate/run/table-lock-wait.js';
import type { TableLockHolder } from '../../../src/db/dialect-adapter.js';

test('the backoff starts at 0.5 s and doubles to at most 10 s, with at most half of it random', () => {
  const nominal = [500, 1000, 2000, 4000, 8000, 10_000, 10_000];
  nominal.forEach((ms, index) => {
    assert.equal(
      retryDelayMs(index + 1, () => 0),
      ms / 2,
      `retry ${index + 1}, least`,
    );
    assert.equal(
      retryDelayMs(index + 1, () => 1),
      ms,
      `retry ${index + 1}, most`,
    );
  });
});

const holder: TableLockHolder = {
  sessionId: 4242,
  label: 'pid 4242',
  applicationName: 'psql',
  user: 'app',
  client: '10.0.0.7',
  state: 'idle in transaction',
  transactionAgeMs: 6100,
  isGuess: false,
};

test('a holder is named with what the database showed of it', () => {
  assert.equal(
    describeLockHolders([holder]),
    'lock held by pid 4242 (application "psql", user app, from 10.0.0.7, idle in transaction, transaction open 6.1 s)',
  );
  assert.equal(
    describeLockHolders([
      { ...holder, applicationName: undefined, client: undefined, transactionAgeMs: undefined },
    ]),
    'lock held by pid 4242 (user app, idle in transaction)',
  );
});

test('a guessed holder says so, many holders are cut at three, and none is said', () => {
  assert.match(
    describeLockHolders([{ ...holder, isGuess: true }]),
    /^lock probably held by a session with an open transaction: pid 4242/,
  );
  const many = [1, 2, 3, 4, 5].map((n) => ({ ...holder, label: `pid ${n}` }));
  assert.match(describeLockHolders(many), /pid 3 \(.*\); and 2 more$/);
  assert.equal(describeLockHolders([]), 'the database did not say who holds the lock');
});
