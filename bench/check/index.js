// The check benchmark: whole-process timings of `check` on the migrations benchmark's chain of N
// revisions (lint of all three dialects; lint and round trip on SQLite) beside `upgrade head` of
// the same chain on a fresh SQLite file, interleaved, so that the figures are ratios of one run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseIntegerList } from '../support/args.js';
import { markdownTable } from '../support/markdown.js';
import { timeProcess } from '../support/processes.js';
import { median, ratio, rotate } from '../support/stats.js';
import { writeWorkload } from '../migrations/workload.js';

export const name = 'check';
export const heading = '## Check';
export const options = ['sizes', 'runs'];
export const flags = new Set();
export const usage = 'check  [--sizes 250,1000] [--runs 3]';

/** The issue's target: the lint of a 1000-revision chain in under 2 s. */
const LINT_TARGET_MS = 2000;

export async function run({ options, root, log, commandLine }) {
  const sizes = parseIntegerList(options.get('sizes') ?? '250,1000', '--sizes');
  const runs = parseIntegerList(options.get('runs') ?? '3', '--runs')[0];
  const cli = path.join(root, 'bin', 'dataregistry.js');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dataregistry-bench-check-'));
  const rows = [];
  try {
    for (const size of sizes) {
      const { ours } = writeWorkload(path.join(work, String(size)), size);
      const operations = {
        'upgrade head (sqlite)': (i) => [
          'upgrade',
          'head',
          '--dir',
          ours,
          '--db',
          `sqlite:${path.join(work, `${size}-${i}.db`)}`,
        ],
        'check --no-round-trip (lint, 3 dialects)': () => [
          'check',
          '--dir',
          ours,
          '--no-round-trip',
        ],
        'check --dialect sqlite (lint + round trip)': () => [
          'check',
          '--dir',
          ours,
          '--dialect',
          'sqlite',
        ],
      };
      const samples = Object.fromEntries(Object.keys(operations).map((op) => [op, []]));
      for (let i = 0; i < runs; i += 1) {
        for (const op of rotate(Object.keys(operations), i)) {
          const { ms } = timeProcess(process.execPath, [cli, ...operations[op](i)], { cwd: root });
          samples[op].push(ms);
          log(`check ${size}: ${op} ${Math.round(ms)} ms`);
        }
      }
      const upgrade = median(samples['upgrade head (sqlite)']);
      for (const [op, values] of Object.entries(samples)) {
        const ms = median(values);
        rows.push([
          size,
          op,
          Math.round(ms),
          (ms / size).toFixed(2),
          ratio(ms, upgrade).toFixed(1),
        ]);
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const lint1000 = rows.find((r) => r[0] === 1000 && String(r[1]).startsWith('check --no'));
  return [
    heading,
    '',
    `Command: \`${commandLine}\`. Whole processes of the built CLI, median of ${runs} interleaved runs, on the`,
    "migrations benchmark's chain (each revision creates a table and an index, its downgrade drops the table).",
    '',
    markdownTable(['revisions', 'command', 'ms', 'ms / revision', '× upgrade head'], rows, 'rlrrr'),
    '',
    lint1000 === undefined
      ? ''
      : `Lint of 1000 revisions: ${lint1000[2]} ms against a target of ${LINT_TARGET_MS} ms (${lint1000[2] <= LINT_TARGET_MS ? 'met' : 'missed'}).`,
    '',
  ].join('\n');
}
