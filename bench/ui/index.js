// The web interface benchmark (issue #14), in Debian's Chromium driven by playwright-core against
// `dataregistry serve` on the embedded default (SQLite in the work folder, local files):
// - first page interactive: from navigation start to the first page of records listed and the
//   search box ready, with --records records (100,000), each run on a fresh browser profile (an
//   empty cache), budget 1 s;
// - the JavaScript shipped (gzipped as the server sends it), budget 150 KB;
// - a --size-mib MiB (1 GiB) upload from the browser (the "Upload files" input, one streamed PUT)
//   beside `curl -T` of the same file to the same server, alternating, budget ≥ 70 % of curl's;
//   and, as the pace the interface cannot beat, a bare XMLHttpRequest PUT of the same file from
//   the same page (no interface code: what Chromium's upload path alone achieves).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { UsageError } from '../support/args.js';
import { describeMachine } from '../support/machine.js';
import { markdownTable } from '../support/markdown.js';
import { findExecutable } from '../support/processes.js';
import { median } from '../support/stats.js';
import { loadRecords } from '../http/load.js';
import { cleanEnvironment } from '../http/server.js';
import { startHttpProcess, timeCommand } from '../files/processes.js';

export const name = 'ui';
export const heading = '## Web interface';
export const options = ['records', 'size-mib', 'rounds'];
export const flags = new Set();
export const usage = `ui          [--records 100000] [--size-mib 1024] [--rounds 3]`;

const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const budgets = { interactiveMs: 1000, gzippedJsBytes: 150 * 1000, uploadRatio: 0.7 };

function parseCount(text, what) {
  const value = Number(String(text).replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`${what}: "${text}" is not a positive number`);
  }
  return value;
}

export async function run({ options, root, log, commandLine }) {
  const settings = {
    records: parseCount(options.get('records') ?? '100000', '--records'),
    sizeMib: parseCount(options.get('size-mib') ?? '1024', '--size-mib'),
    rounds: parseCount(options.get('rounds') ?? '3', '--rounds'),
  };
  if (!fs.existsSync(chromiumPath)) throw new Error(`the ui benchmark needs ${chromiumPath}`);
  const curl = findExecutable('curl');
  if (!curl) throw new Error('the ui benchmark needs curl on PATH');
  const { chromium } = await import('playwright-core');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataregistry-bench-ui-'));
  const launch = async () => {
    const profile = fs.mkdtempSync(path.join(workDir, 'profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1440, height: 900 },
    });
    return { context, close: () => context.close() };
  };
  const server = await startHttpProcess({
    root: workDir,
    logFile: path.join(workDir, 'serve.log'),
    env: cleanEnvironment(),
    args: (port) => [
      path.join(root, 'bin', 'dataregistry.js'),
      'serve',
      '--port',
      String(port),
      '--log-level',
      'warn',
    ],
  });
  try {
    const shipped = measureShipped(root);
    log(`ui: loading ${settings.records} records`);
    const loaded = await loadRecords(
      { dialect: 'sqlite', file: path.join(workDir, 'data', 'dataregistry.db') },
      settings.records,
      'bench',
    );
    const interactive = [];
    for (let round = 0; round < settings.rounds; round += 1) {
      const browser = await launch();
      try {
        interactive.push(await measureFirstPage(browser.context, server.url));
      } finally {
        await browser.close();
      }
      log(`ui: first page interactive in ${Math.round(interactive.at(-1).interactiveMs)} ms`);
    }
    const loadBefore = os.loadavg()[0];
    const uploads = await measureUploads({ settings, workDir, server, curl, launch, log });
    const load = { before: loadBefore, after: os.loadavg()[0] };
    return renderReport({
      settings,
      shipped,
      rows: loaded.rows,
      interactive,
      uploads,
      load,
      commandLine,
      machine: describeMachine(),
    });
  } finally {
    await server.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The bytes of dist/ui's JavaScript and CSS, raw and gzipped at the level the server uses. */
function measureShipped(root) {
  const assets = path.join(root, 'dist', 'ui', 'assets');
  const sizes = { js: { raw: 0, gzipped: 0 }, css: { raw: 0, gzipped: 0 } };
  for (const file of fs.readdirSync(assets)) {
    const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : undefined;
    if (kind === undefined) continue;
    const body = fs.readFileSync(path.join(assets, file));
    sizes[kind].raw += body.length;
    sizes[kind].gzipped += gzipSync(body, { level: 9 }).length;
  }
  return sizes;
}

/**
 * Navigation start to the moment the list shows its first page with a usable search box, read
 * in the page (performance.now() counts from navigation start).
 */
async function measureFirstPage(context, url) {
  const page = await context.newPage();
  await page.goto(`${url}/`, { waitUntil: 'commit' });
  const interactiveMs = await page.evaluate(`new Promise((resolve) => {
    const ready = () =>
      document.querySelectorAll('.record-list li').length >= 50 &&
      document.querySelector('input[type="search"]') !== null;
    if (ready()) return resolve(performance.now());
    new MutationObserver((_, observer) => {
      if (ready()) { observer.disconnect(); resolve(performance.now()); }
    }).observe(document, { subtree: true, childList: true });
  })`);
  const first = await page.locator('.record-list .record-name').first().textContent();
  await page.close();
  return { interactiveMs, first };
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

/** Browser and curl uploads of the same file to one record, alternating which goes first. */
async function measureUploads({ settings, workDir, server, curl, launch, log }) {
  const bytes = settings.sizeMib * 2 ** 20;
  const file = path.join(workDir, 'upload.bin');
  log(`ui: writing a ${settings.sizeMib} MiB source file`);
  writeSource(file, bytes);
  const created = await fetch(`${server.url}/api/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench uploads ${Date.now()}` }),
  });
  const record = await created.json();
  const browser = await launch();
  const results = { browser: [], curl: [], bare: [] };
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/records/${record.id}`);
    await page.getByLabel('Upload files').waitFor();
    for (let round = 0; round < settings.rounds; round += 1) {
      // Rotated, so that each kind goes first, second and third in turn.
      const kinds = ['curl', 'browser', 'bare'];
      const order = [...kinds.slice(round % 3), ...kinds.slice(0, round % 3)];
      for (const kind of order) {
        const ms =
          kind === 'curl'
            ? (
                await timeCommand(curl, [
                  '-sS',
                  '--fail',
                  '-o',
                  '/dev/null',
                  '-T',
                  file,
                  `${server.url}/api/records/${record.id}/files/curl.bin`,
                ])
              ).ms
            : kind === 'browser'
              ? await browserUpload(page, file)
              : await bareBrowserUpload(page, file, `/api/records/${record.id}/files/bare.bin`);
        results[kind].push(ms);
        log(`ui: ${kind} upload of ${settings.sizeMib} MiB in ${Math.round(ms)} ms`);
      }
    }
  } finally {
    await browser.close();
  }
  return { bytes, ...results };
}

/** One upload through the page's "Upload files" input; ms from choosing to the server's answer. */
async function browserUpload(page, file) {
  const done = page.locator('.upload.done');
  const before = await done.count();
  const started = performance.now();
  await page.getByLabel('Upload files').setInputFiles(file);
  await done.nth(before).waitFor({ timeout: 600_000 });
  const ms = performance.now() - started;
  return ms;
}

/**
 * The same file PUT by a bare XMLHttpRequest from the page (an input of its own, none of the
 * interface's code on the way); ms from choosing to the server's answer.
 */
async function bareBrowserUpload(page, file, url) {
  await page.evaluate(`(() => {
    if (document.getElementById('bench-bare') !== null) return;
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-bare';
    input.hidden = true;
    document.body.append(input);
  })()`);
  const started = performance.now();
  await page.locator('#bench-bare').setInputFiles(file);
  const status = await page.evaluate(`new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', ${JSON.stringify(url)});
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.onload = () => resolve(xhr.status);
    xhr.onerror = () => reject(new Error('the bare upload failed'));
    xhr.send(document.getElementById('bench-bare').files[0]);
  })`);
  const ms = performance.now() - started;
  if (status !== 200 && status !== 201) throw new Error(`the bare upload answered ${status}`);
  return ms;
}

function renderReport({
  settings,
  shipped,
  rows,
  interactive,
  uploads,
  load,
  commandLine,
  machine,
}) {
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  const ms = (n) => `${Math.round(n)} ms`;
  const mibps = (t) => `${(uploads.bytes / 2 ** 20 / (t / 1000)).toFixed(0)} MiB/s`;
  const firstMs = interactive.map((run) => run.interactiveMs);
  const browserMs = median(uploads.browser);
  const curlMs = median(uploads.curl);
  const bareMs = median(uploads.bare);
  const share = (numerator, denominator) => `${((numerator / denominator) * 100).toFixed(0)} %`;
  const pairwise = uploads.browser.map((b, i) => uploads.curl[i] / b);
  const ratio = curlMs / browserMs;
  const verdict = (ok) => (ok ? 'within' : '**over**');
  return [
    heading,
    '',
    `Command: \`${commandLine}\`, on ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node.js ${machine.node}; Chromium ${chromiumPath} headless.`,
    `Embedded default (SQLite, local files), ${rows.toLocaleString('en')} records; ${settings.rounds} runs each, medians.`,
    '',
    markdownTable(
      ['what', 'measured', 'budget', ''],
      [
        [
          'first page of records interactive (navigation start → 50 records listed, fresh profile)',
          `${ms(median(firstMs))} (runs: ${firstMs.map(ms).join(', ')})`,
          `< ${ms(budgets.interactiveMs)}`,
          verdict(median(firstMs) < budgets.interactiveMs),
        ],
        [
          'JavaScript shipped, gzipped (raw)',
          `${kb(shipped.js.gzipped)} (${kb(shipped.js.raw)}); CSS ${kb(shipped.css.gzipped)}`,
          `< ${kb(budgets.gzippedJsBytes)}`,
          verdict(shipped.js.gzipped < budgets.gzippedJsBytes),
        ],
        [
          `${settings.sizeMib} MiB upload: browser ("Upload files") vs \`curl -T\``,
          `${ms(browserMs)} (${mibps(browserMs)}) vs ${ms(curlMs)} (${mibps(curlMs)}): ${(ratio * 100).toFixed(0)} % of curl`,
          `≥ ${budgets.uploadRatio * 100} %`,
          verdict(ratio >= budgets.uploadRatio),
        ],
        [
          `${settings.sizeMib} MiB upload: a bare \`XMLHttpRequest\` PUT from the page vs \`curl -T\` (Chromium's own pace)`,
          `${ms(bareMs)} (${mibps(bareMs)}): ${share(curlMs, bareMs)} of curl; the interface reaches ${share(bareMs, browserMs)} of it`,
          '',
          '',
        ],
      ],
    ),
    '',
    `Median of the per-round shares (run within seconds of each other): the interface ${share(median(pairwise), 1)} of curl, and ${share(median(uploads.bare.map((b, i) => b / uploads.browser[i])), 1)} of the bare XMLHttpRequest. Bare XMLHttpRequest uploads: ${uploads.bare.map(ms).join(', ')}.`,
    '',
    `Browser uploads: ${uploads.browser.map(ms).join(', ')}; curl: ${uploads.curl.map(ms).join(', ')} (the three kinds rotated in order); ` +
      `browser as a share of curl in each round (runs seconds apart): ${uploads.browser.map((b, i) => `${((uploads.curl[i] / b) * 100).toFixed(0)} %`).join(', ')}. ` +
      `Load average (1 min) ${load.before.toFixed(1)} before the uploads, ${load.after.toFixed(1)} after, on ${machine.cpuCount} cores: the machine is shared, so single runs swing widely.`,
    '',
  ].join('\n');
}
