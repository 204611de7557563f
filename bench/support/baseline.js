// Before and after: the same figure for ours and for a baseline build (`--baseline DIR`, a built
// checkout of an earlier commit), measured interleaved in one run so that the machine's load falls
// on both alike. Used by the suites that take --baseline; the verdict is a reading, not a test.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './args.js';
import { markdownTable } from './markdown.js';
import { runProcess } from './processes.js';
import { max, median, min, ratio } from './stats.js';

/**
 * The build `--baseline DIR` names: its root (which must hold a built bin/dataregistry.js) and,
 * when DIR is a git checkout, its commit for the report's heading.
 */
export function readBaselineBuild(dir) {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, 'bin', 'dataregistry.js')))
    throw new UsageError(`--baseline: ${dir} holds no bin/dataregistry.js (a built checkout)`);
  let commit;
  try {
    commit = runProcess('git', ['-C', root, 'log', '-1', '--format=%h']);
  } catch {
    commit = undefined;
  }
  return { root, commit };
}

/**
 * A change is read as noise when the two sets of samples overlap (the slowest of the faster set
 * is slower than the fastest of the other) or the medians differ by less than `tolerance`.
 */
export function readDifference(after, before, { tolerance = 0.05 } = {}) {
  const change = ratio(median(after), median(before));
  if (!Number.isFinite(change)) return { change, verdict: 'not measured' };
  const overlap = min(after) <= max(before) && min(before) <= max(after);
  if (overlap || Math.abs(change - 1) < tolerance) return { change, verdict: 'within noise' };
  return { change, verdict: change < 1 ? 'lower' : 'higher' };
}

/**
 * @param {{ what: string, unit: string, format: (value: number) => string, rows: Array<{
 *   label: string[], after: number[], before: number[], higherIsBetter?: boolean }> }} table
 *   `label` fills the first columns (named by `what`, comma-separated); samples are per round.
 */
export function baselineTable({ what, unit, format, rows }) {
  const labelColumns = what.split(',');
  const body = rows.map((row) => {
    const { change, verdict } = readDifference(row.after, row.before);
    const better = row.higherIsBetter ? 'higher' : 'lower';
    const reading =
      verdict === 'higher' || verdict === 'lower'
        ? verdict === better
          ? 'better'
          : 'worse'
        : verdict;
    const spread = (values) =>
      values.length > 1 ? ` (${format(min(values))}–${format(max(values))})` : '';
    return [
      ...row.label,
      `${format(median(row.before))}${spread(row.before)}`,
      `${format(median(row.after))}${spread(row.after)}`,
      Number.isFinite(change) ? `${change.toFixed(2)}×` : '—',
      reading,
    ];
  });
  return markdownTable(
    [
      ...labelColumns,
      `before, ${unit} (range)`,
      `after, ${unit} (range)`,
      'after ÷ before',
      'reading',
    ],
    body,
    `${'l'.repeat(labelColumns.length)}rrrl`,
  );
}
