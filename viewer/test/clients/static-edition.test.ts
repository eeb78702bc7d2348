import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer } from '../../../server/scripts/build-viewer.js';
import { loadConfig, projectRoot } from '../../../server/src/config.js';
import { loadDocuments } from '../../../server/src/document/load-document.js';
import { exportEdition } from '../../../server/src/export/export-edition.js';
import { staticHost } from '../../../server/test/export/static-host.js';
import { memoryLogger, type Listening } from '../../../server/test/http/listen.js';
import { launchBrowser, openPage, type Browser } from '../e2e/browser.js';
import { doc, expectLeafPainted, openTify, recordResponses, serveClients, tifyViewport, uvPage, uvViewport } from './harness.js';

// The static edition (`npm run export`) as other clients meet it: exported to a temporary
// folder, served as a static host serves it (static-host.ts) and opened from the clients' own
// origin. No code of ours
// answers: the level-0 info.json of each Image API version is read by the clients' own
// OpenSeadragon, which derives every tile URL from it.

let tmp: string;
let host: Listening;
let clients: Listening;
let browser: Browser;
let base: string;

beforeAll(async () => {
  await buildViewer({ quiet: true });
  tmp = await mkdtemp(path.join(tmpdir(), 'static-clients-'));
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  [host, clients] = await Promise.all([staticHost(tmp), serveClients()]);
  base = `${host.url}/edition`;
  const { logger } = memoryLogger('silent');
  const documents = await loadDocuments(config.manifestsDir);
  await exportEdition({ outDir: path.join(tmp, 'edition'), base, searchUrl: null, config, documents, viewerDist: path.join(projectRoot, 'viewer', 'dist'), logger });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await clients?.close();
  await host?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const manifestOf = (version: 2 | 3) => `${base}/iiif/presentation/${version}/${doc}/manifest`;
const leafImage = /\/edition\/iiif\/[23]\/rgaspi-f558-op11-d340-l043\//;

describe('the static edition in other clients', { timeout: 60_000 }, () => {
  it.for([3, 2] as const)('TIFY 0.35.0 opens the %s.x manifest and tiles the first leaf from its level-0 service of the same version', async (version, t) => {
    const page = await openPage(browser, t);
    const image = recordResponses(page, leafImage);
    await openTify(page, clients.url, manifestOf(version));
    await expectLeafPainted(page, image, new RegExp(`/edition/iiif/${version}/`), tifyViewport);
    expect(await page.locator('.tify-error').count()).toBe(0);
  });

  it('Universal Viewer 4.4.0 opens the 3.0 manifest and tiles the first leaf from its level-0 Image API 2.1 service', async (t) => {
    const page = await openPage(browser, t);
    // Whole-image requests at a width are looked at apart: UV's thumbnails are built by
    // manifesto as `full/{w},/0/default.jpg` of the first image service, for a width of UV's
    // own (90 in its strip), without reading info.json, so a level-0 service that does not
    // list that width answers 404. That is UV's (universalviewer#739, open), and every level-0
    // service meets it; the test holds it to exactly that.
    const thumbnail = /\/full\/(\d+),\/0\/default\.jpg$/;
    const image = recordResponses(page, new RegExp(`${leafImage.source}(?!full/\\d+,/0/default\\.jpg$)`));
    const thumbnails = recordResponses(page, new RegExp(`${leafImage.source}full/\\d+,/0/default\\.jpg$`));
    await page.goto(uvPage(clients.url, manifestOf(3)));
    // UV takes the last image service a painting body lists: the 2.1 one (universal-viewer.test.ts).
    await expectLeafPainted(page, image, /\/edition\/iiif\/2\//, uvViewport);
    await expect.poll(() => page.locator('.thumbs .thumb .label').allInnerTexts(), { timeout: 30_000 }).toEqual(['l. 43', 'l. 44', 'l. 45']);
    // Every whole-image request at a width: there when info.json lists the width, else not.
    await expect.poll(() => thumbnails.length, { timeout: 30_000 }).toBeGreaterThan(0);
    for (const r of thumbnails) {
      const info = (await (await fetch(r.url().replace(/full\/.*$/, 'info.json'))).json()) as { sizes: { width: number }[] };
      const listed = info.sizes.some((s) => s.width === Number(thumbnail.exec(r.url())![1]));
      expect([r.url(), r.status()]).toEqual([r.url(), listed ? 200 : 404]);
    }
  });
});
