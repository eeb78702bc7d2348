import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/errors.js';
import { canonicalPath } from '../../src/image/canonical.js';
import { planImage, type PlanContext } from '../../src/image/plan.js';
import { parseImageRequest } from '../../src/image/request.js';
import { rotatedSize } from '../../src/image/rotation.js';
import type { ImagePlan } from '../../src/image/types.js';
import type { ApiVersion } from '../../src/image/version.js';

const roomy = { maxWidth: 10000, maxHeight: 10000, maxArea: 40_000_000 };
/** The 300×200 image of the specification's examples. */
const spec3: PlanContext = { version: 3, width: 300, height: 200, limits: roomy, tileSize: 512 };

function plan(path: string, ctx: PlanContext = spec3): ImagePlan {
  const [region, size, rotation, qualityFormat] = path.split('/') as [string, string, string, string];
  return planImage(parseImageRequest({ region, size, rotation, qualityFormat }, ctx.version), ctx);
}

function geometry(path: string, ctx: PlanContext = spec3) {
  const p = plan(path, ctx);
  return { region: [p.region.x, p.region.y, p.region.w, p.region.h], size: [p.width, p.height] };
}

function expect400(path: string, ctx: PlanContext, parameter: string) {
  expect(() => plan(path, ctx)).toThrow(BadRequestError);
  expect(() => plan(path, ctx)).toThrow(new RegExp(`Invalid ${parameter} `));
}

describe('region (3.0 §4.1), on the specification’s 300×200 examples', () => {
  it.each([
    ['full/max/0/default.jpg', [0, 0, 300, 200]],
    ['square/max/0/default.jpg', [50, 0, 200, 200]], // centred in the longer dimension
    ['125,15,120,140/max/0/default.jpg', [125, 15, 120, 140]],
    ['pct:41.6,7.5,40,70/max/0/default.jpg', [125, 15, 120, 140]],
    // "If the request specifies a region which extends beyond the dimensions … return an image cropped at the image's edge"
    ['125,15,200,200/max/0/default.jpg', [125, 15, 175, 185]],
    ['pct:41.6,7.5,66.6,100/max/0/default.jpg', [125, 15, 175, 185]],
    ['299,199,5,5/max/0/default.jpg', [299, 199, 1, 1]],
    ['pct:0,0,0.001,0.001/max/0/default.jpg', [0, 0, 1, 1]], // a non-zero percentage keeps one pixel
  ])('%s → %j', (path, region) => {
    expect(geometry(path).region).toEqual(region);
  });

  it.each([
    '300,0,10,10/max/0/default.jpg', // entirely outside (right)
    '0,200,10,10/max/0/default.jpg', // entirely outside (below)
    '0,0,0,10/max/0/default.jpg', // zero width
    '0,0,10,0/max/0/default.jpg', // zero height
    'pct:100,0,10,10/max/0/default.jpg',
    'pct:0,0,0,10/max/0/default.jpg',
  ])('"region\'s height or width is zero, or … entirely outside the bounds": %s → 400', (path) => {
    expect400(path, spec3, 'region');
  });

  it('a square region of a square image is the full region', () => {
    expect(geometry('square/max/0/default.jpg', { ...spec3, width: 256, height: 256 }).region).toEqual([0, 0, 256, 256]);
  });
});

describe('size, 3.0 (§4.2)', () => {
  it.each([
    ['full/max/0/default.jpg', [300, 200]],
    ['full/150,/0/default.jpg', [150, 100]],
    ['full/,150/0/default.jpg', [225, 150]],
    ['full/pct:50/0/default.jpg', [150, 100]],
    ['full/225,100/0/default.jpg', [225, 100]], // w,h may distort
    ['full/!225,100/0/default.jpg', [150, 100]], // "N.B. Returned image is 150,100 px"
    ['full/!1000,1000/0/default.jpg', [300, 200]], // "not larger than the extracted region"
    ['full/^360,/0/default.jpg', [360, 240]],
    ['full/^,240/0/default.jpg', [360, 240]],
    ['full/^pct:120/0/default.jpg', [360, 240]],
    ['full/^360,360/0/default.jpg', [360, 360]],
    ['full/^!360,360/0/default.jpg', [360, 240]], // "N.B. Returned image is 360,240 px"
    ['full/^150,/0/default.jpg', [150, 100]], // ^ allows, but does not require, upscaling
    ['125,15,120,140/90,/0/default.jpg', [90, 105]], // §4.6's example
    ['0,0,300,1/10,/0/default.jpg', [10, 1]], // a derived side never rounds to nothing
  ])('%s → %j', (path, size) => {
    expect(geometry(path).size).toEqual(size);
  });

  it.each([
    'full/301,/0/default.jpg',
    'full/,201/0/default.jpg',
    'full/300,201/0/default.jpg',
    'full/301,200/0/default.jpg',
    '0,0,100,100/101,/0/default.jpg',
    'full/pct:101/0/default.jpg',
  ])('"sizes not prefixed with ^ that result in … greater than the extracted region are errors": %s → 400', (path) => {
    expect400(path, spec3, 'size');
  });

  describe('limits: max and !w,h fit maxWidth/maxHeight/maxArea; explicit sizes beyond them are a 400', () => {
    it('"max … constrained to a smaller size by maxWidth" (the spec’s maxWidth 200 example)', () => {
      const ctx = { ...spec3, limits: { maxWidth: 200, maxHeight: 200, maxArea: 1e9 } };
      expect(geometry('full/max/0/default.jpg', ctx).size).toEqual([200, 133]);
    });
    it('"^max … scaled to the maximum size permitted" (the spec’s maxWidth 360 example)', () => {
      const ctx = { ...spec3, limits: { maxWidth: 360, maxHeight: 360, maxArea: 1e9 } };
      expect(geometry('full/^max/0/default.jpg', ctx).size).toEqual([360, 240]);
    });
    it('max honours maxArea, keeping the aspect ratio', () => {
      const ctx = { ...spec3, limits: { maxWidth: 1000, maxHeight: 1000, maxArea: 15000 } };
      const [w, h] = geometry('full/max/0/default.jpg', ctx).size as [number, number];
      expect(w * h).toBeLessThanOrEqual(15000);
      expect([w, h]).toEqual([150, 100]);
    });
    it('max honours maxHeight', () => {
      const ctx = { ...spec3, limits: { maxWidth: 1000, maxHeight: 50, maxArea: 1e9 } };
      expect(geometry('full/max/0/default.jpg', ctx).size).toEqual([75, 50]);
    });
    it('!w,h: "as large as possible but not larger than … server-imposed limits"', () => {
      const ctx = { ...spec3, limits: { maxWidth: 100, maxHeight: 100, maxArea: 1e9 } };
      expect(geometry('full/!250,250/0/default.jpg', ctx).size).toEqual([100, 66]);
    });
    it.each(['full/201,/0/default.jpg', 'full/,101/0/default.jpg', 'full/pct:80/0/default.jpg', 'full/^pct:500/0/default.jpg'])(
      '"greater than the server-imposed limits … SHOULD result in a 400": %s',
      (path) => {
        expect400(path, { ...spec3, limits: { maxWidth: 200, maxHeight: 100, maxArea: 1e9 } }, 'size');
      },
    );
    it('a huge ^ size is a 400, never an attempt', () => {
      expect400('full/^99999999,/0/default.jpg', spec3, 'size');
      expect400(`full/^pct:${'9'.repeat(300)}/0/default.jpg`, spec3, 'size');
    });
  });
});

describe('size, 2.1 (§4.2)', () => {
  const spec2: PlanContext = { ...spec3, version: 2 };
  it.each([
    ['full/full/0/default.jpg', [300, 200]],
    ['full/max/0/default.jpg', [300, 200]],
    ['full/150,/0/default.jpg', [150, 100]],
    ['full/,150/0/default.jpg', [225, 150]],
    ['full/pct:50/0/default.jpg', [150, 100]],
    ['full/225,100/0/default.jpg', [225, 100]],
    ['full/!225,100/0/default.jpg', [150, 100]],
    // "The image server MAY support scaling above the full size": we do, without ^.
    ['full/600,/0/default.jpg', [600, 400]],
    ['full/pct:200/0/default.jpg', [600, 400]],
    ['full/!900,900/0/default.jpg', [900, 600]],
  ])('%s → %j', (path, size) => {
    expect(geometry(path, spec2).size).toEqual(size);
  });

  it('max is full unless the limits make it smaller; full beyond the limits is a 400', () => {
    const ctx = { ...spec2, limits: { maxWidth: 200, maxHeight: 200, maxArea: 1e9 } };
    expect(geometry('full/max/0/default.jpg', ctx).size).toEqual([200, 133]);
    expect400('full/full/0/default.jpg', ctx, 'size');
  });
});

describe('rotation and quality pass through; the rotated bounding box (§4.3)', () => {
  it('keeps mirroring, degrees, quality and format', () => {
    const p = plan('full/max/!22.5/gray.png');
    expect(p).toMatchObject({ mirror: true, rotation: 22.5, quality: 'gray', format: 'png' });
  });
  it.each([
    [0, 300, 200],
    [90, 200, 300],
    [180, 300, 200],
    [270, 200, 300],
    [45, 354, 354],
    [30, 360, 323],
  ])('%d° turns 300×200 into %d×%d', (degrees, width, height) => {
    expect(rotatedSize(300, 200, degrees)).toEqual({ width, height });
  });
  it('refuses a rotation whose bounding box exceeds the limits, though the unrotated size fits', () => {
    const ctx = { ...spec3, limits: { maxWidth: 1000, maxHeight: 1000, maxArea: 70_000 } };
    expect(plan('full/max/0/default.png', ctx)).toMatchObject({ width: 300, height: 200 });
    expect(() => plan('full/max/45/default.png', ctx)).toThrow(/rotation "45".*354×354.*exceeds the limits/);
  });
});

describe('tiles named by one dimension (2.1 canonical w,) get the advertised grid tile', () => {
  // 4196×5000 with 512 px tiles: scale factors 1…16; at factor 8 the right column is 100 px wide.
  const big2: PlanContext = { version: 2, width: 4196, height: 5000, limits: roomy, tileSize: 512 };
  it('edge tile 4096,0,100,4096 at factor 8 asked as "13," is 13×512, as the grid builds it', () => {
    expect(geometry('4096,0,100,4096/13,/0/default.jpg', big2).size).toEqual([13, 512]);
    expect(canonicalPath(plan('4096,0,100,4096/13,/0/default.jpg', big2), big2)).toBe('4096,0,100,4096/13,/0/default.jpg');
  });
  it('the full image at a listed size asked as "w," is that size', () => {
    expect(geometry('full/263,/0/default.jpg', big2).size).toEqual([263, 313]); // ceil(4196/16), ceil(5000/16)
  });
  it('off the grid, the other side is rounded', () => {
    expect(geometry('4000,0,100,4096/13,/0/default.jpg', big2).size).toEqual([13, 532]);
  });
});

describe('canonical form (3.0 §4.8, 2.1 §4.7)', () => {
  const spec2: PlanContext = { ...spec3, version: 2 };
  it.each([
    ['full/max/0/default.jpg', 'full/max/0/default.jpg'],
    ['0,0,300,200/300,200/360/default.jpg', 'full/max/0/default.jpg'],
    ['pct:0,0,100,100/pct:100/0.0/default.jpg', 'full/max/0/default.jpg'],
    ['square/max/0/default.jpg', '50,0,200,200/max/0/default.jpg'],
    ['full/150,/0/default.jpg', 'full/150,100/0/default.jpg'],
    ['full/!225,100/90.50/color.png', 'full/150,100/90.5/color.png'],
    ['full/^360,/!0/gray.webp', 'full/^360,240/!0/gray.webp'],
    ['125,15,200,200/max/0/default.jpg', '125,15,175,185/max/0/default.jpg'],
  ])('3.0 %s → %s', (path, canonical) => {
    expect(canonicalPath(plan(path), spec3)).toBe(canonical);
  });

  it('3.0 ^max when the upscaled size is the limit', () => {
    const ctx = { ...spec3, limits: { maxWidth: 600, maxHeight: 600, maxArea: 1e9 } };
    expect(canonicalPath(plan('full/^600,/0/default.jpg', ctx), ctx)).toBe('full/^max/0/default.jpg');
    expect(canonicalPath(plan('full/^max/0/default.jpg', ctx), ctx)).toBe('full/^max/0/default.jpg');
  });

  it.each([
    ['full/full/0/default.jpg', 'full/full/0/default.jpg'],
    ['full/max/0/default.jpg', 'full/full/0/default.jpg'],
    ['full/150,100/0/default.jpg', 'full/150,/0/default.jpg'],
    ['full/!225,100/0/default.jpg', 'full/150,/0/default.jpg'],
    ['full/pct:200/0/default.jpg', 'full/600,/0/default.jpg'],
    ['full/225,100/0/default.jpg', 'full/225,100/0/default.jpg'], // distorted stays w,h
  ])('2.1 %s → %s', (path, canonical) => {
    expect(canonicalPath(plan(path, spec2), spec2)).toBe(canonical);
  });
});

describe('round trip: parse → plan → canonical → parse → plan gives the same plan and the same canonical form', () => {
  /** A fraction of a dimension, mostly inside it, sometimes beyond (to exercise cropping and refusals). */
  const frac = fc.double({ min: 0, max: 1.3, noNaN: true });
  const scaled = (f: number, of: number) => Math.floor(f * of);
  const pct = frac.map((f) => Math.max(0.01, Math.round(f * 10000) / 100));
  const region = (width: number, height: number) =>
    fc.oneof(
      fc.constant('full'),
      fc.constant('square'),
      fc.tuple(frac, frac, frac, frac).map(([x, y, w, h]) => [scaled(x / 1.3, width), scaled(y / 1.3, height), Math.max(1, scaled(w, width)), Math.max(1, scaled(h, height))].join(',')),
      fc.tuple(pct, pct, pct, pct).map((v) => `pct:${v.join(',')}`),
    );
  const size = (version: ApiVersion, width: number, height: number) => {
    // Biased small: most sizes fit inside most regions.
    const w = frac.map((f) => Math.max(1, scaled(f * f * 0.6, width)));
    const h = frac.map((f) => Math.max(1, scaled(f * f * 0.6, height)));
    const up = version === 3 ? ['', '^'] : [''];
    return fc.oneof(
      fc.constant(version === 3 ? 'max' : 'full'),
      fc.constant('max'),
      fc.tuple(fc.constantFrom(...up), w).map(([u, n]) => `${u}${n},`),
      fc.tuple(fc.constantFrom(...up), h).map(([u, n]) => `${u},${n}`),
      fc.tuple(fc.constantFrom(...up), pct).map(([u, n]) => `${u}pct:${Math.round(n * 50) / 100}`),
      fc.tuple(fc.constantFrom(...up), w, h).map(([u, a, b]) => `${u}${a},${b}`),
      fc.tuple(fc.constantFrom(...up), w, h).map(([u, a, b]) => `${u}!${a},${b}`),
      ...(version === 3 ? [fc.constant('^max')] : []),
    );
  };
  const rotation = fc.tuple(fc.boolean(), fc.double({ min: 0, max: 360, noNaN: true })).map(([m, d]) => `${m ? '!' : ''}${d.toFixed(3)}`);
  const limits = fc.oneof(
    { arbitrary: fc.constant(roomy), weight: 3 },
    {
      arbitrary: fc.record({
        maxWidth: fc.integer({ min: 1, max: 8000 }),
        maxHeight: fc.integer({ min: 1, max: 8000 }),
        maxArea: fc.integer({ min: 1, max: 30_000_000 }),
      }),
      weight: 1,
    },
  );
  const dims = fc.record({ width: fc.integer({ min: 1, max: 5000 }), height: fc.integer({ min: 1, max: 5000 }) });

  for (const version of [3, 2] as const) {
    it(`Image API ${version === 3 ? '3.0' : '2.1'}`, () => {
      let accepted = 0;
      const cases = dims.chain((d) =>
        fc.record({ d: fc.constant(d), r: region(d.width, d.height), s: size(version, d.width, d.height) }),
      );
      fc.assert(
        fc.property(cases, limits, fc.constantFrom(256, 512), rotation, ({ d, r, s }, lim, tileSize, rot) => {
          const ctx: PlanContext = { version, ...d, limits: lim, tileSize };
          let first: ImagePlan;
          try {
            first = plan(`${r}/${s}/${rot}/default.jpg`, ctx);
          } catch (err) {
            expect(err).toBeInstanceOf(BadRequestError);
            return;
          }
          accepted++;
          for (const n of [first.region.x, first.region.y, first.region.w, first.region.h, first.width, first.height]) {
            expect(Number.isInteger(n)).toBe(true);
          }
          expect(first.width).toBeGreaterThanOrEqual(1);
          expect(first.height).toBeGreaterThanOrEqual(1);
          expect(first.width).toBeLessThanOrEqual(lim.maxWidth);
          expect(first.height).toBeLessThanOrEqual(lim.maxHeight);
          expect(first.width * first.height).toBeLessThanOrEqual(lim.maxArea);
          expect(first.region.x + first.region.w).toBeLessThanOrEqual(d.width);
          expect(first.region.y + first.region.h).toBeLessThanOrEqual(d.height);
          const canonical = canonicalPath(first, ctx);
          const again = plan(canonical, ctx);
          expect(again).toEqual(first);
          expect(canonicalPath(again, ctx)).toBe(canonical);
        }),
        { numRuns: 3000 },
      );
      // The property is only worth something if most generated requests are valid ones.
      expect(accepted).toBeGreaterThan(1200);
    });
  }
});
