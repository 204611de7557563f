// How the built CLI fails: one readable line on stderr, a non-zero exit code by kind (1 failed,
// 2 usage, 75 worth retrying), no stack trace unless --debug. SQLite and closed ports only: no
// database server needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/run-cli.js';
import { tempDirsForThisFile } from '../support/revision-folder.js';

const tempDir = tempDirsForThisFile();

/** A versions folder holding the given files, and a database URL in another fresh folder. */
function folderWith(files: Record<string, string>): { dir: string; db: string } {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, db: `sqlite:${join(tempDir(), 'x.db')}` };
}

function sqlRevision(header: string): string {
  return `-- a revision\n--\n${header}\n\n-- migrate:upgrade\nSELECT 1;\n`;
}

interface Case {
  readonly name: string;
  /** The arguments, given a fresh versions folder and database. */
  readonly args: () => Promise<string[]> | string[];
  readonly exitCode: number;
  readonly message: RegExp;
}

const cases: Case[] = [
  {
    name: 'a revision file without a Revision ID',
    args: () => {
      const { dir, db } = folderWith({ '1_a.sql': sqlRevision('-- Revises:') });
      return ['upgrade', 'head', '--dir', dir, '--db', db];
    },
    exitCode: 1,
    message: /1_a\.sql line \d+: expected a `-- Revision ID: <id>` line in the header$/,
  },
  {
    name: 'a cycle',
    args: () => {
      const { dir, db } = folderWith({
        '1_a.sql': sqlRevision('-- Revision ID: a1\n-- Revises: b2'),
        '2_b.sql': sqlRevision('-- Revision ID: b2\n-- Revises: a1'),
      });
      return ['upgrade', 'head', '--dir', dir, '--db', db];
    },
    exitCode: 1,
    message:
      /The revisions form a cycle: a1 \(.*1_a\.sql\) revises b2, b2 \(.*2_b\.sql\) revises a1/,
  },
  {
    name: 'a missing parent',
    args: () => {
      const { dir } = folderWith({
        '1_a.sql': sqlRevision('-- Revision ID: a1\n-- Revises: gone'),
      });
      return ['history', '--dir', dir];
    },
    exitCode: 1,
    message: /Revision a1 \(.*1_a\.sql\) revises gone, but no revision file declares gone/,
  },
  {
    name: 'two files with one revision id',
    args: () => {
      const { dir } = folderWith({
        '1_a.sql': sqlRevision('-- Revision ID: a1\n-- Revises:'),
        '2_b.sql': sqlRevision('-- Revision ID: a1\n-- Revises:'),
      });
      return ['heads', '--dir', dir];
    },
    exitCode: 1,
    message: /Revision a1 is declared twice: in .*1_a\.sql and in .*2_b\.sql/,
  },
  {
    name: 'a database URL of an unknown kind',
    args: () => ['current', '--dir', tempDir(), '--db', 'foo://x'],
    exitCode: 2,
    message: /--db: Database URL `foo:\/\/x` names an unsupported database/,
  },
  {
    name: 'a database that cannot be reached',
    args: async () => [
      'current',
      '--dir',
      tempDir(),
      '--db',
      `postgresql://postgres@127.0.0.1:${await closedPort()}/x`,
    ],
    exitCode: 75,
    message:
      /Cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:\d+\/x: .*ECONNREFUSED.* Is the server running\?/,
  },
  {
    name: 'a versions folder that does not exist',
    args: () => ['current', '--dir', join(tempDir(), 'missing'), '--db', 'sqlite::memory:'],
    exitCode: 1,
    message: /The versions folder .*missing does not exist/,
  },
];

for (const { name, args, exitCode, message } of cases) {
  test(`${name}: one line on stderr, exit ${exitCode}, and the stack only with --debug`, async () => {
    const argv = await args();
    const result = await runCli(argv);
    assert.equal(result.code, exitCode, result.stderr);
    assert.match(oneLine(result), message);
    assert.match(oneLine(result), /^dataregistry: error: /);

    const debug = await runCli([...argv, '--debug']);
    assert.equal(debug.code, exitCode, debug.stderr);
    assert.match(debug.stderr.split('\n')[0]!, message);
    assert.match(debug.stderr, /\n {4}at /, 'the stack trace');
  });
}

const usageErrors: [string, string[], RegExp][] = [
  [
    'an unknown command',
    ['upgade'],
    /^dataregistry: error: unknown command 'upgade' \(Did you mean upgrade\?\)$/,
  ],
  [
    'an unknown option',
    ['upgrade', '--lock-timout', '3'],
    /^dataregistry: error: unknown option '--lock-timout' \(Did you mean --lock-timeout\?\)$/,
  ],
  [
    'downgrade without a target',
    ['downgrade'],
    /^dataregistry: error: missing required argument 'target'$/,
  ],
];

for (const [name, argv, message] of usageErrors) {
  test(`${name} is a usage error: one line, exit 2`, async () => {
    const result = await runCli(argv);
    assert.equal(result.code, 2, result.stderr);
    assert.match(oneLine(result), message);
    assert.equal(result.stdout, '');
  });
}

test('revision -m creates a --dir that does not exist yet', async () => {
  const dir = join(tempDir(), 'new', 'versions');
  const result = await runCli(['revision', '-m', 'first', '--dir', dir, '--db', 'sqlite::memory:']);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(existsSync(dir));
  const [file] = readdirSync(dir);
  assert.match(file ?? '', /^\d{4}_\d{2}_\d{2}_\d{4}-[0-9a-f]{12}_first\.sql$/);
  assert.equal(result.stdout.trim(), join(dir, file!));
});

/** stderr, checked to be one line without a stack trace. */
function oneLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, `one line on stderr:\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n {4}at /);
  return lines[0]!;
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
