import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Jp2Pool } from '../../src/image/jp2-pool.js';
import { JP2_MAX_SAMPLES } from '../../src/image/output.js';
import { RenderTimeoutError, type RawImage } from '../../src/image/render.js';
import { request } from '../helpers/http.js';
import { decodeJp2, readBoxes } from '../helpers/jp2.js';
import { writePattern } from '../helpers/pattern.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Noise compresses badly, so encoding it takes the encoder a long time. */
function noise(width: number, height: number, channels: 1 | 3): RawImage {
  const pixels = new Uint8Array(width * height * channels);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 23;
  }
  return { pixels, width, height, channels };
}

/** CPU time of the whole process (every thread), in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

describe('the JP2 encode worker pool', () => {
  const pool = new Jp2Pool(1);
  afterAll(() => pool.close());

  it('encodes in a worker thread to a JP2 file that decodes to the size and components given', async () => {
    const file = await pool.encode(noise(33, 17, 3), 2000, 20_000);
    expect(readBoxes(file).map((b) => b.type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
    const decoded = await decodeJp2(file);
    expect([decoded.width, decoded.height, decoded.components]).toEqual([33, 17, 3]);
    // The byte budget holds (the boxes add about a hundred bytes).
    expect(file.length).toBeLessThan(2000 + 200);
  });

  it('encodes images too small for the usual wavelet levels (1×1, 1×n)', async () => {
    for (const [w, h] of [[1, 1], [1, 9], [5, 2]] as const) {
      const decoded = await decodeJp2(await pool.encode(noise(w, h, 1), 100, 20_000));
      expect([decoded.width, decoded.height, decoded.components]).toEqual([w, h, 1]);
    }
  });

  it('aborts an encode past its time by stopping its thread, which frees the CPU, and then works on', async () => {
    const started = Date.now();
    await expect(pool.encode(noise(3000, 3000, 3), 3_000_000, 100)).rejects.toBeInstanceOf(RenderTimeoutError);
    // The rejection comes at the deadline, not when the multi-second encode would have ended.
    expect(Date.now() - started).toBeLessThan(1500);
    // A thread still encoding would burn ~one core: the process stays nearly idle instead.
    const before = cpuMs();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(cpuMs() - before).toBeLessThan(350);
    const decoded = await decodeJp2(await pool.encode(noise(64, 48, 3), 3000, 20_000));
    expect([decoded.width, decoded.height]).toEqual([64, 48]);
  }, 30_000);

  it('refuses at once when no time is left', async () => {
    await expect(pool.encode(noise(8, 8, 1), 100, 0)).rejects.toBeInstanceOf(RenderTimeoutError);
  });
});

describe('JP2 renders over HTTP: the event loop and the render budget', () => {
  let server: TestServer;
  let tight: TestServer;
  const fixtures = (dir: string) => writePattern(path.join(dir, 'pattern.png'), { width: 400, height: 300, columns: 4, rows: 3 });

  beforeAll(async () => {
    const limits = { MAX_WIDTH: '4000', MAX_HEIGHT: '4000', MAX_AREA: '16000000', TILE_CACHE_MB: '0' };
    server = await startServer({ env: { ...limits, RENDER_CONCURRENCY: '1' }, fixtures });
    tight = await startServer({ env: { ...limits, RENDER_CONCURRENCY: '1', RENDER_QUEUE: '4', RENDER_TIMEOUT_MS: '100' }, fixtures });
  });
  afterAll(async () => {
    await Promise.all([server?.close(), tight?.close()]);
  });

  it('keeps answering /healthz promptly while a large JP2 is encoded', async () => {
    // Warm up the worker thread first, so the measurement below is the encode alone.
    expect((await request(server.url, '/iiif/3/pattern/full/50,/0/default.jp2')).status).toBe(200);
    let done = false;
    const big = request(server.url, '/iiif/3/pattern/full/^3500,/7/default.jp2').finally(() => {
      done = true;
    });
    const started = Date.now();
    const delays: number[] = [];
    while (!done) {
      const t = Date.now();
      const res = await request(server.url, '/healthz');
      expect(res.status).toBe(200);
      delays.push(Date.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const res = await big;
    const encode = Date.now() - started;
    expect(res.status, res.body.subarray(0, 200).toString()).toBe(200);
    // The encode took long enough that blocking the loop would have shown.
    expect(encode).toBeGreaterThan(500);
    expect(delays.length).toBeGreaterThan(5);
    // Encoding on the event loop would hold one /healthz for about the whole encode; measured
    // against the encode itself, so a loaded machine that slows both does not fail the test.
    expect(Math.max(...delays)).toBeLessThan(encode / 2);
  }, 30_000);

  it('answers a JP2 larger than the encoder can hold (MAX_AREA raised past 40 megapixels) with a 501 at once', async () => {
    const roomy = await startServer({ env: { MAX_WIDTH: '20000', MAX_HEIGHT: '20000', MAX_AREA: '200000000' }, fixtures });
    try {
      const started = Date.now();
      const res = await request(roomy.url, '/iiif/3/pattern/full/^12000,/0/default.jp2');
      expect(res.status).toBe(501);
      expect(res.body.toString()).toContain('JPEG 2000 output is limited to');
      expect(Date.now() - started).toBeLessThan(1000);
      // The default MAX_AREA (40 megapixels) always fits, in colour too.
      expect(JP2_MAX_SAMPLES).toBeGreaterThanOrEqual(40_000_000 * 3);
    } finally {
      await roomy.close();
    }
  });

  it('answers a JP2 render past RENDER_TIMEOUT_MS with a 503 and Retry-After, and recovers', async () => {
    const res = await request(tight.url, '/iiif/3/pattern/full/^4000,/0/default.jp2');
    expect(res.status).toBe(503);
    expect(res.header('retry-after')).toMatch(/^\d+$/);
    // Once the aborted work has stopped, a small render fits the budget again.
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await request(tight.url, '/iiif/3/pattern/full/40,/0/default.jpg')).status;
    }
    expect(status).toBe(200);
  }, 30_000);
});
