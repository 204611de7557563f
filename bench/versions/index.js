// The file versions benchmark (issue 13): through one `dataregistry serve` per storage, a file of
// --size-mib MiB uploaded with `curl -T` as a first upload (a new name) and as a new version of a
// name that has one, alternating which goes first, so that the ratio compares the two in the same
// run; then one file given --versions versions, and the time of a page of its versions list at
// the start, the middle and the end (keyset pagination: each should cost the same). With
// `--baseline DIR` (a built checkout from before versions, e.g. 0892226), the same uploads go
// through that build's server too, interleaved round by round: its re-upload of a name replaced
// the file, so "new version ÷ that replacement" is the cost of keeping versions.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { upgradeSchema } from '../http/server.js';
import { baselineTable, readBaselineBuild } from '../support/baseline.js';
import { startRegistry, startS3rver, timeCommand } from '../files/processes.js';
import { parseNameList, UsageError } from '../support/args.js';
import { describeMachine } from '../support/machine.js';
import { markdownTable } from '../support/markdown.js';
import { findExecutable } from '../support/processes.js';
import { max, median, min, ratio } from '../support/stats.js';

export const name = 'versions';
export const heading = '## File versions';
export const options = ['size-mib', 'rounds', 'modes', 'versions', 'baseline'];
export const flags = new Set();
export const usage = `versions    [--size-mib 1024] [--rounds 2] [--modes local,s3] [--versions 10000]
              [--baseline DIR  (a built checkout from before versions: its uploads beside ours, interleaved)]`;

const MODES = ['local', 's3'];
const BUCKET = 'bench-versions';
const PAGE = 100;
const PAGE_SAMPLES = 20;

function parseCount(text, what) {
  const value = Number(String(text).replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${what}: "${text}" is not a positive number`);
  return value;
}

function writeSource(file, bytes) {
  const block = crypto.randomBytes(2 ** 20);
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) {
      fs.writeSync(fd, block.subarray(0, Math.min(block.length, bytes - written)));
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function startStack(mode, root, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const databaseUrl = `sqlite:${path.join(dir, 'x.db')}`;
  upgradeSchema(root, databaseUrl);
  let s3;
  let storageEnv = { DATA_REGISTRY_STORAGE: path.join(dir, 'files') };
  if (mode === 's3') {
    s3 = await startS3rver({ root, bucket: BUCKET, directory: path.join(dir, 's3rver') });
    storageEnv = {
      DATA_REGISTRY_STORAGE: `s3://${BUCKET}`,
      DATA_REGISTRY_S3_ENDPOINT: s3.endpoint,
      DATA_REGISTRY_S3_REGION: 'us-east-1',
      DATA_REGISTRY_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    };
  }
  const server = await startRegistry({
    root,
    databaseUrl,
    storageEnv,
    logFile: path.join(dir, 'server.log'),
  });
  const response = await fetch(`${server.url}/api/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench-versions-${mode}` }),
  });
  if (!response.ok) throw new Error(`POST /api/records answered ${response.status}`);
  const record = await response.json();
  return {
    files: `${server.url}/api/records/${record.id}/files`,
    async stop() {
      await server.stop();
      await s3?.stop();
    },
  };
}

/** `curl -T` of the source; resolves to the time and the answer's version. */
async function timedUpload(curl, source, url, answerFile) {
  const { ms, stdout } = await timeCommand(curl, [
    '-sS',
    '-T',
    source,
    '-o',
    answerFile,
    '-w',
    '%{http_code}',
    url,
  ]);
  if (stdout !== '200' && stdout !== '201')
    throw new Error(`PUT answered ${stdout}: ${fs.readFileSync(answerFile, 'utf8').slice(0, 300)}`);
  return { ms, version: JSON.parse(fs.readFileSync(answerFile, 'utf8')).version };
}

/**
 * For each build (ours, and the baseline's when given), a first upload of a new name and an
 * upload over a name that has one, `settings.rounds` times; builds and kinds alternate from round
 * to round so that the machine's load falls on all alike.
 */
async function measureUploads({ mode, builds, dir, settings, source, curl, log }) {
  const stacks = [];
  try {
    for (const build of builds)
      stacks.push({ build, stack: await startStack(mode, build.root, path.join(dir, build.name)) });
    const samples = Object.fromEntries(
      builds.map((build) => [build.name, { first: [], next: [] }]),
    );
    const answer = path.join(dir, 'answer.json');
    for (const { stack } of stacks)
      await timedUpload(curl, source, `${stack.files}/series.bin`, answer);
    for (let round = 0; round < settings.rounds; round += 1) {
      const kinds = round % 2 === 0 ? ['first', 'next'] : ['next', 'first'];
      const order = round % 2 === 0 ? stacks : [...stacks].reverse();
      for (const kind of kinds) {
        for (const { build, stack } of order) {
          const url =
            kind === 'first' ? `${stack.files}/new-${round}.bin` : `${stack.files}/series.bin`;
          const run = await timedUpload(curl, source, url, answer);
          samples[build.name][kind].push(run.ms);
          const what =
            kind === 'first'
              ? 'first upload'
              : run.version === undefined
                ? 'replacement'
                : `version ${run.version}`;
          log(`versions: ${mode} ${build.name} ${what}: ${run.ms.toFixed(0)} ms`);
        }
      }
    }
    return samples;
  } finally {
    for (const { stack } of stacks) await stack.stop();
  }
}

/** Versions of one small file, then pages of its versions list at three cursors. */
async function measureListing({ root, dir, settings, log }) {
  const stack = await startStack('local', root, dir);
  try {
    const url = `${stack.files}/many.txt`;
    const started = Date.now();
    for (let version = 1; version <= settings.versions; version += 1) {
      const response = await fetch(url, { method: 'PUT', body: `version ${version}` });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`PUT of version ${version} answered ${response.status}`);
      if (version % 2000 === 0) log(`versions: ${version} versions written`);
    }
    const writeMs = Date.now() - started;
    const cursorAt = (version) =>
      Buffer.from(`file-versions:${version}`, 'utf8').toString('base64url');
    const positions = [
      ['first page', undefined],
      ['middle page', Math.ceil(settings.versions / 2)],
      ['last page', PAGE + 1],
    ];
    const times = positions.map(() => []);
    // Interleaved, after one request of each, so that warming up favours no position.
    for (let sample = -1; sample < PAGE_SAMPLES; sample += 1) {
      for (const [index, [label, below]] of positions.entries()) {
        const query = below === undefined ? '' : `&cursor=${cursorAt(below)}`;
        const begin = process.hrtime.bigint();
        const response = await fetch(`${url}/versions?limit=${PAGE}${query}`);
        const page = await response.json();
        const ms = Number(process.hrtime.bigint() - begin) / 1e6;
        if (!response.ok || page.items.length !== PAGE)
          throw new Error(`${label}: ${response.status}, ${page.items?.length} items`);
        if (sample >= 0) times[index].push(ms);
      }
    }
    const pages = positions.map(([label, below], index) => ({
      label,
      below,
      ms: median(times[index]),
    }));
    return { writeMs, pages };
  } finally {
    await stack.stop();
  }
}

export async function run({ options, root, log, commandLine }) {
  const settings = {
    sizeMib: parseCount(options.get('size-mib') ?? '1024', '--size-mib'),
    rounds: parseCount(options.get('rounds') ?? '2', '--rounds'),
    modes: parseNameList(options.get('modes') ?? MODES.join(','), MODES, '--modes'),
    versions: parseCount(options.get('versions') ?? '10000', '--versions'),
  };
  if (settings.versions <= 2 * PAGE) throw new UsageError(`--versions: more than ${2 * PAGE}`);
  const builds = [{ name: 'ours', root }];
  const baselineDir = options.get('baseline');
  if (baselineDir !== undefined) {
    const baseline = readBaselineBuild(baselineDir);
    settings.baselineCommit = baseline.commit ?? baseline.root;
    builds.push({ name: 'before', root: baseline.root });
  }
  const curl = findExecutable('curl');
  if (!curl) throw new Error('the versions benchmark needs curl on PATH');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataregistry-bench-versions-'));
  try {
    const source = path.join(workDir, 'source.bin');
    log(`versions: writing a ${settings.sizeMib} MiB source file`);
    writeSource(source, settings.sizeMib * 2 ** 20);
    const uploads = {};
    for (const mode of settings.modes) {
      const dir = path.join(workDir, mode);
      fs.mkdirSync(dir);
      uploads[mode] = await measureUploads({ mode, builds, dir, settings, source, curl, log });
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const listDir = path.join(workDir, 'listing');
    fs.mkdirSync(listDir);
    const listing = await measureListing({ root, dir: listDir, settings, log });
    return report({ settings, uploads, listing, commandLine });
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function report({ settings, uploads, listing, commandLine }) {
  const mib = settings.sizeMib;
  const rate = (ms) => `${(mib / (ms / 1000)).toFixed(0)} MiB/s`;
  const runs = (values) => values.map((ms) => ms.toFixed(0)).join(', ');
  const uploadRows = Object.entries(uploads).map(
    ([
      mode,
      {
        ours: { first, next },
      },
    ]) => [
      mode === 'local' ? 'local folder' : 'S3 (s3rver)',
      `${median(first).toFixed(0)} ms (${rate(median(first))})`,
      `${median(next).toFixed(0)} ms (${rate(median(next))})`,
      ratio(median(next), median(first)).toFixed(2),
      `${runs(first)} / ${runs(next)}`,
      min(next) <= max(first) && min(first) <= max(next) ? 'yes: the difference is noise' : 'no',
    ],
  );
  const pageRows = listing.pages.map((page) => [
    page.label,
    page.below === undefined ? '—' : `versions below ${page.below}`,
    `${page.ms.toFixed(1)} ms`,
    ratio(page.ms, listing.pages[0].ms).toFixed(2),
  ]);
  return [
    heading,
    '',
    `\`${commandLine}\` — ${machineLine()}.`,
    '',
    `Uploading a new version of a name costs what a first upload of a new name costs: both stream a ${mib} MiB file with \`curl -T\` through one \`dataregistry serve\` (SQLite), the median of ${settings.rounds} runs each, alternating which goes first. The new version also keeps the version it supersedes; that is one more row update in the transaction that writes it, and no copy.`,
    '',
    markdownTable(
      [
        'storage',
        'first upload',
        'new version',
        'new ÷ first',
        'runs, ms (first / new)',
        'runs overlap?',
      ],
      uploadRows,
    ),
    '',
    `One file with ${settings.versions} versions (written in ${(listing.writeMs / 1000).toFixed(0)} s, one PUT each): a page of ${PAGE} of \`GET …/files/{name}/versions\`, median of ${PAGE_SAMPLES} requests, at three places in the list. Keyset pagination on the index \`files_name_version_idx\`: every page is an index range of the same length.`,
    '',
    markdownTable(['page', 'cursor', 'time', '÷ first page'], pageRows),
    '',
    ...baselineSection(settings, uploads),
  ].join('\n');
}

/** With `--baseline`: each upload's time through ours and through the build from before versions. */
function baselineSection(settings, uploads) {
  if (settings.baselineCommit === undefined) return [];
  const storage = (mode) => (mode === 'local' ? 'local folder' : 'S3 (s3rver)');
  const rows = Object.entries(uploads).flatMap(([mode, { ours, before }]) => [
    { label: [storage(mode), 'first upload of a name'], after: ours.first, before: before.first },
    {
      label: [storage(mode), 'upload over a name (after: a new version; before: a replacement)'],
      after: ours.next,
      before: before.next,
    },
  ]);
  return [
    `### Before and after: against \`${settings.baselineCommit}\`, from before versions, interleaved`,
    '',
    baselineTable({ what: 'storage,upload', unit: 'ms', format: (ms) => ms.toFixed(0), rows }),
    '',
    '“within noise”: the ranges of the runs overlap, or the medians differ by under 5%.',
    '',
  ];
}

function machineLine() {
  const machine = describeMachine();
  const load = os.loadavg()[0].toFixed(1);
  return `${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node.js ${machine.node}; load average ${load} at the end (other work shares the machine)`;
}
