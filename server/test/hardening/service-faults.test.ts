import { open, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceDirs, type ServiceDirs } from './service-fixture.js';
import { ServiceProcess } from './service-process.js';

/**
 * Faults, with the real service in a child process: killed in the middle of an ingest,
 * damaged sources and derivatives, a cache folder it cannot write.
 */

const services: ServiceProcess[] = [];
let dirs: ServiceDirs | undefined;
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  await dirs?.remove();
  dirs = undefined;
});

async function start(env: Record<string, string>): Promise<ServiceProcess> {
  const s = await ServiceProcess.start({ TILE_SIZE: '256', ...env });
  services.push(s);
  return s;
}

interface Info {
  width: number;
  height: number;
  tiles: { width: number; scaleFactors: number[] }[];
}

/** An image request and the source region it shows. */
interface Tile {
  path: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Every tile of the advertised grid (3.0 canonical `w,h` size). */
function gridTiles(id: string, info: Info): Tile[] {
  const out: Tile[] = [];
  const size = info.tiles[0]!.width;
  for (const s of info.tiles[0]!.scaleFactors) {
    for (let y = 0; y < info.height; y += size * s) {
      for (let x = 0; x < info.width; x += size * s) {
        const w = Math.min(size * s, info.width - x);
        const h = Math.min(size * s, info.height - y);
        out.push({ path: `/iiif/3/${id}/${x},${y},${w},${h}/${Math.ceil(w / s)},${Math.ceil(h / s)}/0/default.jpg`, x, y, w, h });
      }
    }
  }
  return out;
}

/**
 * Fetches a tile and checks its pixels against the test pattern (fuzz-target.ts
 * writeTestImage: red grows with x, green with y): a half-written or garbled tile cannot pass.
 */
async function expectTile(url: string, tile: Tile, info: Info): Promise<void> {
  const res = await fetch(`${url}${tile.path}`);
  expect(res.status, tile.path).toBe(200);
  const { data, info: out } = await sharp(Buffer.from(await res.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
  // The centre and four points halfway to the corners, in output and in source pixels.
  for (const [fx, fy] of [[0.5, 0.5], [0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]] as const) {
    const i = (Math.floor(fy * out.height) * out.width + Math.floor(fx * out.width)) * out.channels;
    const x = tile.x + fx * tile.w;
    const y = tile.y + fy * tile.h;
    expect(Math.abs(data[i]! - (x * 255) / info.width), `${tile.path} red at ${fx},${fy}`).toBeLessThan(10);
    expect(Math.abs(data[i + 1]! - (y * 255) / info.height), `${tile.path} green at ${fx},${fy}`).toBeLessThan(10);
  }
}

async function info(url: string, id: string): Promise<Info> {
  const res = await fetch(`${url}/iiif/3/${id}/info.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as Info;
}

/** Names in CACHE_DIR/images/{id}/, or [] when the folder does not exist yet. */
async function cacheEntries(cacheDir: string, id: string): Promise<string[]> {
  return readdir(path.join(cacheDir, 'images', id)).catch(() => []);
}

const isTemp = (name: string) => name.startsWith('.tmp-');

describe('SIGKILL in the middle of an ingest', () => {
  it('never serves the half-written derivative, and the next start finishes the job', async () => {
    dirs = await serviceDirs([{ id: 'big', width: 4000, height: 5000 }]);
    const env = { IMAGES_DIR: dirs.imagesDir, CACHE_DIR: dirs.cacheDir };
    const first = await start(env);
    // Wait until the pyramid is being written in the temporary folder, then kill.
    let tmp: string | undefined;
    for (let i = 0; i < 1500 && !tmp; i++) {
      for (const name of (await cacheEntries(dirs.cacheDir, 'big')).filter(isTemp)) {
        const files = await readdir(path.join(dirs.cacheDir, 'images', 'big', name)).catch(() => []);
        if (files.length > 0) tmp = name;
      }
      if (!tmp) await new Promise((r) => setTimeout(r, 10));
    }
    expect(tmp, 'an ingest of "big" was seen in progress').toBeDefined();
    first.signal('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const left = await cacheEntries(dirs.cacheDir, 'big');
    expect(left.filter(isTemp).length).toBeGreaterThan(0); // the kill did leave half-written work
    expect(left.filter((n) => !isTemp(n) && n !== 'source.json')).toEqual([]); // and nothing finished

    const second = await start(env);
    const big = await info(second.url, 'big');
    const tiles = gridTiles('big', big);
    // Served right away (rendered from the source while the ingest runs again), and correct.
    for (const tile of tiles.filter((_, i) => i % 7 === 0)) await expectTile(second.url, tile, big);
    const done = await second.waitForLog((l) => l.msg === 'image ingest finished', 60_000);
    expect(done.built).toBeGreaterThanOrEqual(1);
    expect(done.failed).toBe(0);
    const after = await cacheEntries(dirs.cacheDir, 'big');
    expect(after.filter(isTemp)).toEqual([]); // the dead process's temporary folder is gone
    const [finished] = after.filter((n) => !isTemp(n) && n !== 'source.json');
    expect(await readdir(path.join(dirs.cacheDir, 'images', 'big', finished!))).toContain('complete.json');
    // And from the finished derivative, the tiles are the same pixels.
    for (const tile of tiles.filter((_, i) => i % 5 === 0)) await expectTile(second.url, tile, big);
  }, 120_000);
});

describe('a damaged source', () => {
  it('answers a clear error for that identifier while the rest keeps serving', async () => {
    dirs = await serviceDirs([{ id: 'good', width: 300, height: 400 }, { id: 'broken', width: 1200, height: 1600 }]);
    // Cut the JPEG in half: the header (and its size) survives, the pixels do not.
    const file = path.join(dirs.imagesDir, 'broken.jpg');
    await truncate(file, Math.floor((await stat(file)).size / 2));
    const service = await start({ IMAGES_DIR: dirs.imagesDir, CACHE_DIR: dirs.cacheDir });

    // Any request that needs the lost half (a region from the intact top may well be served).
    for (const p of ['/iiif/3/broken/full/!200,200/0/default.jpg', '/iiif/2/broken/0,1400,256,200/256,/0/default.jpg']) {
      const res = await fetch(`${service.url}${p}`);
      const body = await res.text();
      // A server fault, not the client's: 500 (not 404, the identifier is real; not 400).
      expect(res.status, p).toBe(500);
      expect(body, p).toMatch(/"broken"/);
      expect(body, p).not.toContain(dirs.root);
      expect(body, p).not.toMatch(/\n\s+at /);
      expect((await fetch(`${service.url}/iiif/3/good/full/!100,100/0/default.jpg`)).status).toBe(200);
    }
    const done = await service.waitForLog((l) => l.msg === 'image ingest finished', 60_000);
    expect(done.failed).toBe(1); // the ingest skipped it and did the others
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect(service.rawOutput.join('\n')).not.toMatch(/Error/); // nothing crashed
  }, 90_000);
});

describe('a damaged derivative', () => {
  it('is never served: requests get the right pixels and the derivative is rebuilt', async () => {
    dirs = await serviceDirs([{ id: 'page', width: 900, height: 1200 }]);
    const env = { IMAGES_DIR: dirs.imagesDir, CACHE_DIR: dirs.cacheDir };
    const first = await start(env);
    await first.waitForLog((l) => l.msg === 'image ingest finished', 60_000);
    first.signal('SIGTERM');
    await first.exited;

    const [dirName] = (await cacheEntries(dirs.cacheDir, 'page')).filter((n) => !isTemp(n) && n !== 'source.json');
    const derivative = path.join(dirs.cacheDir, 'images', 'page', dirName!);
    // Zero the middle of the tile pack and of the pyramid, keeping their sizes.
    for (const name of ['tiles.bin', 'pyramid.tif']) {
      const f = path.join(derivative, name);
      const size = (await stat(f)).size;
      const fh = await open(f, 'r+');
      await fh.write(Buffer.alloc(Math.floor(size / 3)), 0, Math.floor(size / 3), Math.floor(size / 3));
      await fh.close();
    }
    const damaged = await readFile(path.join(derivative, 'tiles.bin'));

    const second = await start(env);
    const page = await info(second.url, 'page');
    for (const tile of gridTiles('page', page)) await expectTile(second.url, tile, page);
    // An off-grid render across the damaged middle of the pyramid.
    await expectTile(second.url, { path: '/iiif/3/page/200,300,500,600/!250,300/0/default.jpg', x: 200, y: 300, w: 500, h: 600 }, page);
    await second.waitForLog((l) => l.msg === 'ingested image' && l.id === 'page', 60_000);
    const rebuilt = (await cacheEntries(dirs.cacheDir, 'page')).filter((n) => !isTemp(n) && n !== 'source.json');
    expect(rebuilt).toHaveLength(1);
    expect(await readFile(path.join(dirs.cacheDir, 'images', 'page', rebuilt[0]!, 'tiles.bin'))).not.toEqual(damaged);
  }, 120_000);
});

describe('a CACHE_DIR that cannot be written', () => {
  it('still serves every request, rendering on demand, and logs the condition once', async () => {
    dirs = await serviceDirs([{ id: 'page', width: 900, height: 1200 }]);
    // A file where the folder should be: no write can succeed (even for root, unlike chmod).
    const cacheDir = path.join(dirs.root, 'not-a-folder');
    await writeFile(cacheDir, 'this is a file');
    const service = await start({ IMAGES_DIR: dirs.imagesDir, CACHE_DIR: cacheDir });
    const page = await info(service.url, 'page');
    const tiles = gridTiles('page', page);
    for (const tile of tiles) await expectTile(service.url, tile, page);
    for (const tile of tiles) await expectTile(service.url, tile, page);
    await service.waitForLog((l) => l.msg === 'image ingest finished', 60_000);
    const warnings = service.logs.filter((l) => String(l.msg).includes('not writable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe(40);
  }, 90_000);
});
