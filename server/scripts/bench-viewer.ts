/**
 * Viewer benchmark: production bundle sizes (raw and gzip, Mirador vs our code) and, in headless
 * Chromium against the real service on 127.0.0.1, cold loads of the document page (`/?lang=en`,
 * 1280 × 900) in three profiles: unthrottled; a 4× CPU slowdown; and "Fast 3G" with the 4× CPU
 * slowdown. For each: first contentful paint, largest contentful paint, cumulative layout shift
 * (PerformanceObserver, from the first byte), the first tile drawn by OpenSeadragon, the viewer
 * interactive (Mirador's store has the manifest and the zoom button is enabled), and the
 * transcript overlay drawn. Medians over RUNS (default 5) loads, each in a fresh browser context,
 * after one warm-up load. Baseline, unthrottled: the bare fetch chain the viewer cannot avoid
 * (manifest → info.json → one tile) from a blank page of the same origin.
 *
 * "Fast 3G" is Chrome DevTools' preset of that name (front_end/core/sdk/NetworkManager.ts), which
 * is also Lighthouse's DevTools throttling for its mobile profile: 1.6 Mbit/s down and
 * 750 kbit/s up, each × 0.9, and 150 ms × 3.75 = 562.5 ms of latency per request.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig, projectRoot } from '../src/config.js';
import { loadDocuments } from '../src/document/load-document.js';
import { createHttpServer, messageClassesFor, serverTimeouts } from '../src/http/server.js';
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
// Served as main.ts serves it.
const server = createHttpServer(app, serverTimeouts(config), messageClassesFor(app)).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const doc = documents[0]!;
const manifest = `${base}/iiif/presentation/3/${doc.id}/manifest`;
const imageId = doc.leaves[0]!.image;

/**
 * Web vitals and viewer milestones, injected before the page's first byte. A string: a compiled
 * function could carry helpers of the TypeScript loader that the page does not have.
 */
const probe = `
  window.__t = { cls: 0, fcp: 0, lcp: 0 };
  const po = (type, fn) => new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true });
  po('paint', (e) => { if (e.name === 'first-contentful-paint') window.__t.fcp = e.startTime; });
  po('largest-contentful-paint', (e) => { window.__t.lcp = e.startTime; });
  po('layout-shift', (e) => { if (!e.hadRecentInput) window.__t.cls += e.value; });
  let hooked = false;
  const tick = () => {
    const t = window.__t;
    const osd = window.miradorOsd && window.miradorOsd();
    if (osd && !hooked) {
      hooked = true;
      osd.addHandler('tiled-image-drawn', (ev) => { if (ev.tiles.length > 0 && !t.tile) t.tile = performance.now(); });
    }
    if (!t.interactive && osd && osd.world.getItemCount() > 0) {
      const state = window.mirador.store.getState();
      const w = Object.values(state.windows)[0];
      const zoom = document.querySelector('.mirador-canvas-nav button');
      if (w && state.manifests[w.manifestId] && state.manifests[w.manifestId].json && zoom && !zoom.disabled) t.interactive = performance.now();
    }
    if (!t.overlay && document.querySelector('.tx-item[style*="matrix"]')) t.overlay = performance.now();
    if (!t.handedOver && t.tile && !document.querySelector('.first-leaf')) t.handedOver = performance.now();
    if (!(t.tile && t.overlay && t.interactive && t.handedOver)) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
`;

interface Profile {
  name: string;
  cpu: number;
  network?: { latency: number; downloadThroughput: number; uploadThroughput: number };
  /** Largest contentful paint to stay within, ms. */
  lcpTarget: number;
}

const profiles: Profile[] = [
  // On this machine, the page as it is served: the leaf must be on screen at once.
  { name: 'unthrottled', cpu: 1, lcpTarget: 500 },
  // Core Web Vitals call an LCP up to 2.5 s "good".
  { name: '4× CPU', cpu: 4, lcpTarget: 2500 },
  {
    name: 'Fast 3G + 4× CPU',
    cpu: 4,
    network: { latency: 150 * 3.75, downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, uploadThroughput: ((750 * 1000) / 8) * 0.9 },
    lcpTarget: 2500,
  },
];
const clsTarget = 0.1;

type Times = Record<'fcp' | 'lcp' | 'cls' | 'tile' | 'interactive' | 'overlay' | 'handedOver', number>;

/** One cold load of the document page in a fresh context, throttled as the profile says. */
async function load(browser: import('playwright-core').Browser, profile: Profile): Promise<Times> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    if (profile.network) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile.network });
    }
    await page.addInitScript({ content: probe });
    await page.goto(`${base}/?lang=en`, { timeout: 120_000 });
    await page.waitForFunction(
      () => {
        const t = (window as unknown as { __t?: Partial<Times> }).__t;
        return Boolean(t?.tile && t.overlay && t.interactive && t.handedOver);
      },
      undefined,
      { timeout: 120_000 },
    );
    return await page.evaluate(() => (window as unknown as { __t: Times }).__t);
  } finally {
    await context.close();
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: chromiumArgs });
const results = new Map<string, Times[]>();
const baseline: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/viewer/iiif-logo.svg`);
    baseline.push(
      await page.evaluate(
        async ({ manifest: m, info, tileUrl }) => {
          const t0 = performance.now();
          await (await fetch(m)).json();
          await (await fetch(info)).json();
          await (await fetch(tileUrl)).blob();
          return performance.now() - t0;
        },
        { manifest, info: `${base}/iiif/3/${imageId}/info.json`, tileUrl: `${base}/iiif/3/${imageId}/0,0,1024,1024/512,/0/default.jpg` },
      ),
    );
    await context.close();
  }
  for (const profile of profiles) {
    await load(browser, profile); // warm-up: server caches, OS file cache
    const times: Times[] = [];
    for (let i = 0; i < runs; i++) times.push(await load(browser, profile));
    results.set(profile.name, times);
  }
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
  await images.close();
}

const ms = (n: number) => `${Math.round(n)} ms`;
const med = (times: Times[], key: keyof Times) => median(times.map((t) => t[key]));
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
console.log('Viewer bundle (viewer/dist/assets, JS + CSS)');
console.log(`  Mirador 4 + React + MUI : ${kb(sizes.mirador.raw).padStart(10)} raw  ${kb(sizes.mirador.gzip).padStart(9)} gzip`);
console.log(`  our plugins and pages  : ${kb(sizes.ours.raw).padStart(10)} raw  ${kb(sizes.ours.gzip).padStart(9)} gzip  (${((100 * sizes.ours.gzip) / sizes.mirador.gzip).toFixed(1)}% of Mirador; target ≤ 30 KB gzip)`);
console.log(`Document page (/?lang=en, 1280 × 900) in headless Chromium, medians of ${runs} cold loads (fresh context each) after a warm-up`);
console.log(`  baseline fetch chain, unthrottled (manifest → info.json → tile): ${ms(median(baseline))}`);
const cols = ['profile', 'FCP', 'LCP', 'LCP target', '', 'CLS', '', 'first tile', 'interactive', 'overlay', 'img → viewer'];
const widths = [18, 8, 8, 11, 5, 6, 5, 11, 12, 9, 12];
const row = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ')}`;
console.log(row(cols));
let failed = false;
for (const profile of profiles) {
  const times = results.get(profile.name)!;
  const [lcp, cls] = [med(times, 'lcp'), med(times, 'cls')];
  const ok = [lcp <= profile.lcpTarget, cls < clsTarget];
  failed ||= ok.includes(false);
  console.log(
    row([
      profile.name,
      ms(med(times, 'fcp')),
      ms(lcp),
      `≤ ${ms(profile.lcpTarget)}`,
      verdict(ok[0]!),
      cls.toFixed(3),
      verdict(ok[1]!),
      ms(med(times, 'tile')),
      ms(med(times, 'interactive')),
      ms(med(times, 'overlay')),
      ms(med(times, 'handedOver')),
    ]),
  );
}
console.log(`  CLS target < ${clsTarget}. "img → viewer": the server-rendered leaf replaced by OpenSeadragon's drawing.`);
const unthrottled = results.get('unthrottled')!;
console.log(`  unthrottled: first tile ${(med(unthrottled, 'tile') / median(baseline)).toFixed(1)}× the baseline chain; overlay ${ms(Math.max(0, med(unthrottled, 'overlay') - med(unthrottled, 'tile')))} after the first tile (target ≤ 500 ms)`);
if (failed) process.exitCode = 1;
