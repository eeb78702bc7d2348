import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer } from '../../../server/scripts/build-viewer.js';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { loadDocuments } from '../../../server/src/document/load-document.js';
import { createImageBackend, type ImageService } from '../../../server/src/image/backend.js';
import { listen, memoryLogger, type Listening } from '../../../server/test/http/listen.js';
import { decodeContentState, encodeContentState } from '../../src/content-state.js';
import { parseXywh } from '../../src/geometry.js';
import { launchBrowser, openPage, type Browser } from './browser.js';
import { contains, rectOf, screenBoxOf, viewerSettled, windowView, type Box } from './page-helpers.js';

// End-to-end: the real service (images, manifests, viewer) on 127.0.0.1:0 and one headless Chromium.

const doc = 'rgaspi-f558-op11-d340-l43-45';
let server: Listening;
let portal: Listening;
let images: ImageService;
let browser: Browser;

interface Line {
  id: string;
  text: string;
  box: Box;
}

const root = () => `${server.url}/iiif/presentation/3/${doc}`;
const canvasId = (leaf: string) => `${root()}/canvas/${leaf}`;

/** The annotations of one layer on one leaf, as the manifest publishes them (any viewer gets the same). */
async function layer(name: 'transcription' | 'translation', leaf: string): Promise<Line[]> {
  const page = (await (await fetch(`${root()}/annotations/${name}/${leaf}`)).json()) as {
    items: { id: string; body: { value: string }; target: string }[];
  };
  return page.items.flatMap((a) => {
    const box = parseXywh(a.target.split('#')[1] ?? '');
    return box ? [{ id: a.id, text: a.body.value, box }] : [];
  });
}

beforeAll(async () => {
  await buildViewer({ quiet: true });
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' });
  const { logger } = memoryLogger('silent');
  const documents = await loadDocuments(config.manifestsDir);
  images = createImageBackend(config, logger, { ingestOnDemand: true });
  await images.ingestAll();
  server = await listen(createApp({ config, logger, documents, images }));
  // A library portal on another origin (another port) that frames the viewer.
  portal = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal');
    const src = url.searchParams.get('src') ?? '';
    const width = Number(url.searchParams.get('width') ?? 320);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Portal</title><body style="margin:0"><iframe id="f" src="${src.replace(/"/g, '&quot;')}" width="${width}" height="480" style="border:0"></iframe></body>`);
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await server?.close();
  await images?.close();
});

describe('the document page', { timeout: 60_000 }, () => {
  it('loads the manifest and paints tiles of the first leaf', async (t) => {
    const page = await openPage(browser, t);
    const tiles: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/iiif/3/') && r.url().endsWith('.jpg') && r.status() === 200) tiles.push(r.url());
    });
    await page.goto(`${server.url}/?lang=en`);
    await viewerSettled(page);
    expect(tiles.length).toBeGreaterThan(0);
    // Tiles of the first leaf's image service (the thumbnail strip fetches small images of every leaf).
    expect(tiles.filter((u) => /rgaspi-f558-op11-d340-l043\/\d+,\d+,\d+,\d+\//.test(u)).length).toBeGreaterThan(0);
    // Pixels: the middle of the page image shows paper with dark type, not an empty viewer.
    const image = await screenBoxOf(page, { x: 600, y: 1200, w: 2000, h: 1500 });
    await page.evaluate(() => document.querySelectorAll('.tx-overlay').forEach((e) => ((e as HTMLElement).style.visibility = 'hidden')));
    const png = await page.screenshot({ clip: { x: image.x, y: image.y, width: image.w, height: image.h } });
    const { channels } = await sharp(png).stats();
    const luminance = channels[0]!;
    expect(luminance.mean).toBeGreaterThan(150);
    expect(luminance.min).toBeLessThan(90);
    expect(luminance.stdev).toBeGreaterThan(8);
  });

  it('draws the Russian text of a line inside that line’s box, and keeps it there through a zoom', async (t) => {
    const [line] = await layer('transcription', 'l43');
    expect(line!.text).toBe('Товарищ Филиппов!');
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en`);
    await viewerSettled(page);
    const selector = `.tx-item[data-id="${line!.id}"]`;
    await page.waitForSelector(selector);
    const check = async () => {
      const expected = await screenBoxOf(page, line!.box);
      const item = (await rectOf(page, selector))!;
      const text = (await rectOf(page, `${selector} > span`))!;
      expect(Math.abs(item.x - expected.x)).toBeLessThan(1.5);
      expect(Math.abs(item.y - expected.y)).toBeLessThan(1.5);
      expect(Math.abs(item.w - expected.w)).toBeLessThan(1.5);
      expect(Math.abs(item.h - expected.h)).toBeLessThan(1.5);
      expect(contains(expected, text, 1.5)).toBe(true);
      expect(text.w).toBeGreaterThan(expected.w * 0.9);
      return expected;
    };
    expect(await page.locator(selector).textContent()).toBe(line!.text);
    expect(await page.locator(selector).getAttribute('lang')).toBe('ru');
    const before = await check();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await viewerSettled(page);
    const after = await check();
    expect(after.w).toBeGreaterThan(before.w * 1.5);
  });

  it('keeps the text on its lines when the page is rotated, and on the right leaf in book view', async (t) => {
    const [line] = await layer('transcription', 'l43');
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en`);
    await viewerSettled(page);
    const selector = (id: string) => `.tx-item[data-id="${id}"]`;
    // Rotation: the drawn line's bounding box is the rotated box's bounding box.
    await page.evaluate(() => (window as unknown as { miradorOsd: () => { viewport: { setRotation(d: number): void } } }).miradorOsd().viewport.setRotation(90));
    await viewerSettled(page);
    const corners = await Promise.all([
      screenBoxOf(page, { ...line!.box, w: 0, h: 0 }),
      screenBoxOf(page, { x: line!.box.x + line!.box.w, y: line!.box.y + line!.box.h, w: 0, h: 0 }),
    ]);
    const drawn = (await rectOf(page, selector(line!.id)))!;
    expect(Math.abs(drawn.x - Math.min(corners[0].x, corners[1].x))).toBeLessThan(1.5);
    expect(Math.abs(drawn.y - Math.min(corners[0].y, corners[1].y))).toBeLessThan(1.5);
    expect(drawn.h).toBeGreaterThan(drawn.w * 5); // a horizontal line, now upright

    // Book view at l. 44: ll. 44 and 45 side by side; a line of l. 45 sits right of l. 44's width.
    await page.goto(`${server.url}/?lang=en&canvas=${encodeURIComponent(canvasId('l44'))}`);
    await viewerSettled(page);
    await page.getByRole('button', { name: 'Window views & thumbnail display' }).click();
    await page.getByRole('menuitemradio', { name: 'Book' }).click();
    await page.keyboard.press('Escape');
    await viewerSettled(page);
    const [right] = await layer('transcription', 'l45');
    await page.waitForSelector(selector(right!.id));
    const width = await page.evaluate(() => {
      type S = { manifests: Record<string, { json: { items: { width: number }[] } }> };
      const s = (window as unknown as { mirador: { store: { getState(): S } } }).mirador.store.getState();
      return Object.values(s.manifests)[0]!.json.items[1]!.width;
    });
    const expected = await screenBoxOf(page, { ...right!.box, x: right!.box.x + width });
    const actual = (await rectOf(page, selector(right!.id)))!;
    expect(Math.abs(actual.x - expected.x) + Math.abs(actual.y - expected.y) + Math.abs(actual.w - expected.w)).toBeLessThan(3);
  });

  it('lets the reader select and copy the Russian text straight from the image', async (t) => {
    const [line] = await layer('transcription', 'l43');
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en`);
    await viewerSettled(page);
    await page.getByRole('button', { name: 'Text display settings' }).click();
    await page.getByRole('radio', { name: 'Invisible, selectable' }).check();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Text display settings' }).waitFor({ state: 'detached' });
    const selector = `.tx-item[data-id="${line!.id}"]`;
    await page.waitForSelector(`.tx-overlay[data-mode="selectable"] ${selector}`);
    expect(await page.locator(selector).evaluate((e) => getComputedStyle(e).color)).toBe('rgba(0, 0, 0, 0)');
    const box = await screenBoxOf(page, line!.box);
    const y = box.y + box.h / 2;
    await page.mouse.move(box.x + 1, y, { steps: 2 });
    await expect.poll(() => page.locator('.tx-focus').count()).toBe(1);
    await page.mouse.down();
    await page.mouse.move(box.x + box.w / 2, y, { steps: 5 });
    await page.mouse.move(box.x + box.w - 1, y, { steps: 5 });
    await page.mouse.up();
    const selected = await page.evaluate(() => getSelection()?.toString() ?? '');
    expect(selected.replace(/\s+/g, ' ').trim()).toMatch(/^Товарищ Филиппов!?$/);
  });

  it('shows the English translation over the paragraph regions when the layer is switched', async (t) => {
    const en = await layer('translation', 'l43');
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en`);
    await viewerSettled(page);
    await page.getByRole('button', { name: 'English translation' }).click();
    await page.waitForSelector('.tx-overlay[data-layer="en"] .tx-item[lang="en"]');
    expect(await page.locator('.tx-overlay .tx-item[lang="ru"]').count()).toBe(0);
    const paragraph = en[1]!;
    const selector = `.tx-item[data-id="${paragraph.id}"]`;
    expect(await page.locator(selector).textContent()).toBe(paragraph.text);
    const expected = await screenBoxOf(page, paragraph.box);
    const actual = (await rectOf(page, selector))!;
    expect(Math.abs(actual.x - expected.x) + Math.abs(actual.y - expected.y) + Math.abs(actual.w - expected.w)).toBeLessThan(3);
  });

  it('lists the leaf’s lines beside the translation and zooms to a line when it is clicked', async (t) => {
    const ru = await layer('transcription', 'l43');
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en`);
    await viewerSettled(page);
    await expect.poll(() => page.locator('.tx-panel-line').count()).toBe(ru.length);
    expect(await page.locator('.tx-panel-paragraph[lang="en"]').count()).toBeGreaterThan(0);
    const target = ru[8]!;
    await page.locator(`.tx-panel-line[data-id="${target.id}"]`).click();
    await viewerSettled(page);
    const viewer = (await rectOf(page, '.openseadragon-container'))!;
    const shown = await screenBoxOf(page, target.box);
    expect(contains(viewer, shown)).toBe(true);
    expect(shown.w).toBeGreaterThan(viewer.w * 0.7);
    // The focused line is highlighted on the image, and the URL now names the region.
    await expect.poll(() => page.locator('.tx-focus').count()).toBe(1);
    await expect.poll(() => new URL(page.url()).searchParams.get('xywh')).not.toBeNull();
    const region = parseXywh(new URL(page.url()).searchParams.get('xywh')!)!;
    expect(contains(region, target.box, 2)).toBe(true);

    // Moving the image to the last line marks it in the panel and scrolls the panel to the lines in view.
    const last = ru[ru.length - 1]!;
    await page.mouse.move(5, 5);
    await page.evaluate((b) => {
      type V = { viewport: { getBounds(): { clone(): object }; fitBounds(r: object): void } };
      const v = (window as unknown as { miradorOsd: () => V }).miradorOsd();
      v.viewport.fitBounds(Object.assign(v.viewport.getBounds().clone(), { x: b.x, y: b.y - b.h, width: b.w, height: b.h * 3, degrees: 0 }));
    }, last.box);
    await viewerSettled(page);
    const line = page.locator(`.tx-panel-line[data-id="${last.id}"]`);
    await expect.poll(() => line.getAttribute('class')).toContain('tx-in-view');
    const panel = (await rectOf(page, '.tx-panel'))!;
    const firstInView = page.locator('.tx-panel-line.tx-in-view').first();
    await expect.poll(async () => {
      const r = (await firstInView.boundingBox())!;
      const scroller = await firstInView.evaluate((el) => {
        let p = el.parentElement;
        while (p && !/(auto|scroll)/.test(getComputedStyle(p).overflowY)) p = p.parentElement;
        const b = p!.getBoundingClientRect();
        return { top: b.top, bottom: b.bottom };
      });
      return r.y >= scroller.top && r.y + r.height <= scroller.bottom && r.x >= panel.x;
    }).toBe(true);
  });
});

describe('deep links and IIIF Content State', { timeout: 60_000 }, () => {
  it('opens ?canvas=…&xywh=… at that leaf and region', async (t) => {
    const [, line] = await layer('transcription', 'l44');
    const region = { x: line!.box.x - 40, y: line!.box.y - 40, w: line!.box.w + 80, h: line!.box.h * 4 };
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en&canvas=${encodeURIComponent(canvasId('l44'))}&xywh=${region.x},${region.y},${region.w},${region.h}`);
    await viewerSettled(page);
    const view = await windowView(page);
    expect(view.canvasId).toBe(canvasId('l44'));
    expect(contains(view.bounds, region, 2)).toBe(true);
    expect(view.bounds.w < region.w * 1.05 || view.bounds.h < region.h * 1.05).toBe(true);
    // The panel follows the leaf: it lists l. 44's lines.
    const l44 = await layer('transcription', 'l44');
    await expect.poll(() => page.locator('.tx-panel-line').count()).toBe(l44.length);
    expect(await page.locator('.tx-panel-line').first().textContent()).toBe(l44[0]!.text);
    // The page's download link follows the leaf in view.
    await expect.poll(() => page.locator('#download-leaf').getAttribute('href')).toContain('/iiif/3/rgaspi-f558-op11-d340-l044/full/max/0/default.jpg');
  });

  it('opens a content-state link at its leaf and region, and the Share control round-trips the view', async (t) => {
    const [line] = await layer('transcription', 'l45');
    const region = { x: line!.box.x, y: line!.box.y, w: line!.box.w, h: line!.box.h * 3 };
    const state = {
      id: `${canvasId('l45')}#xywh=${region.x},${region.y},${region.w},${region.h}`,
      type: 'Canvas',
      partOf: [{ id: `${root()}/manifest`, type: 'Manifest' }],
    };
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en&iiif-content=${encodeContentState(JSON.stringify(state))}`);
    await viewerSettled(page);
    const view = await windowView(page);
    expect(view.canvasId).toBe(canvasId('l45'));
    expect(contains(view.bounds, region, 2)).toBe(true);
    await expect.poll(() => new URL(page.url()).searchParams.get('canvas')).toBe(canvasId('l45'));

    await page.getByRole('button', { name: 'Share this view' }).click();
    const shared = await page.getByRole('textbox', { name: 'IIIF content state link' }).inputValue();
    const decoded = JSON.parse(decodeContentState(new URL(shared).searchParams.get('iiif-content')!)) as {
      motivation: string[];
      target: { id: string; partOf: { id: string }[] };
    };
    expect(decoded.motivation).toEqual(['contentState']);
    expect(decoded.target.id.startsWith(`${canvasId('l45')}#xywh=`)).toBe(true);
    expect(decoded.target.partOf[0]!.id).toBe(`${root()}/manifest`);
    const link = await page.getByRole('textbox', { name: 'Link to this view' }).inputValue();
    expect(new URL(link).searchParams.get('canvas')).toBe(canvasId('l45'));
  });
});

describe('embedding and languages', { timeout: 60_000 }, () => {
  it('renders /embed inside an iframe of another origin, 320 px wide, while / refuses to be framed', async (t) => {
    const page = await openPage(browser, t);
    await page.goto(`${portal.url}/?width=320&src=${encodeURIComponent(`${server.url}/embed?lang=ru&canvas=${encodeURIComponent(canvasId('l44'))}`)}`);
    const frame = page.frames().find((f) => f.url().startsWith(`${server.url}/embed`)) ?? (await page.waitForEvent('frameattached'));
    await viewerSettled(frame);
    expect(new URL(frame.url()).origin).not.toBe(new URL(page.url()).origin);
    expect((await windowView(frame)).canvasId).toBe(canvasId('l44'));
    expect(await frame.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await frame.locator('.tx-overlay .tx-item').count()).toBeGreaterThan(0);

    const blocked = await openPage(browser, t);
    const refused = blocked.waitForEvent('console', (m) => /frame-ancestors|Refused to frame/i.test(m.text()));
    await blocked.goto(`${portal.url}/?width=800&src=${encodeURIComponent(`${server.url}/`)}`);
    await refused;
    const child = blocked.frames().find((f) => f !== blocked.mainFrame());
    expect(await child?.evaluate(() => document.querySelector('#viewer')).catch(() => null)).toBeNull();
  });

  it('speaks Russian: page, Mirador’s own controls, our controls and the manifest’s labels', async (t) => {
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=ru`);
    await viewerSettled(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.locator('header h1').textContent()).toMatch(/^Шифртелеграмма № 21756/);
    await expect.poll(() => page.getByRole('button', { name: 'Увеличить' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Следующий лист' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Текст на изображении', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Английский перевод' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Поделиться этим видом' }).count()).toBe(1);
    expect(await page.locator('.mirador-companion-window-title, h3').filter({ hasText: 'Транскрипция и перевод' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.mirador-window-top-bar').first().textContent()).toMatch(/Шифртелеграмма/);
    expect(await page.getByRole('button', { name: 'Zoom in' }).count()).toBe(0);
  });

  it('announces oEmbed on the page, and the endpoint returns a rich response framing /embed', async (t) => {
    const page = await openPage(browser, t);
    await page.goto(`${server.url}/?lang=en`);
    const href = await page.locator('link[rel="alternate"][type="application/json+oembed"]').getAttribute('href');
    const res = await fetch(new URL(href!, server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ version: '1.0', type: 'rich', width: 800, height: 600 });
    expect(body.html).toMatch(new RegExp(`^<iframe src="${server.url}/embed`));
    expect((await fetch(`${server.url}/oembed?url=${encodeURIComponent(`${server.url}/`)}&format=xml`)).status).toBe(501);
    expect((await fetch(`${server.url}/oembed?url=${encodeURIComponent('https://elsewhere.example/')}`)).status).toBe(404);
    expect((await fetch(`${server.url}/oembed`)).status).toBe(400);
  });
});
