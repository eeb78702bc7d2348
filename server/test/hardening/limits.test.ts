import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagePlan } from '../../src/image/types.js';
import { request } from '../helpers/http.js';
import { startFuzzTarget, type FuzzTarget } from './fuzz-target.js';

/** Tiny limits, so that "huge" is cheap to ask for: 200×200 px, 20,000 px², 1 megapixel of input. */
const limits = { maxWidth: 200, maxHeight: 200, maxArea: 20_000, inputPixels: 1_000_000 };

let target: FuzzTarget;
/** Every plan that reached the pixel layer. */
const rendered: ImagePlan[] = [];

beforeAll(async () => {
  target = await startFuzzTarget({
    env: {
      MAX_WIDTH: String(limits.maxWidth),
      MAX_HEIGHT: String(limits.maxHeight),
      MAX_AREA: String(limits.maxArea),
      INPUT_PIXEL_LIMIT: String(limits.inputPixels),
    },
    wrap: (images) => ({
      source: (id) => images.source(id),
      list: () => images.list(),
      image: (source, plan) => {
        rendered.push(plan);
        return images.image(source, plan);
      },
    }),
    // 2000×2000 (4 megapixels, a few KB as PNG): four times the input limit, like a decompression bomb.
    extraImages: (dir) =>
      sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#808080' } }).png().toFile(path.join(dir, 'bomb.png')).then(() => undefined),
  });
});
afterAll(() => target.close());

const get = (p: string) => request(target.url, p);

describe('output limits (p1 is 300×200: already above maxWidth and maxArea)', () => {
  it('advertises the configured limits in info.json', async () => {
    const info = JSON.parse((await get('/iiif/3/p1/info.json')).body.toString()) as Record<string, unknown>;
    expect(info).toMatchObject({ maxWidth: 200, maxHeight: 200, maxArea: 20_000 });
  });

  it.each([
    ['an explicit size above maxWidth', '/iiif/3/p1/full/^1000,/0/default.png'],
    ['a giant pct: upscale', '/iiif/3/p1/full/^pct:100000/0/default.png'],
    ['a pct: whose result breaks maxArea', '/iiif/3/p1/full/pct:100/0/default.png'],
    ['w,h above the limits', '/iiif/3/p1/full/^65535,65535/0/default.png'],
    ['2.1 w, above the limits', '/iiif/2/p1/full/5000,/0/default.png'],
    ['a size past any integer', '/iiif/3/p1/full/^99999999999999999999,/0/default.png'],
  ])('refuses %s with a 400 before any pixel work', async (_name, p) => {
    const before = rendered.length;
    const res = await get(p);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toMatch(/size/);
    expect(rendered.length).toBe(before);
  });

  it.each([
    ['max', '/iiif/3/p1/full/max/0/default.png'],
    ['^max', '/iiif/3/p1/full/^max/0/default.png'],
    ['^!w,h far above the limits', '/iiif/3/p1/full/^!100000,100000/0/default.png'],
    ['2.1 max', '/iiif/2/p1/full/max/0/default.png'],
  ])('answers %s with the largest image within the limits', async (_name, p) => {
    const res = await get(p);
    expect(res.status).toBe(200);
    const { width = 0, height = 0 } = await sharp(res.body).metadata();
    expect(width).toBeLessThanOrEqual(limits.maxWidth);
    expect(height).toBeLessThanOrEqual(limits.maxHeight);
    expect(width * height).toBeLessThanOrEqual(limits.maxArea);
    expect(width * height).toBeGreaterThan(limits.maxArea * 0.9); // the largest, not any
    expect(Math.abs(width / height - 1.5)).toBeLessThan(0.02); // and the region's proportions
  });

  // The bounding box of a rotated thin region is unbounded relative to the checked size
  // (a w×1 strip at 45° is ~(w/√2)²), so the limits apply to the rotated image too.
  it('refuses a rotation whose bounding box exceeds the limits (thin strip, ^max, 45°)', async () => {
    const res = await get('/iiif/3/p1/0,0,300,2/^max/45/default.png');
    expect(res.status).toBe(400);
    expect(res.body.toString()).toMatch(/rotation "45".*exceeds the limits/);
  });
});

/**
 * 403: the request is understood and the image exists, but this server refuses by policy to
 * decode a source that large. Not a 5xx (nothing is broken and a retry cannot help; it must
 * not page anyone per request), not a 404 (the identifier is real), not 413 (that is about a
 * request body); the body says why. The pixel layer logs the condition for the operator.
 */
describe('input limit (a source above INPUT_PIXEL_LIMIT, like a decompression bomb)', () => {
  it('is refused for that identifier with a 403 that names the limit', async () => {
    for (const p of ['/iiif/3/bomb/info.json', '/iiif/3/bomb/full/!100,100/0/default.jpg', '/iiif/2/bomb/0,0,64,64/64,/0/default.jpg']) {
      const res = await get(p);
      expect(res.status, p).toBe(403);
      expect(res.body.toString(), p).toMatch(/bomb/);
      expect(res.body.toString(), p).toMatch(/pixel limit/);
      expect((await get('/iiif/3/p1/full/!100,100/0/default.jpg')).status).toBe(200);
    }
  });
});
