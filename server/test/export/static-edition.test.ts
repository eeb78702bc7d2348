import { readdir, readFile, stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, type Browser } from '../../../viewer/test/e2e/browser.js';
import { screenBoxOf, viewerSettled } from '../../../viewer/test/e2e/page-helpers.js';
import { buildViewer } from '../../scripts/build-viewer.js';
import { loadConfig, projectRoot } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import express from 'express';
import { exportEdition, type ExportSummary } from '../../src/export/export-edition.js';
import { checkSearchService, SearchServiceError } from '../../src/export/search-check.js';
import { searchRouter } from '../../src/search/router.js';
import { IdentityLedger } from '../../src/presentation/identity.js';
import { problems, type SchemaName } from '../../src/presentation/validate.js';
import { listen, memoryLogger, type Listening } from '../http/listen.js';
import { filesUnder, jsonUrlsUnder, pageLinksUnder, unanswered } from './crawl.js';
import { staticHost } from './static-host.js';

// The edition as a static host serves it: exported to a temporary folder and served by a plain
// static file server (static-host.ts: no code of ours answers a request), then read by Chromium
// and crawled.

const doc = 'rgaspi-f558-op11-d340-l43-45';
const firstImage = 'rgaspi-f558-op11-d340-l043';
let tmp: string;
let outDir: string;
let host: Listening;
let base: string;
let documents: ArchivalDocument[];
let summary: ExportSummary;
let browser: Browser;
const config = loadConfig({ LOG_LEVEL: 'silent' });
const { logger } = memoryLogger('silent');

const exportTo = (searchUrl: string | null) =>
  exportEdition({ outDir, base, searchUrl, config, documents, viewerDist: path.join(projectRoot, 'viewer', 'dist'), logger });

const readJson = async (rel: string) => JSON.parse(await readFile(path.join(outDir, rel), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  await buildViewer({ quiet: true });
  tmp = await mkdtemp(path.join(tmpdir(), 'static-edition-'));
  outDir = path.join(tmp, 'edition');
  host = await staticHost(tmp);
  base = `${host.url}/edition`;
  documents = await loadDocuments(config.manifestsDir);
  summary = await exportTo(null);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('a static level-0 edition', { timeout: 60_000 }, () => {
  it('opens in Mirador from a plain static server: tiles painted, transcript overlay shown, nothing missing', async (t) => {
    const page = await openPage(browser, t);
    const tiles: string[] = [];
    const failed: string[] = [];
    page.on('response', (r) => {
      // Anything the page asks of the host, inside the edition or not (a link left at the host's root).
      if (!r.url().startsWith(host.url)) return;
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      if (r.url().includes('/iiif/3/') && r.url().endsWith('.jpg') && r.status() === 200) tiles.push(r.url());
    });
    await page.goto(`${base}/`);
    await viewerSettled(page);
    expect(tiles.filter((u) => u.includes(`${firstImage}/`) && /\/\d+,\d+,\d+,\d+\//.test(u)).length).toBeGreaterThan(0);
    await page.waitForSelector('.tx-overlay .tx-item');
    expect(await page.locator('.tx-overlay .tx-item').count()).toBeGreaterThan(10);
    // Pixels: paper with dark type in the middle of the leaf, not an empty viewer.
    const image = await screenBoxOf(page, { x: 600, y: 1200, w: 2000, h: 1500 });
    await page.evaluate(() => document.querySelectorAll('.tx-overlay').forEach((e) => ((e as HTMLElement).style.visibility = 'hidden')));
    const png = await page.screenshot({ clip: { x: image.x, y: image.y, width: image.w, height: image.h } });
    const luminance = (await sharp(png).stats()).channels[0]!;
    expect(luminance.mean).toBeGreaterThan(150);
    expect(luminance.min).toBeLessThan(90);
    expect(failed).toEqual([]);
  });

  it('opens the other language’s file when the viewer is asked for it, keeping the view, instead of reloading a file that cannot change', async (t) => {
    const page = await openPage(browser, t);
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(host.url) && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    const canvas = `${base}/iiif/presentation/3/${doc}/canvas/l44`;
    // A link made on the service, whose pages follow ?lang=: the static file is Russian.
    await page.goto(`${base}/?lang=en&canvas=${encodeURIComponent(canvas)}`);
    await page.waitForURL((url) => url.pathname === '/edition/en/');
    await viewerSettled(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('header h1').textContent()).toMatch(/^Cable No. 21756/);
    expect(new URL(page.url()).searchParams.get('canvas')).toBe(canvas);
    expect(failed).toEqual([]);
  });

  it('has a file for every URL under the base that an exported JSON resource or page names', async () => {
    const urls = await jsonUrlsUnder(outDir, base);
    expect(urls.size).toBeGreaterThan(200);
    // And every link of every page, in both languages.
    const pages = (await filesUnder(outDir)).filter((f) => f.endsWith('.html') && !f.startsWith('viewer/'));
    expect(pages.sort()).toEqual(
      ['index.html', 'embed.html', `documents/${doc}.html`, `embed/${doc}.html`].flatMap((p) => [p, `en/${p}`]).sort(),
    );
    for (const url of await pageLinksUnder(outDir, base, pages)) urls.add(url);
    expect(await unanswered(urls)).toEqual([]);
    // The language switch leads to the page in the other language, not to a query a file ignores.
    const root = await readFile(path.join(outDir, 'index.html'), 'utf8');
    expect(root).toContain('<html lang="ru">');
    expect(root).toContain(`href="${base}/en/" lang="en"`);
    // (The reading view's links to a leaf keep `?lang=…&canvas=`: the viewer reads them, in the file's own language.)
    expect(root.match(/<nav class="lang-switch"[^]*?<\/nav>/)![0]).not.toContain('?lang=');
    expect(root).toContain(`<link rel="alternate" hreflang="en" href="${base}/en/">`);
    const english = await (await fetch(`${base}/en/`)).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain(`href="${base}/" lang="ru"`);
  });

  it('carries the built viewer as it is built, compressed twins included, its pages linking it below the base path', async () => {
    const dist = path.join(projectRoot, 'viewer', 'dist');
    const built = (await filesUnder(dist)).filter((f) => !f.startsWith('.') && !f.endsWith('.html'));
    expect(built.some((f) => f.endsWith('.js.br'))).toBe(true);
    for (const f of built) expect((await readFile(path.join(outDir, 'viewer', f))).equals(await readFile(path.join(dist, f))), f).toBe(true);
    const root = await readFile(path.join(outDir, 'index.html'), 'utf8');
    const linked = [...root.matchAll(/(?:src|href)="([^"]*\/viewer\/[^"]*)"/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(2);
    for (const url of linked) expect(url.startsWith(`${new URL(base).pathname}/viewer/`), url).toBe(true);
  });

  it('paints the first leaf in its pages before the viewer, from sizes its level-0 service has, in both languages', async () => {
    for (const page of ['', 'en/', `documents/${doc}`, `embed/${doc}`, 'embed']) {
      const html = await (await fetch(`${base}/${page}`)).text();
      const tag = html.match(/<img class="first-leaf-image"[^>]*>/)?.[0];
      expect(tag, page).toBeDefined();
      const src = tag!.match(/ src="([^"]+)"/)![1]!;
      const srcset = tag!.match(/ srcset="([^"]+)"/)![1]!.split(', ').map((c) => c.split(' ')[0]!);
      expect(srcset.length, page).toBeGreaterThan(1);
      for (const url of new Set([src, ...srcset])) {
        expect(url.startsWith(`${base}/iiif/3/${firstImage}/full/`), url).toBe(true);
        const res = await fetch(url);
        expect([res.status, res.headers.get('content-type')], url).toEqual([200, 'image/jpeg']);
        const { width, height } = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
        const [w, h] = url.split('/full/')[1]!.split('/')[0]!.split(',').map(Number);
        expect([width, height], url).toEqual([w, h]);
      }
    }
  });

  it('publishes level-0 image services whose every advertised tile and size is a JPEG of that size', async () => {
    const info = await readJson(`iiif/3/${firstImage}/info.json`);
    expect(info).toMatchObject({ profile: 'level0', type: 'ImageService3', id: `${base}/iiif/3/${firstImage}` });
    expect(info).not.toHaveProperty('extraFeatures');
    const { width, height } = info as { width: number; height: number };
    const { sizes, tiles } = info as { sizes: { width: number; height: number }[]; tiles: { width: number; scaleFactors: number[] }[] };
    // The requests a tiling client derives from info.json alone (Image API 3.0 §5.6), as OpenSeadragon makes them.
    const expected: [string, number, number][] = [[`full/max`, width, height]];
    for (const s of sizes) expected.push([`full/${s.width},${s.height}`, s.width, s.height]);
    const t = tiles[0]!.width;
    for (const sf of tiles[0]!.scaleFactors) {
      const span = t * sf;
      for (let y = 0; y < height; y += span) {
        for (let x = 0; x < width; x += span) {
          const w = Math.min(span, width - x);
          const h = Math.min(span, height - y);
          const region = x === 0 && y === 0 && w === width && h === height ? 'full' : `${x},${y},${w},${h}`;
          expected.push([`${region}/${Math.ceil(w / sf)},${Math.ceil(h / sf)}`, Math.ceil(w / sf), Math.ceil(h / sf)]);
        }
      }
    }
    expect(expected.length).toBeGreaterThan(50);
    for (const [request, w, h] of expected) {
      const res = await fetch(`${base}/iiif/3/${firstImage}/${request}/0/default.jpg`);
      expect(res.status, request).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect([meta.width, meta.height], request).toEqual([w, h]);
    }
    // A full-resolution tile's canonical name (`max`) and the one viewers ask for are one file.
    const tileDir = path.join(outDir, 'iiif', '3', firstImage, '0,0,512,512');
    expect((await stat(path.join(tileDir, 'max', '0', 'default.jpg'))).ino).toBe((await stat(path.join(tileDir, '512,512', '0', 'default.jpg'))).ino);
    const info2 = await readJson(`iiif/2/${firstImage}/info.json`);
    expect((info2.profile as unknown[])[0]).toBe('http://iiif.io/api/image/2/level0.json');
    // 2.1 canonical sizes are `w,`: what the 2.1 manifest's thumbnail names.
    const manifest2 = await readJson(`iiif/presentation/2/${doc}/manifest.json`);
    const thumb = (manifest2.thumbnail as { '@id': string })['@id'];
    expect(thumb).toMatch(/\/full\/\d+,\/0\/default\.jpg$/);
    expect((await fetch(thumb)).status).toBe(200);
  });

  it('passes our schemas and the one-id-one-resource ledger, and declares only what a static host answers', async () => {
    const checks: [string, SchemaName][] = [
      [`iiif/presentation/3/${doc}/manifest.json`, 'manifest3'],
      [`iiif/presentation/2/${doc}/manifest.json`, 'manifest2'],
      [`iiif/presentation/3/collection/rgaspi-f558.json`, 'collection3'],
      [`iiif/presentation/3/${doc}/annotations/transcription/l43.json`, 'annotationPage3'],
    ];
    for (const [rel, schema] of checks) expect(problems(schema, await readJson(rel)), rel).toEqual([]);
    const ledger = new IdentityLedger();
    for (const rel of (await filesUnder(outDir)).filter((f) => f.startsWith('iiif/') && f.endsWith('.json'))) {
      ledger.record(await readJson(rel), rel, { typeOnly: rel.endsWith('/info.json') });
    }
    expect(ledger.conflicts()).toEqual([]);
    const manifest = await readJson(`iiif/presentation/3/${doc}/manifest.json`);
    expect(manifest).not.toHaveProperty('service');
    const text = JSON.stringify(manifest);
    expect(text).not.toContain('level2');
    expect(text).not.toContain('/iiif/search/');
    expect(JSON.stringify(await readJson(`iiif/presentation/2/${doc}/manifest.json`))).not.toContain('level2');
    const page = await readFile(path.join(outDir, 'index.html'), 'utf8');
    expect(page).toContain(`${base}/iiif/presentation/3/${doc}/manifest`);
    expect(page).toContain('src="/edition/viewer/assets/');
  });

  it('re-exports incrementally and atomically: unchanged images keep their files, search is declared only when named', async () => {
    const tile = path.join(outDir, 'iiif', '3', firstImage, 'full', 'max', '0', 'default.jpg');
    const before = await stat(tile);
    expect(summary.rendered).toBe(3);
    const searchUrl = 'https://search.example.org/cable';
    const again = await exportTo(searchUrl);
    expect(again).toMatchObject({ images: 3, rendered: 0, reused: 3 });
    // Taken over by a hard link from the previous edition: the same file, not re-tiled.
    expect((await stat(tile)).ino).toBe(before.ino);
    const manifest = await readJson(`iiif/presentation/3/${doc}/manifest.json`);
    const services = manifest.service as { id?: string; '@id'?: string; type?: string; '@type'?: string }[];
    expect(services.map((s) => s.type ?? s['@type'])).toContain('SearchService2');
    for (const s of services) expect(s.id ?? s['@id']).toMatch(new RegExp(`^${searchUrl}/`));
    // No staging folder is left beside the edition.
    expect((await readdir(tmp)).sort()).toEqual(['edition']);
  });

  it('declares a search service only after it answered with hits on the edition’s canvases', async () => {
    const document = documents[0]!;
    const serve = (publicBaseUrl: string | null) =>
      listen(express().use(searchRouter({ config: { publicBaseUrl, trustProxy: false }, documents: (id) => documents.find((d) => d.id === id) })));
    const forEdition = await serve(base);
    const forItself = await serve(null);
    try {
      await expect(checkSearchService(forEdition.url, base, document)).resolves.toBeUndefined();
      await expect(checkSearchService(forItself.url, base, document)).rejects.toThrow(`run that service with PUBLIC_BASE_URL=${base}`);
      await expect(checkSearchService(host.url, base, document)).rejects.toThrow('answered 404');
    } finally {
      await forEdition.close();
      await forItself.close();
    }
    await expect(checkSearchService('http://127.0.0.1:1', base, document)).rejects.toThrow(SearchServiceError);
  });
});
