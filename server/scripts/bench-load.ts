/**
 * The load of the tile benchmarks (bench-tiles.ts, bench-stack.ts): a scan stand-in, the
 * requests OpenSeadragon makes for it, and a keep-alive HTTP load generator.
 */
import sharp from 'sharp';
import { Pool } from 'undici';
import { scaleFactors } from '../src/image/tile-grid.js';
import { median, percentile, random } from './bench-stats.js';

/** The image a benchmark serves: its IIIF identifier, size and advertised tile size. */
export interface Scan {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly tileSize: number;
}

// ---------------------------------------------------------------- the scan stand-in

/** Paper with grain and ~600 lines of "text", JPEG q90: tiles compress like a real scan's. */
export async function makeScan(file: string, width: number, height: number): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < 560; i++) {
    const y = 420 + i * 11.2;
    const x = 380 + ((i * 37) % 260);
    const w = 3200 + ((i * 91) % 900);
    // Words: dashes of varying length along the line.
    lines.push(`<path d="M${x} ${y.toFixed(1)} h${w}" stroke="#2c2418" stroke-width="5" stroke-dasharray="${30 + (i % 7) * 9} 14 ${50 + (i % 5) * 11} 16"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${lines.join('')}</svg>`;
  await sharp({ create: { width, height, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 214, sigma: 12 } } })
    .composite([{ input: Buffer.from(svg) }])
    .jpeg({ quality: 90 })
    .toFile(file);
}

// ---------------------------------------------------------------- requests, as OpenSeadragon makes them

export interface TileRequest {
  readonly level: number;
  readonly column: number;
  readonly row: number;
  readonly path: string;
}

/** Every tile URL OpenSeadragon's IIIFTileSource builds for a 3.0 service (`x,y,w,h/w,h`, `full/w,h`). */
export function osdTiles({ id, width: W, height: H, tileSize: TILE }: Scan): TileRequest[] {
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
        out.push({ level, column, row, path: `/iiif/3/${id}/${region}/${size}/0/default.jpg` });
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
export function zoomSession({ width: W, height: H, tileSize: TILE }: Scan, tiles: readonly TileRequest[]): string[][] {
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

/** Thumbnails of many sizes and arbitrary regions: nothing a tile store could answer. */
export function offGrid({ id, width: W, height: H }: Scan): string[] {
  const rnd = random(21756);
  const out: string[] = [];
  for (let i = 0; i < 24; i++) out.push(`/iiif/3/${id}/full/!${160 + i * 7},${160 + i * 7}/0/default.jpg`);
  for (let i = 0; i < 24; i++) {
    const w = 700 + Math.floor(rnd() * 1500);
    const h = 500 + Math.floor(rnd() * 1200);
    const x = Math.floor(rnd() * (W - w));
    const y = Math.floor(rnd() * (H - h));
    out.push(`/iiif/3/${id}/${x},${y},${w},${h}/!600,600/0/default.jpg`);
  }
  return out;
}

// ---------------------------------------------------------------- load

export interface Stats {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Non-200 answers seen, by status, with one example path each (printed at the end). */
export const failures = new Map<number, { count: number; example: string }>();

/**
 * Each path once, in order, over `connections` keep-alive connections (undici's Pool), as
 * fast as they are answered; `rounds` > 1 repeats the list (warm load). undici rather than
 * autocannon: with 50-70 KB bodies autocannon's client saturated a core at half the rate.
 * A request that fails at the connection (refused, cut) counts as an error, status 0.
 */
export async function once(
  origin: string,
  paths: readonly string[],
  connections: number,
  rounds = 1,
  onAnswer?: (done: number, headers: Record<string, string | string[] | undefined>) => void,
): Promise<Stats> {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const total = paths.length * rounds;
  const latencies: number[] = [];
  let next = 0;
  let done = 0;
  let errors = 0;
  const fail = (status: number, p: string) => {
    errors++;
    const f = failures.get(status) ?? { count: 0, example: p };
    f.count++;
    failures.set(status, f);
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < total) {
        const p = paths[next++ % paths.length]!;
        const t = performance.now();
        try {
          const res = await pool.request({ path: p, method: 'GET' });
          // Read chunk by chunk, not gathered into one buffer: at thousands of tiles a second
          // the copying was the client's own bottleneck, not the server's.
          for await (const chunk of res.body) void chunk;
          if (res.statusCode !== 200) fail(res.statusCode, p);
          onAnswer?.(++done, res.headers);
        } catch {
          fail(0, p);
          onAnswer?.(++done, {});
        }
        latencies.push(performance.now() - t);
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

/** The zoom session: steps one after the other, each step's tiles over 6 connections. */
export async function session(origin: string, steps: readonly string[][]): Promise<Stats> {
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

export function medianStats(runs: readonly Stats[]): Stats {
  return {
    requests: median(runs.map((r) => r.requests)),
    seconds: median(runs.map((r) => r.seconds)),
    perSecond: median(runs.map((r) => r.perSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

export const formatStats = (s: Stats) =>
  `${s.perSecond.toFixed(1).padStart(8)} /s  p50 ${s.p50.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(7)} ms${s.errors ? `  (${s.errors} errors)` : ''}`;
