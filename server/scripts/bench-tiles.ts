/**
 * `npm run bench:tiles`: how fast the image service answers a deep-zoom viewer, as ratios to
 * a naive baseline measured in the same run (Express + sharp decoding the source JPEG per
 * request, bench-naive-server.ts).
 *
 * 1. Generates a 5000 × 7000 scan stand-in (paper texture and text-like lines) in a temporary
 *    folder and times its ingest (pyramid + every grid tile).
 * 2. Starts the real service as `npm start` does (node on the compiled server/dist/main.js,
 *    with the start script's flags) on 127.0.0.1 and drives it like
 *    OpenSeadragon does: every tile of the pyramid once on a fresh process that has only
 *    answered info.json (cold: no tile in memory yet) and then repeatedly (warm), over 1 and 8
 *    keep-alive connections; a zoom-in viewer session (6 connections, as a browser uses);
 *    off-grid requests (thumbnails of many sizes, arbitrary regions), each distinct.
 * 3. Does the same against the baseline and prints tiles/s, p50/p99 latency, peak RSS of the
 *    service, the ingest time and the ratios. Each phase runs `--repeat` times (default 3) on
 *    fresh processes and the median is printed: the machine is shared.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Pool } from 'undici';
import { loadConfig, projectRoot } from '../src/config.js';
import { sourceExtensions } from '../src/image/render.js';
import { gridTiles, scaleFactors } from '../src/image/tile-grid.js';
import { buildServer, startArgs } from './build-server.js';
import { ingestAll } from './ingest.js';
import { freePort, startServiceProcess, type ServiceProcess } from './service-process.js';


const { values: args } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' },
    width: { type: 'string', default: '5000' },
    height: { type: 'string', default: '7000' },
    keep: { type: 'boolean', default: false },
  },
});
const REPEAT = Math.max(1, Number(args.repeat));
const W = Number(args.width);
const H = Number(args.height);
const TILE = 512;
const ID = 'scan';

// ---------------------------------------------------------------- the scan stand-in

/** Paper with grain and ~600 lines of "text", JPEG q90: tiles compress like a real scan's. */
async function makeScan(file: string): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < 560; i++) {
    const y = 420 + i * 11.2;
    const x = 380 + ((i * 37) % 260);
    const w = 3200 + ((i * 91) % 900);
    // Words: dashes of varying length along the line.
    lines.push(`<path d="M${x} ${y.toFixed(1)} h${w}" stroke="#2c2418" stroke-width="5" stroke-dasharray="${30 + (i % 7) * 9} 14 ${50 + (i % 5) * 11} 16"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${lines.join('')}</svg>`;
  await sharp({ create: { width: W, height: H, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 214, sigma: 12 } } })
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 90 })
    .toFile(file);
}

// ---------------------------------------------------------------- requests, as OpenSeadragon makes them

interface TileRequest {
  readonly level: number;
  readonly column: number;
  readonly row: number;
  readonly path: string;
}

/** Every tile URL OpenSeadragon's IIIFTileSource builds for a 3.0 service (`x,y,w,h/w,h`, `full/w,h`). */
function osdTiles(): TileRequest[] {
  const factors = scaleFactors(W, H, TILE);
  const maxLevel = Math.log2(Math.max(...factors));
  const out: TileRequest[] = [];
  for (let level = 0; level <= maxLevel; level++) {
    const scale = 0.5 ** (maxLevel - level);
    const lw = Math.ceil(W * scale);
    const lh = Math.ceil(H * scale);
    const span = Math.round(TILE / scale);
    for (let row = 0; row * TILE < lh; row++) {
      for (let column = 0; column * TILE < lw; column++) {
        let region: string;
        let size: string;
        if (lw < TILE && lh < TILE) {
          region = 'full';
          size = lw === W && lh === H ? 'max' : `${lw},${lh}`;
        } else {
          const x = column * span;
          const y = row * span;
          region = `${x},${y},${Math.min(span, W - x)},${Math.min(span, H - y)}`;
          size = `${Math.min(TILE, lw - column * TILE)},${Math.min(TILE, lh - row * TILE)}`;
        }
        out.push({ level, column, row, path: `/iiif/3/${ID}/${region}/${size}/0/default.jpg` });
      }
    }
  }
  return out;
}

/**
 * A reader opening the page in a 1280 × 800 viewer and zooming in twice per step towards a
 * point of the text until 2× magnification: each step asks for the tiles of the visible area
 * at the level the viewer draws (and the coarser ones it blends from) that it has not
 * loaded yet, as a browser cache would spare the rest.
 */
function zoomSession(tiles: readonly TileRequest[]): string[][] {
  const viewport = { w: 1280, h: 800 };
  const focus = { x: W * 0.42, y: H * 0.37 };
  const maxLevel = Math.max(...tiles.map((t) => t.level));
  const home = Math.min(viewport.w / W, viewport.h / H);
  const seen = new Set<string>();
  const steps: string[][] = [];
  for (let zoom = home; zoom <= 2; zoom *= 2) {
    const vw = viewport.w / zoom;
    const vh = viewport.h / zoom;
    const x0 = Math.max(0, Math.min(W - vw, focus.x - vw / 2));
    const y0 = Math.max(0, Math.min(H - vh, focus.y - vh / 2));
    // The level drawn: the coarsest with at least one image pixel per screen pixel.
    let target = maxLevel;
    for (let level = maxLevel; level >= 0; level--) if (0.5 ** (maxLevel - level) >= zoom) target = level;
    const step: string[] = [];
    for (const t of tiles) {
      if (t.level > target) continue;
      const span = TILE * 2 ** (maxLevel - t.level);
      const tx = t.column * span;
      const ty = t.row * span;
      const visible = tx < x0 + vw && tx + span > x0 && ty < y0 + vh && ty + span > y0;
      if (visible && !seen.has(t.path)) {
        seen.add(t.path);
        step.push(t.path);
      }
    }
    steps.push(step);
  }
  return steps;
}

/** Deterministic pseudo-random numbers, so every run asks for the same regions. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Thumbnails of many sizes and arbitrary regions: nothing a tile store could answer. */
function offGrid(): string[] {
  const rnd = random(21756);
  const out: string[] = [];
  for (let i = 0; i < 24; i++) out.push(`/iiif/3/${ID}/full/!${160 + i * 7},${160 + i * 7}/0/default.jpg`);
  for (let i = 0; i < 24; i++) {
    const w = 700 + Math.floor(rnd() * 1500);
    const h = 500 + Math.floor(rnd() * 1200);
    const x = Math.floor(rnd() * (W - w));
    const y = Math.floor(rnd() * (H - h));
    out.push(`/iiif/3/${ID}/${x},${y},${w},${h}/!600,600/0/default.jpg`);
  }
  return out;
}

// ---------------------------------------------------------------- servers

interface Running extends ServiceProcess {
  /** Resident set size once listening, before any image request, in MiB. */
  readonly startRssMiB: number;
}

async function start(kind: 'ours' | 'naive', dirs: { images: string; cache: string; scan: string }): Promise<Running> {
  const port = await freePort();
  const argv =
    kind === 'ours'
      ? startArgs() // as `npm start` does: the compiled output, with the start script's flags
      : ['--import', 'tsx', path.join(projectRoot, 'server', 'scripts', 'bench-naive-server.ts'), dirs.scan, String(port)];
  const env = {
    HOST: '127.0.0.1',
    PORT: String(port),
    IMAGES_DIR: dirs.images,
    CACHE_DIR: dirs.cache,
    LOG_LEVEL: 'warn',
  };
  const service = await startServiceProcess(`${kind} server`, argv, env, port, 30_000);
  return Object.assign(service, { startRssMiB: service.memoryMiB('VmRSS') });
}

// ---------------------------------------------------------------- load

interface Stats {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
}

/** Non-200 answers seen, by status, with one example path each (printed at the end). */
const failures = new Map<number, { count: number; example: string }>();

/**
 * Each path once, in order, over `connections` keep-alive connections (undici's Pool), as
 * fast as they are answered; `rounds` > 1 repeats the list (warm load). undici rather than
 * autocannon: with 50-70 KB bodies autocannon's client saturated a core at half the rate.
 */
async function once(origin: string, paths: readonly string[], connections: number, rounds = 1): Promise<Stats> {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const total = paths.length * rounds;
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < total) {
        const p = paths[next++ % paths.length]!;
        const t = performance.now();
        const res = await pool.request({ path: p, method: 'GET' });
        await res.body.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.statusCode !== 200) {
          errors++;
          const f = failures.get(res.statusCode) ?? { count: 0, example: p };
          f.count++;
          failures.set(res.statusCode, f);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    seconds,
    perSecond: total / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
  };
}

/**
 * "Cold" means no tile in memory yet, not a process whose code has never run: a reader meets
 * a service that has answered other requests before. So each fresh process first answers
 * info.json a few dozen times (no tile, no render), which also opens the image's derivative.
 */
async function warmUp(origin: string): Promise<void> {
  const stats = await once(origin, Array.from({ length: 50 }, () => `/iiif/3/${ID}/info.json`), 4);
  if (stats.errors > 0) throw new Error('info.json failed during warm-up');
}

/** The zoom session: steps one after the other, each step's tiles over 6 connections. */
async function session(origin: string, steps: readonly string[][]): Promise<Stats> {
  const started = performance.now();
  let requests = 0;
  let errors = 0;
  for (const step of steps) {
    const s = await once(origin, step, 6);
    requests += s.requests;
    errors += s.errors;
  }
  const seconds = (performance.now() - started) / 1000;
  return { requests, seconds, perSecond: requests / seconds, p50: 0, p99: 0, errors };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function medianStats(runs: readonly Stats[]): Stats {
  return {
    requests: median(runs.map((r) => r.requests)),
    seconds: median(runs.map((r) => r.seconds)),
    perSecond: median(runs.map((r) => r.perSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

// ---------------------------------------------------------------- run

const root = await mkdtemp(path.join(tmpdir(), 'bench-tiles-'));
const dirs = { images: path.join(root, 'images'), cache: path.join(root, 'cache'), scan: path.join(root, 'images', `${ID}.jpg`) };
await mkdir(dirs.images);
const log = (msg: string) => process.stderr.write(`${msg}\n`);

try {
  if (await buildServer()) log('built server/dist');
  log(`generating a ${W} × ${H} scan stand-in …`);
  await makeScan(dirs.scan);
  const scanBytes = (await stat(dirs.scan)).size;

  log('ingesting …');
  const config = loadConfig({ IMAGES_DIR: dirs.images, CACHE_DIR: dirs.cache, LOG_LEVEL: 'warn', TILE_SIZE: String(TILE) });
  const ingest = await ingestAll(config, false);
  if (ingest.built !== 1) throw new Error('ingest failed');
  // The service checks at start that the document's own pages exist: they come along,
  // ingested before any measurement so that no background ingest competes with it.
  for (const name of await readdir(path.join(projectRoot, 'images'))) {
    if (sourceExtensions.includes(path.extname(name).toLowerCase())) await copyFile(path.join(projectRoot, 'images', name), path.join(dirs.images, name));
  }
  await ingestAll(config, false);

  const tiles = osdTiles();
  if (tiles.length !== gridTiles(W, H, TILE).length) throw new Error('OpenSeadragon tiles and grid disagree');
  const tilePaths = tiles.map((t) => t.path);
  const steps = zoomSession(tiles);
  const extra = offGrid();
  // The baseline decodes the whole JPEG per request: a fixed sample of the tiles keeps it short.
  const sample = (n: number) => tilePaths.filter((_, i) => i % Math.ceil(tilePaths.length / n) === 0);

  const ours = { cold1: [] as Stats[], cold8: [] as Stats[], warm1: [] as Stats[], warm8: [] as Stats[], zoom: [] as Stats[], off: [] as Stats[] };
  const naive = { c1: [] as Stats[], c8: [] as Stats[], zoom: [] as Stats[], off: [] as Stats[] };
  let peakRssGrid = 0;
  let peakRssAll = 0;
  const startRss: number[] = [];

  for (let run = 1; run <= REPEAT; run++) {
    log(`run ${run}/${REPEAT}: service …`);
    let srv = await start('ours', dirs);
    startRss.push(srv.startRssMiB);
    await warmUp(srv.origin);
    ours.cold8.push(await once(srv.origin, tilePaths, 8));
    ours.warm8.push(await once(srv.origin, tilePaths, 8, 30));
    peakRssGrid = Math.max(peakRssGrid, srv.memoryMiB('VmHWM'));
    await srv.stop();

    srv = await start('ours', dirs);
    await warmUp(srv.origin);
    ours.cold1.push(await once(srv.origin, tilePaths, 1));
    ours.warm1.push(await once(srv.origin, tilePaths, 1, 10));
    await srv.stop();

    srv = await start('ours', dirs);
    await warmUp(srv.origin);
    ours.zoom.push(await session(srv.origin, steps));
    ours.off.push(await once(srv.origin, extra, 8));
    peakRssAll = Math.max(peakRssAll, srv.memoryMiB('VmHWM'));
    await srv.stop();

    log(`run ${run}/${REPEAT}: baseline …`);
    const base = await start('naive', dirs);
    naive.c8.push(await once(base.origin, sample(64), 8));
    naive.c1.push(await once(base.origin, sample(24), 1));
    naive.zoom.push(await session(base.origin, steps));
    naive.off.push(await once(base.origin, extra, 8));
    await base.stop();
  }

  const o = Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, medianStats(v)])) as Record<keyof typeof ours, Stats>;
  const n = Object.fromEntries(Object.entries(naive).map(([k, v]) => [k, medianStats(v)])) as Record<keyof typeof naive, Stats>;

  const fmt = (s: Stats) =>
    `${s.perSecond.toFixed(1).padStart(8)} /s  p50 ${s.p50.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(7)} ms${s.errors ? `  (${s.errors} errors)` : ''}`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  const check = (value: number, target: number) => (value >= target ? `≥ ${target}× ✓` : `target ${target}× ✗`);

  const lines = [
    '',
    `IIIF tiles benchmark: ${W} × ${H} JPEG scan stand-in (${(scanBytes / 2 ** 20).toFixed(1)} MiB), ${tilePaths.length} grid tiles of ${TILE} px`,
    `${cpus().length} cores, Node ${process.version}; medians of ${REPEAT} runs, each phase on a fresh process`,
    '',
    `ingest: ${ingest.seconds.toFixed(1)} s (pyramid + ${ingest.tiles} tiles, ${(ingest.bytes / 2 ** 20).toFixed(1)} MiB)  ${ingest.seconds < 10 ? '< 10 s ✓' : 'target < 10 s ✗'}`,
    '',
    'grid tiles              service                                      baseline',
    `  cold  c=1   ${fmt(o.cold1)}   ${fmt(n.c1)}   ${ratio(o.cold1.perSecond, n.c1.perSecond)}`,
    `  cold  c=8   ${fmt(o.cold8)}   ${fmt(n.c8)}   ${ratio(o.cold8.perSecond, n.c8.perSecond)}  ${check(o.cold8.perSecond / n.c8.perSecond, 22)}`,
    `  warm  c=1   ${fmt(o.warm1)}   ${fmt(n.c1)}   ${ratio(o.warm1.perSecond, n.c1.perSecond)}`,
    `  warm  c=8   ${fmt(o.warm8)}   ${fmt(n.c8)}   ${ratio(o.warm8.perSecond, n.c8.perSecond)}  ${check(o.warm8.perSecond / n.c8.perSecond, 120)}`,
    '',
    `zoom-in session (${steps.length} steps, ${steps.flat().length} tiles, 6 connections): service ${o.zoom.seconds.toFixed(3)} s, baseline ${n.zoom.seconds.toFixed(2)} s  ${ratio(n.zoom.seconds, o.zoom.seconds)} faster  ${check(n.zoom.seconds / o.zoom.seconds, 30)}`,
    `off-grid (${extra.length} thumbnails and regions, c=8): service ${fmt(o.off)}`,
    `                                         baseline ${fmt(n.off)}   ${ratio(o.off.perSecond, n.off.perSecond)}  ${check(o.off.perSecond / n.off.perSecond, 5)}`,
    '',
    `peak RSS of the service, grid tiles at c=8: ${peakRssGrid.toFixed(0)} MiB  ${peakRssGrid <= 200 ? '≤ 200 MiB ✓' : 'target ≤ 200 MiB ✗'}`,
    `RSS of the service once started, before any image request: ${median(startRss).toFixed(0)} MiB`,
    `peak RSS with the zoom session and off-grid renders: ${peakRssAll.toFixed(0)} MiB`,
    ...[...failures].map(([status, f]) => `non-200 answers: ${f.count} × ${status}, e.g. ${f.example}`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
} finally {
  if (args.keep) log(`kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}
