// Turns the files measurements into the "## Files" section: per storage and direction, the API's
// throughput beside the limit's, the server's peak memory, whether the targets are met, each run,
// and a short reading generated from the figures.
import { describeMachine } from '../support/machine.js';
import { markdownTable } from '../support/markdown.js';
import { PUT_PART_SIZE, PUT_QUEUE_SIZE } from './steps.js';

/** API MiB/s ÷ limit MiB/s at least this (issue #4). */
export const TARGET_SHARE = { local: 0.7, s3: 0.8 };
/** The server's peak RSS under this many bytes (200 MB). */
export const TARGET_RSS = 200e6;

const LABEL = { local: 'local folder', s3: 'S3 (s3rver)' };
const LIMIT = {
  local: { upload: '`dd if=/dev/zero bs=1M conv=fsync`', download: 'bare `node:http` file server' },
  s3: { upload: '`@aws-sdk/lib-storage` Upload', download: 'presigned GET' },
};

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const rate = (bytes, ms) => bytes / 2 ** 20 / (ms / 1000);
const fmtRate = (value) => (Number.isFinite(value) ? `${value.toFixed(0)} MiB/s` : '—');
const fmtMb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(0)} MB` : '—');
const fmtShare = (value) => (Number.isFinite(value) ? `${Math.round(value * 100)}%` : '—');

/** Mean throughput of the runs (total bytes ÷ total time), MiB/s; NaN without runs. */
function throughput(runs, key, bytes) {
  return runs.length === 0 ? NaN : rate(bytes, mean(runs.map((run) => run[key])));
}

function summarise(results) {
  const bytes = results.settings.sizeMib * 2 ** 20;
  return Object.entries(results.modes).flatMap(([mode, { api, limit }]) =>
    ['upload', 'download'].map((direction) => {
      const key = `${direction}Ms`;
      const apiRate = throughput(api, key, bytes);
      const limitRate = throughput(limit, key, bytes);
      const peakRss = Math.max(...api.map((run) => run.hwm ?? run[`${direction}PeakRss`]));
      const share = apiRate / limitRate;
      const met =
        Number.isFinite(share) && Number.isFinite(peakRss)
          ? share >= TARGET_SHARE[mode] && peakRss < TARGET_RSS
          : undefined;
      return { mode, direction, apiRate, limitRate, share, peakRss, met, runs: api.length };
    }),
  );
}

export function renderReport(results, { commandLine }) {
  const { settings } = results;
  const machine = describeMachine();
  const rows = summarise(results);
  const helper = Object.values(results.modes)
    .flatMap(({ api, limit }) => [...api, ...limit])
    .find((run) => run.s3Helper)?.s3Helper;
  const lines = [
    '## Files',
    '',
    `Measured ${results.started.toISOString().slice(0, 16).replace('T', ' ')} UTC with:`,
    '',
    '```sh',
    commandLine,
    '```',
    '',
    `- **Machine:** ${machine.cpuCount} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}; Node.js ${machine.node}. ` +
      `Load average (1 min) at the start and the end: ${results.loadBefore.toFixed(2)} and ${results.loadAfter.toFixed(2)}.`,
    `- **File:** ${settings.sizeMib} MiB of random bytes, in a temporary folder on the same disk as the storage; ` +
      'its sha256 and size are checked against the PUT answer, the size of every download too.',
    '- **API:** `node bin/dataregistry.js serve --db sqlite:<tmp>/x.db --port <free> --log-level warn`, a fresh process per run, ' +
      'one record made by `POST /api/records`; then `curl -T <file> …/api/records/{id}/files/big.bin` (a streamed PUT with ' +
      '`Content-Length`) and `curl -o /dev/null …/files/big.bin`, timed from spawn to exit. Storage: ' +
      '`DATA_REGISTRY_STORAGE=<tmp folder>` (local) or `s3://bench-bucket` with `DATA_REGISTRY_S3_ENDPOINT`, ' +
      '`DATA_REGISTRY_S3_REGION=us-east-1`, `DATA_REGISTRY_S3_FORCE_PATH_STYLE=true` and `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY=S3RVER`.',
    `- **S3:** s3rver 3.7 on 127.0.0.1, its own process, a fresh one (and folder) per run${helper ? `, started through ${helper === 'plain s3rver' ? 'plain s3rver' : `the tests' helper (\`${helper}\`, from \`.test-build/\`: parts and objects reach the disk before s3rver answers)`}` : ''}.`,
    '- **Limit:** the same bytes to the same storage without the registry. Upload: ' +
      `${LIMIT.local.upload} into the storage's folder (local; from \`/dev/zero\`, so no reading), ` +
      `a ${LIMIT.s3.upload} of the file with the server's settings (${PUT_PART_SIZE / 2 ** 20} MiB parts, ${PUT_QUEUE_SIZE} in flight) to the same kind of s3rver (S3). ` +
      `Download: the same \`curl\` against a ${LIMIT.local.download} streaming the file in 1 MiB reads, as the registry does (local), or a ${LIMIT.s3.download} of the object from s3rver (S3).`,
    `- **Runs:** ${settings.rounds} of each, limit and API taking turns (order swapped each round and between storages); ` +
      'throughput is the size ÷ the mean time of the runs. **Peak RSS**: the server process’s VmHWM (`/proc/<pid>/status`) ' +
      'at the end of its run — startup, upload and download — the largest of the runs (VmRSS sampled every 50 ms agrees).',
    `- **Targets** (issue #4): API ≥ ${fmtShare(TARGET_SHARE.local)} of the limit (local), ≥ ${fmtShare(TARGET_SHARE.s3)} (S3); peak RSS < 200 MB.`,
    '',
  ];
  if (rows.some((row) => row.runs > 0)) {
    lines.push(
      markdownTable(
        [
          'storage',
          'direction',
          'API',
          'limit',
          'limit is',
          'API ÷ limit',
          'server peak RSS',
          'target met',
        ],
        rows.map((row) => [
          LABEL[row.mode],
          row.direction,
          fmtRate(row.apiRate),
          fmtRate(row.limitRate),
          LIMIT[row.mode][row.direction],
          fmtShare(row.share),
          fmtMb(row.peakRss),
          row.met === undefined ? '—' : row.met ? 'yes' : '**no**',
        ]),
        'llrrlrrl',
      ),
      '',
      '### Each run',
      '',
      runsTable(results),
      '',
    );
  }
  lines.push('### Reading', '', ...reading(rows, results), '');
  if (results.failures.length > 0)
    lines.push('### Failures', '', ...results.failures.map((f) => `- ${f.split('\n')[0]}`), '');
  return lines.join('\n');
}

function runsTable(results) {
  const bytes = results.settings.sizeMib * 2 ** 20;
  const rows = [];
  for (const [mode, { api, limit }] of Object.entries(results.modes)) {
    for (let i = 0; i < Math.max(api.length, limit.length); i += 1) {
      rows.push([
        LABEL[mode],
        String(i + 1),
        api[i] ? fmtRate(rate(bytes, api[i].uploadMs)) : '—',
        limit[i] ? fmtRate(rate(bytes, limit[i].uploadMs)) : '—',
        api[i] ? fmtRate(rate(bytes, api[i].downloadMs)) : '—',
        limit[i] ? fmtRate(rate(bytes, limit[i].downloadMs)) : '—',
        api[i] ? fmtMb(api[i].uploadPeakRss) : '—',
        api[i] ? fmtMb(api[i].downloadPeakRss) : '—',
        api[i] ? fmtMb(api[i].hwm) : '—',
        api[i] ? fmtMb(api[i].idleRss) : '—',
      ]);
    }
  }
  return markdownTable(
    [
      'storage',
      'run',
      'upload API',
      'upload limit',
      'download API',
      'download limit',
      'RSS peak, upload (50 ms)',
      'download (50 ms)',
      'VmHWM',
      'RSS idle (after start)',
    ],
    rows,
    'lrrrrrrrrr',
  );
}

function reading(rows, results) {
  const out = [];
  for (const row of rows) {
    if (row.runs === 0) continue;
    const target = TARGET_SHARE[row.mode];
    out.push(
      `- **${LABEL[row.mode]}, ${row.direction}:** ${fmtRate(row.apiRate)} through the API, ${fmtShare(row.share)} of the limit's ` +
        `${fmtRate(row.limitRate)} (target ${fmtShare(target)}: ${row.share >= target ? 'met' : '**missed**'}); ` +
        `the server peaked at ${fmtMb(row.peakRss)} (${row.peakRss < TARGET_RSS ? 'under' : '**over**'} 200 MB).`,
    );
  }
  const apiRuns = Object.values(results.modes).flatMap(({ api }) => api);
  const idle = apiRuns.map((run) => run.idleRss).filter(Number.isFinite);
  if (idle.length > 0) {
    const added = Math.max(...apiRuns.map((run) => run.hwm - run.idleRss).filter(Number.isFinite));
    out.push(
      `- **Memory:** a freshly started server already holds ${fmtMb(mean(idle))} (RSS before any transfer); ` +
        `the ${results.settings.sizeMib} MiB transfers add at most ${fmtMb(added)} on top (part buffers, stream buffers and request chunks not yet collected, the S3 SDK).`,
    );
  }
  const s3Upload = rows.find((row) => row.mode === 's3' && row.direction === 'upload');
  if (s3Upload?.runs > 0)
    out.push(
      '- **S3 is s3rver-bound here:** one Node.js process writing every part to disk and ' +
        'concatenating them on completion; the registry streams into it with the same part size and ' +
        'parts in flight as the limit (through reused part buffers of its own, where lib-storage ' +
        'concatenates a new buffer per part), so the upload ratio measures the registry’s overhead, not S3’s speed. ' +
        'A download is one s3rver GET relayed by the server: the relay (a second HTTP hop on the same CPUs) is its cost.',
    );
  const machine = describeMachine();
  if (results.loadBefore > machine.cpuCount / 2)
    out.push(
      `- **Noise:** the load average was ${results.loadBefore.toFixed(1)} at the start on ${machine.cpuCount} CPUs ` +
        '(other work on the machine); compare the runs above before trusting a ratio near its target.',
    );
  if (results.failures.length > 0)
    out.push(
      `- ${results.failures.length} run(s) failed (listed below); their figures are missing from the means.`,
    );
  return out;
}
