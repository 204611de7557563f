// The web interface on PostgreSQL with S3 storage (s3rver), in a real browser against a real
// `dataregistry serve`: a large file goes straight to the store through an upload session in
// parallel parts, and when the page is reloaded mid-upload, choosing the same file again resumes
// it, sending only the parts the store does not hold.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, type Browser } from '../../support/browser.js';
import { describeOnServer } from '../../support/for-each-dialect.js';
import { tempDirsForThisFile } from '../../support/revision-folder.js';
import { startS3Server, type S3Server } from '../../support/s3-server.js';
import { freshDatabaseUrl } from '../../support/test-databases.js';
import { startServe, type ServeProcess } from '../serve-process.js';

const tempDir = tempDirsForThisFile('dr-ui-s3-');
const mib = 1024 * 1024;

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describeInBrowser('the web interface: direct uploads to S3', () => {
  describeOnServer('on PostgreSQL with s3rver', 'postgresql', () => {
    let s3: S3Server;
    let server: ServeProcess;
    let browser: Browser;
    let page: Page;
    let recordId: string;
    const big = join(tempDir(), 'survey.bin');
    before(async () => {
      const block = randomBytes(mib);
      writeFileSync(big, Buffer.concat(Array.from({ length: 5 * 64 + 3 }, () => block)));
      s3 = await startS3Server('ui-bucket', { corsOrigin: '*' });
      server = await startServe(['--port', '0', '--db', await freshDatabaseUrl('postgresql')], {
        cwd: tempDir(),
        env: {
          DATA_REGISTRY_STORAGE: `s3://${s3.bucket}/registry`,
          DATA_REGISTRY_S3_ENDPOINT: s3.endpoint,
          DATA_REGISTRY_S3_REGION: 'us-east-1',
          DATA_REGISTRY_S3_FORCE_PATH_STYLE: 'true',
          AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
        },
        timeoutMs: 60_000,
      });
      const created = await fetch(`${server.url}/api/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'survey' }),
      });
      recordId = ((await created.json()) as { id: string }).id;
      browser = await launchBrowser();
      page = await browser.context.newPage();
    });
    after(async () => {
      await browser?.close();
      await server?.stop();
      await s3?.stop();
    });

    test('resumes a reloaded upload in parts and ends with the SHA-256 of the whole file', async () => {
      const partCount = 6; // parts of 64 MiB, the default part size (docs/api.md)
      assert.equal(Math.ceil((5 * 64 + 3) / 64), partCount);
      await page.goto(`${server.url}/records/${recordId}`);
      await page.getByLabel('Upload files').setInputFiles(big);
      // Interrupt once the store holds a part: the page goes away with the others in flight.
      await page.waitForSelector('[data-parts-stored]:not([data-parts-stored="0"])', {
        timeout: 120_000,
      });
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'survey' }).waitFor();
      const listed = await fetch(`${server.url}/api/records/${recordId}/files`);
      assert.deepEqual(((await listed.json()) as { items: unknown[] }).items, []);

      await page.getByLabel('Upload files').setInputFiles(big);
      const resumed = page.getByText(/\(resumed: \d+ were already stored\)/);
      await resumed.waitFor({ timeout: 60_000 });
      const already = Number(/resumed: (\d+)/.exec((await resumed.textContent()) ?? '')![1]);
      assert.ok(already >= 1 && already < partCount, `${already} parts were already stored`);
      await page.locator('.upload.done').waitFor({ timeout: 180_000 });
      await page.getByText(`${partCount} of ${partCount} parts stored`).waitFor();

      const expected = await sha256Of(big);
      assert.equal(
        await page.locator('.upload.done [data-sha256]').getAttribute('data-sha256'),
        expected,
      );
      const row = page.getByRole('row', { name: /survey\.bin/ });
      assert.equal(await row.locator('code').getAttribute('title'), expected);
      assert.deepEqual(await s3.listUnfinishedUploads(), [], 'the session was completed');
    });
  });
});
