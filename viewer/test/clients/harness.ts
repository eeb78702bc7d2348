import path from 'node:path';
import express from 'express';
import type { Page, Response } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser, type Browser } from '../e2e/browser.js';
import { ensureTestClients } from '../../../server/scripts/install-test-clients.js';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { loadDocuments } from '../../../server/src/document/load-document.js';
import { createImageBackend, type ImageService } from '../../../server/src/image/backend.js';
import { listen, memoryLogger, type Listening } from '../../../server/test/http/listen.js';

// What the client tests share: our real service, and a second origin serving the clients' pages.

export const doc = 'rgaspi-f558-op11-d340-l43-45';
const clientsDir = import.meta.dirname;
const pagesDir = path.join(clientsDir, 'dist');

export interface Service {
  url: string;
  close: () => Promise<void>;
}

/** The service as `npm start` runs it (real documents and images), on 127.0.0.1 at a free port. */
export async function startService(): Promise<Service> {
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' });
  const { logger } = memoryLogger('silent');
  const documents = await loadDocuments(config.manifestsDir);
  const images: ImageService = createImageBackend(config, logger, { ingestOnDemand: true });
  await images.ingestAll();
  const server: Listening = await listen(createApp({ config, logger, documents, images }));
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await images.close();
    },
  };
}

/** Our service, the clients' pages and Chromium, for the tests of one file. */
export interface ClientSession {
  service: Service;
  clients: Listening;
  browser: Browser;
}

/** A session started before the file's tests and stopped after them: its fields are set when the tests run. */
export function clientSession(): ClientSession {
  const session = {} as ClientSession;
  beforeAll(async () => {
    [session.service, session.clients] = await Promise.all([startService(), serveClients()]);
    session.browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.clients?.close();
    await session.service?.close();
  });
  return session;
}

/**
 * The clients' pages on their own origin, as a library's site would host a viewer: our service
 * is then reached cross-origin, so CORS is part of what is tested. `/uv/` and `/tify/` are
 * Universal Viewer's and TIFY's ready-made distributions, `/` the pages built by
 * install-test-clients.ts.
 */
export async function serveClients(): Promise<Listening> {
  await ensureTestClients({ quiet: true });
  const app = express();
  app.use('/uv', express.static(path.join(clientsDir, 'node_modules/universalviewer/dist')));
  app.use('/tify', express.static(path.join(clientsDir, 'node_modules/tify/dist')));
  app.use(express.static(pagesDir));
  return listen(app);
}

/** TIFY's single OpenSeadragon surface (it has no navigator). */
export const tifyViewport = '.tify-media-image .openseadragon-canvas > canvas';
/** Universal Viewer's main OpenSeadragon surface (the navigator is a second, nested one). */
export const uvViewport = '#content .viewer > .openseadragon-container > .openseadragon-canvas > canvas';

/** TIFY (tify.html on `clients`) on a manifest, once its `ready` promise has settled (it rejects when the manifest can't be used). */
export async function openTify(page: Page, clients: string, manifest: string): Promise<void> {
  await page.goto(`${clients}/tify.html?iiif-content=${encodeURIComponent(manifest)}`);
  await page.evaluate(() => (window as unknown as { tify: { ready: Promise<void> } }).tify.ready);
}

/** Universal Viewer's page (uv.html on `clients`) on a manifest. */
export const uvPage = (clients: string, manifest: string) => `${clients}/uv.html?manifest=${encodeURIComponent(manifest)}`;

export const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
};

/** Every response of the page whose URL matches, kept to assert on what the client asked for. */
export function recordResponses(page: Page, pattern: RegExp): Response[] {
  const seen: Response[] = [];
  page.on('response', (r) => {
    if (pattern.test(r.url())) seen.push(r);
  });
  return seen;
}

/**
 * The grey-level statistics of the middle of `selector` on screen (`centre`: the share of its
 * width and height kept), away from the buttons clients float over their corners. A painted
 * page of the cable is light paper with dark type: a high mean, a dark minimum, some spread.
 */
export async function pixelsOf(page: Page, selector: string, { centre = 0.4 } = {}) {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  const clip = {
    x: box.x + (box.width * (1 - centre)) / 2,
    y: box.y + (box.height * (1 - centre)) / 2,
    width: box.width * centre,
    height: box.height * centre,
  };
  const { channels } = await sharp(await page.screenshot({ clip })).greyscale().stats();
  return channels[0]!;
}

/**
 * What a client that paints l. 43 must have done: fetched the info.json and at least one tile
 * (a region and a size, as OpenSeadragon asks for them) from `service`, every one answered 200,
 * and drawn paper with dark type in the middle of `viewport`.
 */
export async function expectLeafPainted(page: Page, responses: Response[], service: RegExp, viewport: string): Promise<void> {
  const from = () => responses.filter((r) => service.test(r.url()));
  await expect.poll(() => from().some((r) => r.url().endsWith('/info.json')), { timeout: 30_000 }).toBe(true);
  const tile = /-l043\/\d+,\d+,\d+,\d+\/\d+,\d*\/0\/default\.jpg$/;
  await expect.poll(() => from().filter((r) => tile.test(r.url())).length, { timeout: 30_000 }).toBeGreaterThan(0);
  expect(responses.filter((r) => r.status() !== 200).map((r) => `${r.status()} ${r.url()}`)).toEqual([]);
  await expect
    .poll(
      async () => {
        const grey = await pixelsOf(page, viewport);
        return grey.min < 90 && grey.mean > 150 && grey.stdev > 8;
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);
}

export interface PublishedLine {
  text: string;
  /** The `xywh` of the line on its canvas, as the annotation targets it. */
  region: string;
}

/** The lines of one leaf in one layer, as our annotation page publishes them. */
export async function publishedLines(service: string, layer: 'transcription' | 'translation', leaf: string): Promise<PublishedLine[]> {
  const page = await getJson<{ items: { body: { value: string }; target: string }[] }>(
    `${service}/iiif/presentation/3/${doc}/annotations/${layer}/${leaf}`,
  );
  return page.items.map((a) => ({ text: a.body.value, region: a.target.split('#xywh=')[1] ?? '' }));
}
