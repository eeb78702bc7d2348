/**
 * Viewer benchmark: production bundle sizes (raw and gzip, Mirador vs our code) and, in headless
 * Chromium against the real service on 127.0.0.1, the time from navigation to the first tile
 * painted and to the transcript overlay drawn. Medians over RUNS (default 5) cold loads, each in
 * a fresh browser context. Baseline, measured in the same run: the bare fetch chain the viewer
 * cannot avoid (manifest → info.json → one tile) from a blank page of the same origin.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig, projectRoot } from '../src/config.js';
import { loadDocuments } from '../src/document/load-document.js';
import { createImageBackend } from '../src/image/backend.js';
import { buildViewer } from './build-viewer.js';

const runs = Number(process.env.RUNS ?? 5);
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Sizes of the files the build manifest lists (a folder may hold files of earlier builds). */
async function bundleSizes() {
  const dist = path.join(projectRoot, 'viewer', 'dist');
  const chunks = JSON.parse(await readFile(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; css?: string[] }>;
  const files = new Set(Object.values(chunks).flatMap((c) => [c.file, ...(c.css ?? [])]));
  const sum = { mirador: { raw: 0, gzip: 0 }, ours: { raw: 0, gzip: 0 } };
  for (const f of files) {
    const body = await readFile(path.join(dist, f));
    const part = path.basename(f).startsWith('mirador-') ? sum.mirador : sum.ours;
    part.raw += body.length;
    part.gzip += gzipSync(body).length;
  }
  return sum;
}

await buildViewer({ quiet: true });
const sizes = await bundleSizes();

const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' });
const logger = pino({ level: 'silent' });
const documents = await loadDocuments(config.manifestsDir);
const images = createImageBackend(config, logger, { ingestOnDemand: true });
await images.ingestAll();
const app = createApp({ config, logger, documents, images });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const doc = documents[0]!;
const manifest = `${base}/iiif/presentation/3/${doc.id}/manifest`;
const imageId = doc.leaves[0]!.image;

// Marks the first frame with painted tiles and the first frame with the overlay placed. A string:
// a compiled function could carry helpers of the TypeScript loader that the page does not have.
const probe = `
  window.__t = {};
  let hooked = false;
  const tick = () => {
    const osd = window.miradorOsd && window.miradorOsd();
    if (osd && !hooked) {
      hooked = true;
      osd.addHandler('tiled-image-drawn', (ev) => { if (ev.tiles.length > 0 && !window.__t.tile) window.__t.tile = performance.now(); });
    }
    if (!window.__t.overlay && document.querySelector('.tx-item[style*="matrix"]')) window.__t.overlay = performance.now();
    if (!(window.__t.tile && window.__t.overlay)) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: chromiumArgs });
const tile: number[] = [];
const overlay: number[] = [];
const baseline: number[] = [];
try {
  for (let i = 0; i < runs + 1; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/viewer/iiif-logo.svg`);
    const chain = await page.evaluate(
      async ({ manifest: m, info, tileUrl }) => {
        const t0 = performance.now();
        await (await fetch(m)).json();
        await (await fetch(info)).json();
        await (await fetch(tileUrl)).blob();
        return performance.now() - t0;
      },
      { manifest, info: `${base}/iiif/3/${imageId}/info.json`, tileUrl: `${base}/iiif/3/${imageId}/0,0,1024,1024/512,/0/default.jpg` },
    );
    await page.addInitScript({ content: probe });
    await page.goto(`${base}/?lang=en`);
    await page.waitForFunction(() => {
      const t = (window as unknown as { __t?: Record<string, number> }).__t;
      return Boolean(t?.tile && t.overlay);
    }, undefined, { timeout: 30_000 });
    const t = await page.evaluate(() => (window as unknown as { __t: Record<string, number> }).__t);
    await context.close();
    if (i === 0) continue; // warm-up: server caches, OS file cache
    tile.push(t.tile!);
    overlay.push(t.overlay!);
    baseline.push(chain);
  }
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
  await images.close();
}

const afterTile = overlay.map((o, i) => Math.max(0, o - tile[i]!));
const ms = (n: number) => `${Math.round(n)} ms`;
console.log('Viewer bundle (viewer/dist/assets, JS + CSS)');
console.log(`  Mirador 4 + React + MUI : ${kb(sizes.mirador.raw).padStart(10)} raw  ${kb(sizes.mirador.gzip).padStart(9)} gzip`);
console.log(`  our plugins and pages  : ${kb(sizes.ours.raw).padStart(10)} raw  ${kb(sizes.ours.gzip).padStart(9)} gzip  (${((100 * sizes.ours.gzip) / sizes.mirador.gzip).toFixed(1)}% of Mirador; target ≤ 30 KB gzip)`);
console.log(`Load in headless Chromium, ${runs} cold runs (fresh context each), medians`);
console.log(`  baseline fetch chain (manifest → info.json → tile): ${ms(median(baseline))}`);
console.log(`  navigation → first tile painted : ${ms(median(tile))}  (${(median(tile) / median(baseline)).toFixed(1)}× baseline; target ≤ 1500 ms)`);
console.log(`  navigation → overlay drawn      : ${ms(median(overlay))}`);
console.log(`  overlay after first tile        : ${ms(median(afterTile))}  (target ≤ 500 ms)`);
