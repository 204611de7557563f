// Signing in and failures in the web interface, in a real browser against a real `dataregistry
// serve`: with API keys the interface asks for one, keeps it in sessionStorage only, and offers a
// read key nothing it may not do; a database that stops answering is shown as an alert, and the
// page recovers by itself when it comes back (PostgreSQL behind a proxy that is cut).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  type Browser,
} from '../../support/browser.js';
import { describeOnServer } from '../../support/for-each-dialect.js';
import { tempDirsForThisFile } from '../../support/revision-folder.js';
import { runCli } from '../../support/run-cli.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { freshDatabaseUrl } from '../../support/test-databases.js';
import { startServe, type ServeProcess } from '../serve-process.js';

const tempDir = tempDirsForThisFile('dr-ui-access-');

async function createKey(cwd: string, name: string, scope: string): Promise<string> {
  const result = await runCli(['keys', 'create', '--name', name, '--scope', scope], { cwd });
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

describeInBrowser('the web interface: signing in', () => {
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let readKey: string;
  let adminKey: string;
  before(async () => {
    const cwd = tempDir();
    assert.equal((await runCli(['upgrade', 'head'], { cwd })).code, 0);
    readKey = await createKey(cwd, 'reader', 'read');
    adminKey = await createKey(cwd, 'admin', 'admin');
    server = await startServe(['--port', '0'], { cwd, timeoutMs: 60_000 });
    await fetch(`${server.url}/api/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ name: 'guarded' }),
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = async (key: string) => {
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  test('asks for a key, and says so when the key is refused', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.locator('.alerts').textContent(), '', 'being asked is no error');
    await screenshot(page, 'sign-in');
    await signIn('drk_not-a-key');
    await page.getByRole('alert').getByText('The API key is unknown or revoked.').waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  test('with a read key: lists and shows records, offers no New record, Edit, Delete or Upload', async () => {
    await signIn(readKey);
    await page.getByRole('link', { name: 'guarded' }).waitFor();
    await page.getByText('Signed in (read)').waitFor();
    assert.equal(await page.getByRole('button', { name: 'New record' }).count(), 0);
    await page.getByRole('link', { name: 'guarded' }).click();
    await page.getByRole('heading', { level: 1, name: 'guarded' }).waitFor();
    await page.getByRole('heading', { name: 'Files' }).waitFor();
    for (const name of ['Edit', 'Delete', 'New dataset']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, name);
    }
    assert.equal(await page.getByLabel('Upload files').count(), 0);

    const storage = await page.evaluate<{ session: string | null; local: number }>(
      '({ session: sessionStorage.getItem("dataregistry.apiKey"), local: localStorage.length })',
    );
    assert.deepEqual(storage, { session: readKey, local: 0 });
    assert.deepEqual(await browser.context.cookies(), []);
  });

  test('signs out, and a write-capable key then sees Edit, Delete and Upload files', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(adminKey);
    await page.getByRole('heading', { level: 1, name: 'guarded' }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).waitFor();
    const file = join(tempDir(), 'keyed.txt');
    writeFileSync(file, 'behind a key\n');
    await page.getByLabel('Upload files').setInputFiles(file);
    await page.getByRole('row', { name: /keyed\.txt/ }).waitFor();
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'keyed.txt' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'keyed.txt');
    assert.equal(readFileSync(await download.path(), 'utf8'), 'behind a key\n');
    assertStreamed(download.url(), 'keyed.txt', 1);
  });

  test('with a key: the versions of a file name the key that uploaded them, and version 1 downloads with the key', async () => {
    const again = join(tempDir(), 'keyed.txt');
    writeFileSync(again, 'behind a key, again\n');
    await page.getByLabel('Upload files').setInputFiles(again);
    const fileRow = page.getByRole('row', { name: /keyed\.txt/ });
    await fileRow.locator('td.number', { hasText: /^2$/ }).waitFor();
    await page.getByRole('button', { name: 'Versions of keyed.txt' }).click();
    const versions = page.getByRole('table', { name: 'Versions of keyed.txt' });
    await versions.getByRole('link', { name: 'Version 1 of keyed.txt' }).waitFor();
    assert.deepEqual(await versions.locator('tbody > tr > td[data-label="By"]').allTextContents(), [
      'admin',
      'admin',
    ]);
    const downloading = page.waitForEvent('download');
    await versions.getByRole('link', { name: 'Version 1 of keyed.txt' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'keyed.txt');
    assert.equal(readFileSync(await download.path(), 'utf8'), 'behind a key\n');
    assertStreamed(download.url(), 'keyed.txt', 1);
  });

  test('with a read key: downloads stream through a signed link, and no Delete or Delete version is offered', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(readKey);
    await page.getByRole('heading', { level: 1, name: 'guarded' }).waitFor();
    await page.getByRole('button', { name: 'Versions of keyed.txt' }).click();
    const versions = page.getByRole('table', { name: 'Versions of keyed.txt' });
    await versions.getByRole('link', { name: 'Version 2 of keyed.txt' }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Delete/ }).count(), 0);
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'keyed.txt', exact: true }).click();
    const download = await downloading;
    assert.equal(readFileSync(await download.path(), 'utf8'), 'behind a key, again\n');
    assertStreamed(download.url(), 'keyed.txt', 2);
  });
});

/**
 * A download the browser streamed to disk: from the API's URL of that version with a signed
 * token, not from a `blob:` URL of bytes fetched into the page's memory.
 */
function assertStreamed(url: string, name: string, version: number): void {
  const parsed = new URL(url);
  assert.equal(parsed.protocol, 'http:', url);
  assert.match(
    parsed.pathname,
    new RegExp(`^/api/records/\\d+/files/${name.replace('.', '\\.')}$`),
  );
  assert.equal(parsed.searchParams.get('version'), String(version));
  assert.match(
    parsed.searchParams.get('download_token') ?? '',
    /^\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/,
  );
}

describeInBrowser('the web interface: a database that stops answering', () => {
  describeOnServer('on PostgreSQL behind a proxy', 'postgresql', () => {
    let server: ServeProcess;
    let proxy: TcpProxy;
    let browser: Browser;
    let page: Page;
    before(async () => {
      const databaseUrl = await freshDatabaseUrl('postgresql');
      const direct = new URL(databaseUrl);
      proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
      const proxied = new URL(databaseUrl);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      proxied.searchParams.set('connect_timeout', '5');
      server = await startServe(['--port', '0', '--db', proxied.href], {
        cwd: tempDir(),
        timeoutMs: 60_000,
      });
      browser = await launchBrowser();
      page = await browser.context.newPage();
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
      await proxy?.close();
    });

    test('shows the 503 as an alert that says it retries, and recovers when the database returns', async () => {
      await page.goto(`${server.url}/`);
      await page.getByRole('heading', { name: 'Records' }).waitFor();
      proxy.cut();
      await page.getByRole('searchbox', { name: 'Search records' }).fill('anything');
      const alert = page.getByRole('alert');
      await alert.getByText('The database cannot be reached').waitFor();
      assert.match((await alert.textContent()) ?? '', /unavailable.*Retrying/);
      proxy.restore();
      await page.getByText('No record matches “anything”.').waitFor();
      await alert.getByText('The database cannot be reached').waitFor({ state: 'detached' });
    });
  });
});
