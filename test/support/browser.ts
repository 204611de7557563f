// Debian's Chromium driven by playwright-core, for the browser tests: headless, with the switches
// that keep it off the network and a fresh profile folder per launch. A missing browser skips the
// suite loudly, and fails it in CI (CI=true), as a missing database does.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Browser {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/**
 * Launches Chromium on a new profile. `--user-data-dir` is given the Playwright way, as the
 * persistent context's folder (launch() refuses it among the args).
 */
export async function launchBrowser(
  options: { width?: number; height?: number; acceptDownloads?: boolean } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'dr-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    acceptDownloads: options.acceptDownloads ?? true,
  });
  // Waits are for things that will happen; on a loaded machine (tests run 4 files at once) they
  // may take longer than Playwright's default 30 s.
  context.setDefaultTimeout(90_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

let warned = false;

/** `describe(name, fn)` for a suite that needs the browser (see the module header). */
export function describeInBrowser(name: string, fn: () => void): void {
  if (existsSync(chromiumPath)) {
    void describe(name, fn);
    return;
  }
  const problem = `browser tests — ${chromiumPath} is missing; install it with \`apt-get install -y chromium\``;
  if (process.env.CI === 'true') {
    void describe(name, () => {
      void test('needs Chromium', () => {
        throw new Error(`FAILED: ${problem}`);
      });
    });
    return;
  }
  if (!warned) {
    warned = true;
    process.stderr.write(`SKIPPED: ${problem}\n`);
  }
  void describe(name, { skip: `${chromiumPath} is missing` }, () => {});
}

/** Where the tests write screenshots (not committed: .gitignore lists it). */
export const screenshotsDir = join(process.cwd(), '.screenshots');

/** Screenshots of the whole page at 1440 and 390 px wide, as `<name>-<width>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  const original = page.viewportSize();
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(screenshotsDir, `${name}-${width}.png`), fullPage: true });
  }
  if (original !== null) await page.setViewportSize(original);
}
