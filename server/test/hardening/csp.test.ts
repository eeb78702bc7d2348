import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import { createImageBackend, type ImageService } from '../../src/image/backend.js';
import { listen, memoryLogger, type Listening } from '../http/listen.js';
import { tempDir } from './service-process.js';

/**
 * The built viewer under the real Content-Security-Policy, in Chromium: Mirador must start
 * and paint with scripts limited to our origin, and the browser must report no violation.
 */

let server: Listening;
let images: ImageService;
let browser: Browser;
let cache: { dir: string; remove: () => Promise<void> };

beforeAll(async () => {
  cache = await tempDir('csp-cache');
  const config = loadConfig({ INGEST_ON_START: 'false', CACHE_DIR: cache.dir });
  const { logger } = memoryLogger('silent');
  images = createImageBackend(config, logger);
  server = await listen(createApp({ config, logger, images, documents: await loadDocuments(config.manifestsDir) }));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await images?.close();
  await cache?.remove();
});

describe('Content-Security-Policy with the built viewer', () => {
  it.each(['/', '/embed'])('lets %s run and paint the page image with no violation reported', async (path) => {
    const page = await browser.newPage();
    try {
      const violations: string[] = [];
      await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          (window as unknown as { reportViolation: (v: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      const tiles = page.waitForResponse((r) => /\/iiif\/[23]\/[^/]+\/[^/]+\/[^/]+\/0\/default\.jpg$/.test(r.url()) && r.status() === 200, { timeout: 30_000 });
      const res = await page.goto(`${server.url}${path}`);
      expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      await tiles; // OpenSeadragon asked for (and got) image tiles: Mirador is running
      await page.waitForTimeout(500);
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('reports a violation for an inline script, so the check above can fail', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/`);
      const blocked = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
            const s = document.createElement('script');
            s.textContent = 'window.injected = true';
            document.body.append(s);
          }),
      );
      expect(blocked).toMatch(/^script-src/);
      expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    } finally {
      await page.close();
    }
  }, 60_000);
});
