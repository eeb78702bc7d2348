import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer } from '../../../server/scripts/build-viewer.js';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { loadDocuments } from '../../../server/src/document/load-document.js';
import type { ArchivalDocument, Word } from '../../../server/src/document/model.js';
import { createImageBackend, type ImageService } from '../../../server/src/image/backend.js';
import { listen, memoryLogger, type Listening } from '../../../server/test/http/listen.js';
import { launchBrowser, openPage, type Browser } from './browser.js';
import { screenBoxOf, viewerSettled, windowView, type Box } from './page-helpers.js';

// End-to-end: Mirador's search panel (Content Search 1.0, found in the manifest) against the
// real service, and the hit boxes it draws over the words of the page.

const docId = 'rgaspi-f558-op11-d340-l43-45';
let server: Listening;
let images: ImageService;
let browser: Browser;
let cable: ArchivalDocument;

beforeAll(async () => {
  await buildViewer({ quiet: true });
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' });
  const { logger } = memoryLogger('silent');
  const documents = await loadDocuments(config.manifestsDir);
  cable = documents.find((d) => d.id === docId)!;
  images = createImageBackend(config, logger, { ingestOnDemand: true });
  server = await listen(createApp({ config, logger, documents, images }));
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await images?.close();
});

const canvasId = (leaf: string) => `${server.url}/iiif/presentation/3/${docId}/canvas/${leaf}`;

/** The ALTO words of a leaf whose text, without punctuation, is `text` — where the hit must be drawn. */
function wordsOn(leaf: string, text: string): Word[] {
  const l = cable.leaves.find((x) => x.id === leaf)!;
  return l.transcription.blocks.flatMap((b) =>
    b.lines.flatMap((line) => line.words.filter((w) => w.text.replace(/[^\p{L}\p{N}]/gu, '') === text)),
  );
}

/**
 * The colour Mirador's annotation layer (a <canvas> over OpenSeadragon) has drawn at a point of
 * the page, in canvas (image) pixels: search hits are filled (blue, or yellow when selected) at
 * 30 % opacity, so a hit over a word shows as a non-transparent pixel there.
 */
async function overlayPixel(page: Page, at: { x: number; y: number }): Promise<[number, number, number, number]> {
  const screen = await screenBoxOf(page, { x: at.x, y: at.y, w: 1, h: 1 });
  return page.evaluate(({ x, y }) => {
    const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.openseadragon-canvas > div > canvas')];
    let best: [number, number, number, number] = [0, 0, 0, 0];
    for (const c of canvases) {
      const r = c.getBoundingClientRect();
      const px = Math.round(((x - r.left) * c.width) / r.width);
      const py = Math.round(((y - r.top) * c.height) / r.height);
      if (px < 0 || py < 0 || px >= c.width || py >= c.height) continue;
      const data = c.getContext('2d')?.getImageData(px, py, 1, 1).data;
      if (data && data[3]! > best[3]) best = [data[0]!, data[1]!, data[2]!, data[3]!];
    }
    return best;
  }, screen);
}

const centre = (b: Box) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 });

/** Mirador's search fill: #00BFFF (a hit) or #FFFF00 (the selected hit) at 30 % opacity. */
const searchFill = ([r, g, b, a]: [number, number, number, number]) =>
  a > 60 && a < 100 && ((r < 40 && g > 150 && b > 220) || (r > 220 && g > 220 && b < 40));

/** The hits Mirador lists in its search panel: the text of each (before, match, after). */
const hitTexts = (page: Page) => page.locator('strong:has(span)').allTextContents();

describe('search in the viewer', { timeout: 150_000 }, () => {
  it('opens with ?q= running the search, lists the hits and draws a box over the word', async (t) => {
    const page = await openPage(browser, t);
    // Generous timeouts: the whole suite runs in parallel on two cores.
    await page.goto(`${server.url}/?lang=en&q=${encodeURIComponent('Кайдзъё')}`, { timeout: 60_000 });
    // Both «Кайдзъё» of leaf 43, each with its snippet; the match is in bold.
    await expect.poll(() => hitTexts(page), { timeout: 45_000 }).toEqual(['Кайдзъё', 'Кайдзъё']);
    await expect.poll(() => page.getByRole('combobox', { name: 'search terms' }).inputValue(), { timeout: 30_000 }).toBe('Кайдзъё');
    await viewerSettled(page);
    expect((await windowView(page)).canvasId).toBe(canvasId('l43'));

    const [first, second] = wordsOn('l43', 'Кайдзъё');
    expect(first && second).toBeTruthy();
    await expect.poll(async () => searchFill(await overlayPixel(page, centre(first!.box))), { timeout: 20_000 }).toBe(true);
    expect(searchFill(await overlayPixel(page, centre(second!.box)))).toBe(true);
    // Nothing is drawn in the blank margin of the page beside the first word.
    expect((await overlayPixel(page, { x: 60, y: centre(first!.box).y }))[3]).toBe(0);
  });

  it('searches a phrase from the panel, and a click on a hit goes to its leaf and word', async (t) => {
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en`, { timeout: 60_000 });
    await viewerSettled(page);
    await page.getByRole('tab', { name: 'Search' }).click();
    const input = page.getByRole('combobox', { name: 'search terms' });
    await input.fill('"38 параллели"');
    await input.press('Enter');
    // The phrase is four times in the cable: once on leaf 44, three times on leaf 45.
    await expect.poll(() => hitTexts(page), { timeout: 45_000 }).toHaveLength(4);
    expect(new Set(await hitTexts(page))).toEqual(new Set(['38 параллели']));

    // The last hit is on leaf 45: clicking it turns the page there and draws the hit over «38».
    // Hits are list items (Mirador renders them as buttons; aria-patches.ts makes them list items).
    await page.locator('li, [role="listitem"]').filter({ has: page.locator('strong:has(span)') }).last().click();
    await expect.poll(async () => (await windowView(page)).canvasId, { timeout: 30_000 }).toBe(canvasId('l45'));
    await viewerSettled(page);
    const thirtyEights = wordsOn('l45', '38');
    const last = thirtyEights[thirtyEights.length - 1]!;
    await expect.poll(async () => searchFill(await overlayPixel(page, centre(last.box))), { timeout: 20_000 }).toBe(true);
  });
});
