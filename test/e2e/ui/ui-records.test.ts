// The web interface in a real browser against a real `dataregistry serve` on the embedded
// default (SQLite, local files): the records list, search, the new-record form, a record's page
// with edit (invalid JSON first), delete and restore; and how the interface is served.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  screenshot,
  type Browser,
} from '../../support/browser.js';
import { tempDirsForThisFile } from '../../support/revision-folder.js';
import { startServe, type ServeProcess } from '../serve-process.js';

const tempDir = tempDirsForThisFile('dr-ui-');

describeInBrowser('the web interface: records', () => {
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  before(async () => {
    server = await startServe(['--port', '0'], { cwd: tempDir(), timeoutMs: 60_000 });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('serves index.html uncached at / and client paths, hashed assets cached for a year', async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/main-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    assert.ok(script, html);
    const asset = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(asset.headers.get('content-encoding'), 'gzip');
    const deepLink = await fetch(`${server.url}/records/123`);
    assert.equal(await deepLink.text(), html);
    const unknownApi = await fetch(`${server.url}/api/nothing-here`);
    assert.equal(unknownApi.status, 404);
    assert.equal(
      ((await unknownApi.json()) as { error: { code: string } }).error.code,
      'ROUTE_NOT_FOUND',
    );
    assert.equal((await fetch(`${server.url}/assets/main-NOPE.js`)).status, 404);
  });

  test('creates a record with the form and opens its page', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Records' }).waitFor();
    await page.getByRole('button', { name: 'New record' }).click();
    await page.getByLabel('Name').fill('climate runs');
    await page.getByLabel('Description').fill('Monthly model output');
    await page.getByLabel('Metadata').fill('{"site": "north"');
    await page.getByText('Not valid JSON').waitFor();
    await page.getByLabel('Metadata').fill('{"site": "north", "runs": 2}');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'climate runs' }).waitFor();
    assert.match(page.url(), /\/records\/\d+$/);
    await page.getByText('Monthly model output').waitFor();
    await page.locator('dl.metadata dt', { hasText: 'site' }).waitFor();
  });

  test('shows the API error of a taken name next to the Name field', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: 'New record' }).click();
    await page.getByLabel('Name').fill('climate runs');
    await page.getByRole('button', { name: 'Create' }).click();
    const error = page.locator('#new-record-name-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /already named "climate runs"/);
    assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');
  });

  test('filters the list as one types in "Search records", newest first', async () => {
    for (const name of ['ocean floats', 'ocean gliders']) {
      assert.equal((await api('POST', '/api/records', { name })).status, 201);
    }
    await page.goto(`${server.url}/`);
    const names = page.locator('.record-list .record-name');
    await page.getByRole('link', { name: 'ocean gliders' }).waitFor();
    assert.deepEqual(await names.allTextContents(), [
      'ocean gliders',
      'ocean floats',
      'climate runs',
    ]);
    await page.getByRole('searchbox', { name: 'Search records' }).pressSequentially('CLIM');
    await page.getByRole('link', { name: 'ocean floats' }).waitFor({ state: 'detached' });
    assert.deepEqual(await names.allTextContents(), ['climate runs']);
    await screenshot(page, 'records');
  });

  test('refuses invalid metadata JSON when editing, saving nothing, then saves valid JSON', async () => {
    await page.getByRole('link', { name: 'climate runs' }).click();
    await page.getByRole('heading', { level: 1, name: 'climate runs' }).waitFor();
    const id = /\/records\/(\d+)$/.exec(page.url())![1]!;
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Metadata').fill('{"site": south}');
    await page.getByText('Not valid JSON').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    assert.equal(
      await page.getByRole('button', { name: 'Save' }).isVisible(),
      true,
      'still editing',
    );
    const unchanged = await api('GET', `/api/records/${id}`);
    assert.deepEqual(unchanged.body.metadata, { site: 'north', runs: 2 });

    await page.getByLabel('Metadata').fill('{"site": "south", "runs": 3}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Edit' }).waitFor();
    await page.locator('dl.metadata dd', { hasText: 'south' }).waitFor();
    const saved = await api('GET', `/api/records/${id}`);
    assert.deepEqual(saved.body.metadata, { site: 'south', runs: 3 });
    await page.getByText(String(saved.body.storage_id)).waitFor();
    await screenshot(page, 'record');
  });

  test('works with the keyboard alone, with a visible focus', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Records' }).waitFor();
    const focused = () =>
      page.evaluate<{ text: string; outline: string }>(
        '({ text: document.activeElement.id || document.activeElement.textContent || "", outline: getComputedStyle(document.activeElement).outlineStyle })',
      );
    let current = await focused();
    for (let presses = 0; current.text !== 'New record' && presses < 10; presses++) {
      await page.keyboard.press('Tab');
      current = await focused();
    }
    assert.equal(current.text, 'New record');
    assert.notEqual(current.outline, 'none', 'the focused control shows an outline');
    await page.keyboard.press('Enter');
    assert.equal((await focused()).text, 'new-record-name');
    await page.keyboard.type('typed only');
    await page.keyboard.press('Tab');
    assert.equal((await focused()).text, 'new-record-description');
    await page.keyboard.type('no mouse');
    await page.keyboard.press('Tab');
    assert.equal((await focused()).text, 'new-record-metadata');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{"keys": true}');
    await page.keyboard.press('Tab');
    assert.equal((await focused()).text, 'Create');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'typed only' }).waitFor();
  });

  test('fits 390 px without sideways scrolling, and follows a dark color scheme', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    for (const path of ['/', page.url()]) {
      await page.goto(path.startsWith('http') ? path : `${server.url}${path}`);
      await page.locator('main h1').waitFor();
      assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth')) <= 390, path);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    const background = () =>
      page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.equal(await background(), 'rgb(247, 247, 245)');
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await background(), 'rgb(21, 23, 27)');
    await screenshot(page, 'record-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('deletes a record behind a confirmation and restores it from "Show deleted"', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'climate runs' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete record' }).click();
    await page.getByRole('heading', { name: 'Records' }).waitFor();
    await page.getByRole('link', { name: 'ocean floats' }).waitFor();
    assert.equal(await page.getByText('climate runs').count(), 0);

    await page.getByLabel('Show deleted').check();
    await page.getByText('climate runs').waitFor();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('link', { name: 'climate runs' }).waitFor();
    const live = await api('GET', '/api/records?q=climate');
    assert.equal((live.body.items as unknown[]).length, 1);
  });
});
