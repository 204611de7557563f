#!/usr/bin/env node
// Runs the compiled tests (.test-build/test/**/*.test.js) with node's test runner.
// --unit: only tests that need no database server (files not named *.db.test.js, outside e2e/).
// Any other arguments filter test files by substring of their path.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = '.test-build/test';
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

let files = collect(root).sort();
if (unitOnly) {
  files = files.filter((f) => !f.endsWith('.db.test.js') && !relative(root, f).startsWith('e2e'));
}
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test file matched');
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=4', '--enable-source-maps', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
