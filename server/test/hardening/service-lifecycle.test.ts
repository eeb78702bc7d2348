import { request } from 'node:http';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceDirs, type ServiceDirs } from './service-fixture.js';
import { ServiceProcess } from './service-process.js';

/**
 * The real service in a child process: graceful shutdown on SIGTERM, and the render gate's
 * 503 under overload.
 */

let service: ServiceProcess | undefined;
let dirs: ServiceDirs | undefined;
afterEach(async () => {
  await service?.stop();
  await dirs?.remove();
  service = undefined;
  dirs = undefined;
});

/**
 * A GET that resolves with status, headers and body, or with the socket error. With
 * `onDispatched`, it asks for `100 Continue`, which Node's server sends once the request is
 * parsed and handed to the app: from then on the request is in flight.
 */
function get(
  url: string,
  onDispatched?: () => void,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, headers: onDispatched ? { Expect: '100-continue' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    if (onDispatched) req.on('continue', onDispatched);
    req.end();
  });
}

describe('SIGTERM', () => {
  it('finishes the request in flight, refuses new connections and exits 0 within 10 s', async () => {
    dirs = await serviceDirs([{ id: 'big', width: 3000, height: 3000, ext: 'png' }]);
    service = await ServiceProcess.start({
      IMAGES_DIR: dirs.imagesDir,
      CACHE_DIR: dirs.cacheDir,
      INGEST_ON_START: 'false',
      TILE_CACHE_MB: '0',
    });
    // An expensive render: a full-size PNG of a 9-megapixel source, turned by an odd angle.
    let dispatched!: () => void;
    const inFlight = new Promise<void>((resolve) => (dispatched = resolve));
    const slow = get(`${service.url}/iiif/3/big/full/max/17/default.png`, dispatched);
    await inFlight;
    const signalled = Date.now();
    service.signal('SIGTERM');
    await service.waitForLog((l) => String(l.msg).startsWith('shutting down'));

    // A new connection is refused (or, if the kernel had queued it before the close, reset).
    const refused = await get(`${service.url}/healthz`);
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain('error' in refused ? refused.error : refused.status);

    const answered = await slow;
    expect('status' in answered ? answered.status : answered.error).toBe(200);
    if ('body' in answered) {
      const meta = await sharp(answered.body).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThan(3000); // the whole rotated image arrived
    }
    const exit = await service.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - signalled).toBeLessThan(10_000);
    // The drain was real: the request was still running when the signal came.
    const drained = service.logs.find((l) => String(l.msg).startsWith('shutting down'));
    expect(drained?.inFlight).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

describe('overload', () => {
  it('refuses renders beyond the gate and its queue with 503 and Retry-After, then recovers', async () => {
    dirs = await serviceDirs([{ id: 'big', width: 2000, height: 2000, ext: 'png' }]);
    service = await ServiceProcess.start({
      IMAGES_DIR: dirs.imagesDir,
      CACHE_DIR: dirs.cacheDir,
      INGEST_ON_START: 'false',
      TILE_CACHE_MB: '0',
      RENDER_CONCURRENCY: '1',
      RENDER_QUEUE: '2',
    });
    const url = service.url;
    // Twelve different renders at once: one runs, two wait, the rest are refused at once.
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => get(`${url}/iiif/3/big/full/!${1000 + i},${1000 + i}/${i}/default.png`)),
    );
    const statuses = burst.map((r) => ('status' in r ? r.status : r.error));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 503), statuses.join(" ")).toBe(true);
    for (const r of burst) {
      if ('status' in r && r.status === 503) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    // The gate empties: the next request is served.
    const after = await get(`${url}/iiif/3/big/full/!100,100/0/default.jpg`);
    expect('status' in after && after.status).toBe(200);
  }, 60_000);
});
