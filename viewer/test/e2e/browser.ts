import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { TestContext } from 'vitest';

/** Debian's chromium; the suite never downloads a browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** One headless Chromium with a fresh profile, shared by a test file. */
export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'viewer-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const shotDir = path.resolve(import.meta.dirname, '../../../test-results/viewer-e2e');

/** A new tab that screenshots itself into test-results/ (git-ignored) if the test fails. */
export async function openPage(browser: Browser, t: TestContext): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  t.onTestFailed(async () => {
    await mkdir(shotDir, { recursive: true });
    const name = t.task.name.replace(/[^\w-]+/g, '_').slice(0, 80);
    await page.screenshot({ path: path.join(shotDir, `${name}.png`) }).catch(() => undefined);
    if (errors.length) console.error(`page errors in "${t.task.name}":\n${errors.join('\n')}`);
  });
  t.onTestFinished(async () => {
    await page.close();
  });
  return page;
}
