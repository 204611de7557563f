// File versions and keyset "Load more" in the web interface, in a real browser against a real
// `dataregistry serve` on the embedded default: the same name uploaded twice shows version 2, its
// versions list 2 then 1, version 1 downloads the first bytes; "Versions" only once a file has
// more than one; "Delete version" and "Delete" behind a confirmation, "Restore" for a file deleted
// so; lists longer than a page (50) of records, files, versions and datasets show "Load more".

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const tempDir = tempDirsForThisFile('dr-ui-versions-');
/** The interface's page size for files, versions and datasets. */
const pageSize = 50;

const sha256Of = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describeInBrowser('the web interface: file versions and Load more', () => {
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  const files = tempDir();

  async function api(method: string, path: string, body?: string, type = 'application/json') {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': type },
      body,
    });
    assert.ok(
      response.ok,
      `${method} ${path}: ${response.status} ${await response.clone().text()}`,
    );
    return (await response.json()) as { id: number; version?: number };
  }

  before(async () => {
    server = await startServe(['--port', '0'], { cwd: tempDir(), timeoutMs: 60_000 });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the same name uploaded twice: version 2 in the table, versions 2 and 1 listed, version 1 downloads the first bytes', async () => {
    const { id } = await api('POST', '/api/records', JSON.stringify({ name: 'versioned' }));
    const first = join(files, 'first');
    const second = join(files, 'second');
    mkdirSync(first);
    mkdirSync(second);
    writeFileSync(join(first, 'runs.csv'), 'site,runs\nnorth,1\n');
    writeFileSync(join(second, 'runs.csv'), 'site,runs\nnorth,1\nsouth,2\n');
    const firstBytes = readFileSync(join(first, 'runs.csv'));
    const secondBytes = readFileSync(join(second, 'runs.csv'));

    await page.goto(`${server.url}/records/${id}`);
    await page.getByRole('heading', { level: 1, name: 'versioned' }).waitFor();
    await page.getByLabel('Upload files').setInputFiles(join(first, 'runs.csv'));
    const fileRow = page.locator('table.files:not(.versions) > tbody > tr', {
      hasText: 'runs.csv',
    });
    await fileRow.locator('td.number', { hasText: /^1$/ }).waitFor();
    await page.getByLabel('Upload files').setInputFiles(join(second, 'runs.csv'));
    await fileRow.first().locator('td.number', { hasText: /^2$/ }).waitFor();
    assert.equal(
      await fileRow.first().locator('code').getAttribute('title'),
      sha256Of(secondBytes),
    );

    const toggle = page.getByRole('button', { name: 'Versions of runs.csv' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    const versions = page.getByRole('table', { name: 'Versions of runs.csv' });
    await versions.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const links = versions.getByRole('link', { name: /^Version \d+ of runs\.csv$/ });
    assert.deepEqual(await links.allTextContents(), ['2', '1']);
    const rows = versions.locator('tbody > tr');
    assert.equal(await rows.nth(0).locator('code').getAttribute('title'), sha256Of(secondBytes));
    assert.equal(await rows.nth(1).locator('code').getAttribute('title'), sha256Of(firstBytes));
    assert.equal(
      await links.nth(1).getAttribute('href'),
      `/api/records/${id}/files/runs.csv?version=1`,
    );

    const downloading = page.waitForEvent('download');
    await versions.getByRole('link', { name: 'Version 1 of runs.csv' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'runs.csv');
    assert.deepEqual(readFileSync(await download.path()), firstBytes);
    await screenshot(page, 'file-versions');
  });

  test('Versions only past one version; Delete version asks first; deleting the last version deletes the file, and Restore brings it back', async () => {
    const { id } = await api('POST', '/api/records', JSON.stringify({ name: 'pruned' }));
    await api('PUT', `/api/records/${id}/files/single.txt`, 'only once', 'text/plain');
    for (const text of ['one', 'two', 'three']) {
      await api('PUT', `/api/records/${id}/files/log.txt`, text, 'text/plain');
    }
    await page.goto(`${server.url}/records/${id}`);
    await page.getByRole('heading', { level: 1, name: 'pruned' }).waitFor();
    await page.getByRole('link', { name: 'single.txt', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Versions of single.txt' }).count(), 0);

    await page.getByRole('button', { name: 'Versions of log.txt' }).click();
    const versions = page.getByRole('table', { name: 'Versions of log.txt' });
    const links = versions.getByRole('link', { name: /^Version \d+ of log\.txt$/ });
    await links.nth(2).waitFor();
    // Asked first; Cancel keeps the version.
    await page.getByRole('button', { name: 'Delete version 2 of log.txt' }).click();
    const question = page.getByRole('alertdialog', { name: 'Delete version 2 of log.txt?' });
    await question.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await question.count(), 0);
    assert.deepEqual(await links.allTextContents(), ['3', '2', '1']);
    // Confirmed: version 2 goes; the file stays at version 3.
    await page.getByRole('button', { name: 'Delete version 2 of log.txt' }).click();
    await question.getByRole('button', { name: 'Delete version' }).click();
    await versions
      .getByRole('link', { name: 'Version 2 of log.txt' })
      .waitFor({ state: 'detached' });
    assert.deepEqual(await links.allTextContents(), ['3', '1']);
    const stored = await fetch(`${server.url}/api/records/${id}/files/log.txt/versions`);
    const listed = (await stored.json()) as { items: { version: number }[] };
    assert.deepEqual(
      listed.items.map((item) => item.version),
      [3, 1],
    );

    // Version 1 goes too; then version 3, the only one left, whose question says it takes the file.
    for (const version of [1, 3]) {
      await page.getByRole('button', { name: `Delete version ${version} of log.txt` }).click();
      const dialog = page.getByRole('alertdialog', {
        name: new RegExp(`^Delete version ${version}`),
      });
      if (version === 3) await dialog.getByText('the only one, and with it log.txt').waitFor();
      await dialog.getByRole('button', { name: 'Delete version' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await page.getByRole('link', { name: 'log.txt', exact: true }).waitFor({ state: 'detached' });
    const gone = await fetch(`${server.url}/api/records/${id}/files/log.txt`);
    assert.equal(gone.status, 404);
    assert.equal(await page.locator('.alerts').textContent(), '', 'nothing failed on the way');

    // Restore: the file is back at the version it had when deleted.
    await page.getByRole('list', { name: 'Deleted files' }).getByText('log.txt').waitFor();
    await page.getByRole('button', { name: 'Restore log.txt' }).click();
    await page.getByRole('link', { name: 'log.txt', exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Restore log.txt' }).count(), 0);
    const restored = await fetch(`${server.url}/api/records/${id}/files/log.txt`);
    assert.equal(restored.status, 200);
    assert.equal(await restored.text(), 'three');

    // A whole file deleted from its row, behind its own confirmation, and restored.
    await page.getByRole('button', { name: 'Delete single.txt' }).click();
    await page
      .getByRole('alertdialog', { name: 'Delete single.txt?' })
      .getByRole('button', { name: 'Delete file' })
      .click();
    await page
      .getByRole('link', { name: 'single.txt', exact: true })
      .waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Restore single.txt' }).click();
    await page.getByRole('link', { name: 'single.txt', exact: true }).waitFor();

    // Deleted again, then uploaded again under its name: live, so no longer offered to restore.
    await page.getByRole('button', { name: 'Delete single.txt' }).click();
    await page
      .getByRole('alertdialog', { name: 'Delete single.txt?' })
      .getByRole('button', { name: 'Delete file' })
      .click();
    await page.getByRole('button', { name: 'Restore single.txt' }).waitFor();
    writeFileSync(join(files, 'single.txt'), 'uploaded anew');
    await page.getByLabel('Upload files').setInputFiles(join(files, 'single.txt'));
    await page.getByRole('link', { name: 'single.txt', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Restore single.txt' }).waitFor({ state: 'detached' });
  });

  test('a file deleted elsewhere (through the API) is listed under Deleted files, with its version, and restored', async () => {
    const { id } = await api('POST', '/api/records', JSON.stringify({ name: 'deleted elsewhere' }));
    for (const text of ['draft', 'final']) {
      await api('PUT', `/api/records/${id}/files/report.txt`, text, 'text/plain');
    }
    await api('PUT', `/api/records/${id}/files/kept.txt`, 'kept', 'text/plain');
    const removed = await fetch(`${server.url}/api/records/${id}/files/report.txt`, {
      method: 'DELETE',
    });
    assert.equal(removed.status, 204);
    await page.goto(`${server.url}/records/${id}`);
    await page.getByRole('link', { name: 'kept.txt', exact: true }).waitFor();
    const deleted = page.getByRole('list', { name: 'Deleted files' });
    await deleted.getByText('(version 2) was deleted').waitFor();
    assert.equal(await deleted.getByRole('listitem').count(), 1);
    await page.getByRole('button', { name: 'Restore report.txt' }).click();
    await page.getByRole('link', { name: 'report.txt', exact: true }).waitFor();
    await deleted.waitFor({ state: 'detached' });
    const restored = await fetch(`${server.url}/api/records/${id}/files/report.txt`);
    assert.equal(await restored.text(), 'final');
  });

  test('files, versions and datasets longer than a page: "Load more" appears and brings the rest', async () => {
    const { id } = await api('POST', '/api/records', JSON.stringify({ name: 'many' }));
    const count = pageSize + 1;
    for (let n = 1; n <= count; n += 1) {
      const name = `part ${String(n).padStart(3, '0')}.txt`;
      await api('PUT', `/api/records/${id}/files/${encodeURIComponent(name)}`, name, 'text/plain');
      await api('PUT', `/api/records/${id}/files/log.txt`, `run ${n}`, 'text/plain');
      const dataset = { name: `set ${String(n).padStart(3, '0')}`, data_type: 'csv' };
      await api('POST', `/api/records/${id}/datasets`, JSON.stringify(dataset));
    }
    await page.goto(`${server.url}/records/${id}`);
    await page.getByRole('heading', { level: 1, name: 'many' }).waitFor();

    // Files: one page, then all of them (count parts and log.txt).
    const fileRows = page.locator('table.files:not(.versions) > tbody > tr:not(.versions-row)');
    await fileRows.nth(pageSize - 1).waitFor();
    assert.equal(await fileRows.count(), pageSize);
    await page.getByRole('button', { name: 'Load more files' }).click();
    await fileRows.nth(count).waitFor();
    assert.equal(await fileRows.count(), count + 1);
    assert.equal(await page.getByRole('button', { name: 'Load more files' }).count(), 0);

    // Datasets.
    const datasets = page.locator('ul.dataset-list > li');
    await datasets.nth(pageSize - 1).waitFor();
    assert.equal(await datasets.count(), pageSize);
    await page.getByRole('button', { name: 'Load more datasets' }).click();
    await datasets.nth(pageSize).waitFor();
    assert.equal(await datasets.count(), count);
    assert.equal(await page.getByRole('button', { name: 'Load more datasets' }).count(), 0);

    // A file's versions, newest first: count on two pages, ending with version 1.
    await page.getByRole('button', { name: 'Versions of log.txt' }).click();
    const versions = page.getByRole('table', { name: 'Versions of log.txt' });
    const links = versions.getByRole('link', { name: /^Version \d+ of log\.txt$/ });
    await links.nth(pageSize - 1).waitFor();
    assert.equal(await links.count(), pageSize);
    assert.equal(await links.first().textContent(), String(count));
    await page.getByRole('button', { name: 'Load more versions of log.txt' }).click();
    await links.nth(pageSize).waitFor();
    assert.equal(await links.count(), count);
    assert.equal(await links.last().textContent(), '1');
    assert.equal(
      await page.getByRole('button', { name: 'Load more versions of log.txt' }).count(),
      0,
    );
  });

  test('records longer than a page: the search keeps its query across "Load more", which brings the rest', async () => {
    const count = pageSize + 1;
    for (let n = 1; n <= count; n += 1) {
      await api(
        'POST',
        '/api/records',
        JSON.stringify({ name: `paged ${String(n).padStart(3, '0')}` }),
      );
    }
    await api('POST', '/api/records', JSON.stringify({ name: 'not in the search' }));
    await page.goto(`${server.url}/`);
    await page.getByLabel('Search records').fill('paged');
    const names = page.locator('.record-list .record-name');
    await page.getByRole('link', { name: 'paged 002' }).waitFor();
    assert.equal(await names.count(), pageSize);
    assert.equal(
      await names.first().textContent(),
      `paged ${String(count).padStart(3, '0')}`,
      'newest first',
    );
    await page.getByRole('button', { name: 'Load more records' }).click();
    await page.getByRole('link', { name: 'paged 001' }).waitFor();
    assert.equal(await names.count(), count);
    assert.equal(await page.getByRole('button', { name: 'Load more records' }).count(), 0);
  });
});
