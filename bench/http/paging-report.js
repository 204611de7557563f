// The paging part of the "## HTTP API" section: page latency at the start, middle and end of a
// big table, the walk per tenth of the table, and the plan of a page.
import { markdownTable } from '../support/markdown.js';
import { max, median, min } from '../support/stats.js';
import { ms } from './format.js';

/**
 * Paging is flat when no position's median page time exceeds the fastest position's by more than
 * this factor or, for pages of a few milliseconds where timer noise dominates, by more than
 * FLAT_SLACK_MS.
 */
export const FLAT_FACTOR = 1.5;
export const FLAT_SLACK_MS = 1;

export function isFlat(paging) {
  const medians = paging.positions.map((position) => median(position.api));
  const fastest = min(medians);
  return max(medians) <= Math.max(FLAT_FACTOR * fastest, fastest + FLAT_SLACK_MS);
}

/** @param {Array<[string, any]>} paged dialect entries that have `paging` */
export function pagingSection(paged) {
  const total = paged[0][1].paging.loaded.rows;
  const rows = paged.flatMap(([, entry]) =>
    entry.paging.positions.map((position) => [
      entry.label,
      position.name,
      `${position.startRow.toLocaleString('en-US')}–${position.endRow.toLocaleString('en-US')}`,
      ms(median(position.api)),
      ms(max(position.api)),
      ms(median(position.limit)),
      ms(max(position.limit)),
      isFlat(entry.paging) ? 'yes' : '**no**',
    ]),
  );
  const walkRows = paged.map(([, entry]) => [
    entry.label,
    ...entry.paging.walk.tenths.map((tenth) => ms(tenth.median)),
  ]);
  return [
    `### Paging ${total.toLocaleString('en-US')} records: \`GET /api/records?limit=100\` from the first page to the last`,
    '',
    'One request at a time through `next_cursor` (`--log-level warn`), after 300 warm-up requests. Ten',
    'pages of 100 at the start, in the middle and at the end, each page requested 5 times and its median',
    'kept (time to the last byte); the stretches between are walked with `limit=1000`. Beside each, the',
    'same SELECT run directly (the limit). _Flat_: the slowest position’s median is within',
    `${FLAT_FACTOR}× (or ${FLAT_SLACK_MS} ms) of the fastest’s.`,
    '',
    markdownTable(
      [
        'database',
        'position',
        'rows',
        'API median',
        'API slowest page',
        'limit median',
        'limit slowest page',
        'flat',
      ],
      rows,
      'lllrrrrl',
    ),
    '',
    'Walking with `limit=1000`: median request time per tenth of the table (1 = the oldest records).',
    '',
    markdownTable(
      ['database', ...Array.from({ length: 10 }, (_, i) => `${i + 1}`)],
      walkRows,
      'lrrrrrrrrrr',
    ),
    '',
    ...paged.map(([, entry]) => {
      const { paging } = entry;
      return (
        `- **${entry.label}:** ${paging.loaded.rows.toLocaleString('en-US')} records bulk-loaded in ${(paging.loaded.ms / 1000).toFixed(1)} s ` +
        `(one \`INSERT … SELECT\` over a generated series, then statistics); the walk (${paging.walk.requests} pages of ` +
        `${paging.walk.pageSize} and 30 × 5 sampled pages of 100) took ${(paging.walkMs / 1000).toFixed(1)} s. ` +
        `Plan of a middle page: ${paging.plan.map((line) => `\`${line}\``).join(' → ')}.`
      );
    }),
  ];
}

/** One line of the reading for a dialect's paging. */
export function pagingReading(entry) {
  const medians = entry.paging.positions.map((p) => `${p.name} ${ms(median(p.api))}`);
  const limits = entry.paging.positions.map((p) => ms(median(p.limit)));
  return (
    `- **${entry.label}, paging:** ${isFlat(entry.paging) ? 'flat' : '**not flat**'} (API ${medians.join(', ')}; ` +
    `the SELECT alone ${limits.join(', ')}): every page is a range scan of the primary key from the ` +
    'cursor’s id, so where it starts does not matter.'
  );
}
