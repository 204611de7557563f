// Files in the web interface, in a real browser against a real `dataregistry serve` on the
// embedded default: two files uploaded at once (one over 64 MiB, its progress bar seen moving),
// the server's SHA-256 shown, a download compared byte for byte; a dataset's page and its files.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  type Browser,
} from '../../support/browser.js';
import { tempDirsForThisFile } from '../../support/revision-folder.js';
import { startServe, type ServeProcess } from '../serve-process.js';

const tempDir = tempDirsForThisFile('dr-ui-files-');
const mib = 1024 * 1024;

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A file of `size` bytes that do not compress (so nothing on the way can shortcut them). */
function writeRandomFile(path: string, size: number): string {
  const block = randomBytes(mib);
  const chunks: Buffer[] = [];
  for (let left = size; left > 0; left -= mib) chunks.push(block.subarray(0, Math.min(mib, left)));
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

const recordProgressScript = `
  window.progressSeen = [];
  new MutationObserver(() => {
    for (const bar of document.querySelectorAll('[role="progressbar"], progress')) {
      window.progressSeen.push(bar.getAttribute('aria-label') + '=' + bar.value);
    }
  }).observe(document.body, { subtree: true, attributes: true, childList: true });
`;

describeInBrowser('the web interface: files', () => {
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let recordId: string;
  const files = tempDir();
  const big = join(files, 'model output.bin');
  const small = join(files, 'notes.csv');
  before(async () => {
    writeRandomFile(big, 70 * mib + 123);
    writeFileSync(small, 'site,runs\nnorth,2\n');
    server = await startServe(['--port', '0'], { cwd: tempDir(), timeoutMs: 60_000 });
    const created = await fetch(`${server.url}/api/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'with files' }),
    });
    recordId = ((await created.json()) as { id: string }).id;
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('uploads two files at once with moving progress, showing the server SHA-256 of each', async () => {
    await page.goto(`${server.url}/records/${recordId}`);
    await page.getByRole('heading', { level: 1, name: 'with files' }).waitFor();
    // Every value the progress bars take, recorded in the page as it changes (a script in text:
    // the tests compile without the DOM's types).
    await page.evaluate(recordProgressScript);
    await page.getByLabel('Upload files').setInputFiles([big, small]);
    await page.getByRole('progressbar', { name: 'Upload of model output.bin' }).waitFor();
    const done = page.locator('.upload.done');
    await done.nth(1).waitFor({ timeout: 120_000 });

    const seen = await page.evaluate<string[]>('window.progressSeen');
    const bigValues = seen
      .filter((entry) => entry.startsWith('Upload of model output.bin='))
      .map((entry) => Number(entry.split('=')[1]));
    assert.ok(
      bigValues.some((value) => value > 0 && value < 100),
      `the big file's bar took values between 0 and 100: ${[...new Set(bigValues)].join(', ')}`,
    );
    assert.equal(bigValues.at(-1), 100);

    for (const [path, name] of [
      [big, 'model output.bin'],
      [small, 'notes.csv'],
    ] as const) {
      const expected = await sha256Of(path);
      const item = page.locator('.upload', { hasText: name });
      assert.equal(await item.locator('[data-sha256]').getAttribute('data-sha256'), expected);
      const row = page.getByRole('row', { name: new RegExp(name) });
      assert.equal(await row.locator('code').getAttribute('title'), expected);
      assert.equal(await row.locator('code').textContent(), `${expected.slice(0, 12)}…`);
    }
    await page.getByRole('cell', { name: '70.0 MiB' }).waitFor();
    await screenshot(page, 'record-files');
  });

  test('at 390 px the files table reads as cards: nothing scrolls sideways, every value labelled', async () => {
    await page.setViewportSize({ width: 390, height: 900 });
    try {
      // Scripts in text: the tests compile without the DOM's types.
      const overflow = await page.evaluate<number[]>(
        `[document.documentElement, ...document.querySelectorAll('.table-wrap')].map((box) => box.scrollWidth - box.clientWidth)`,
      );
      assert.deepEqual(
        overflow.filter((pixels) => pixels > 0),
        [],
        'sideways overflow in px',
      );
      const labels = await page.evaluate<string[]>(
        `[...document.querySelectorAll('table.files > tbody > tr:first-child > td[data-label]')].map((cell) => getComputedStyle(cell, '::before').content)`,
      );
      assert.deepEqual(labels, ['"Size"', '"SHA-256"', '"Version"', '"Uploaded"']);
      const row = page.locator('table.files > tbody > tr', { hasText: 'model output.bin' });
      assert.ok(await row.locator('td.uploaded').isVisible(), 'the upload time is shown');
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  test('downloads a file through its link, byte for byte', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'model output.bin' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'model output.bin');
    const saved = await download.path();
    assert.equal(await sha256Of(saved), await sha256Of(big));
  });

  test('creates a dataset from the record page and uploads a file on its own page', async () => {
    await page.getByRole('button', { name: 'New dataset' }).click();
    await page.getByLabel('Name').fill('monthly means');
    await page.getByLabel('Data type').fill('csv');
    await page.getByRole('button', { name: 'Create dataset' }).click();
    await page.getByRole('heading', { level: 1, name: 'monthly means' }).waitFor();
    assert.match(page.url(), /\/datasets\/\d+$/);
    await page.getByLabel('Upload files').setInputFiles(small);
    await page.getByRole('row', { name: /notes\.csv/ }).waitFor();
    await screenshot(page, 'dataset');
    await page.getByRole('link', { name: `Record ${recordId}` }).click();
    await page.getByRole('link', { name: 'monthly means' }).waitFor();
  });
});
