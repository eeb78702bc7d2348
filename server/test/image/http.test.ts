import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotatedSize } from '../../src/image/rotation.js';
import { request, type RawResponse } from '../helpers/http.js';
import { colourDistance, decode, type Decoded, type Pattern, patternColour, writePattern } from '../helpers/pattern.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Conformance of /iiif/3 (Image API 3.0, level 2) and /iiif/2 (2.1) against the real service,
 * one describe per section of the specification, quoting the rule under test. The fixture is
 * a 400×300 pattern of 4×3 coloured blocks of 100×100 px, so every geometric operation can be
 * checked by sampling block centres.
 */
const pattern: Pattern = { width: 400, height: 300, columns: 4, rows: 3 };
const W = pattern.width;
const H = pattern.height;

let server: TestServer;
const get = (p: string, headers: Record<string, string> = {}) => request(server.url, p, { headers });
const head = (p: string, headers: Record<string, string> = {}) => request(server.url, p, { method: 'HEAD', headers });

beforeAll(async () => {
  server = await startServer({
    env: { TILE_SIZE: '256', MAX_WIDTH: '800', MAX_HEIGHT: '800', MAX_AREA: '360000' },
    fixtures: async (dir) => {
      await writePattern(path.join(dir, 'pattern.png'), pattern);
    },
  });
});
afterAll(async () => {
  await server?.close();
});

/** Block centres of the source, mapped by `forward` to output pixels, must show their block's colour. */
function expectBlocks(img: Decoded, forward: (sx: number, sy: number) => [number, number] | null, tolerance = 40) {
  let sampled = 0;
  for (let r = 0; r < pattern.rows; r++) {
    for (let c = 0; c < pattern.columns; c++) {
      const sx = c * 100 + 50;
      const sy = r * 100 + 50;
      const out = forward(sx, sy);
      if (!out) continue;
      const [ox, oy] = out.map(Math.floor) as [number, number];
      if (ox < 0 || oy < 0 || ox >= img.width || oy >= img.height) continue;
      const got = img.pixel(ox, oy);
      expect(colourDistance(got, patternColour(pattern, sx, sy)), `block ${c},${r} at output ${ox},${oy}: ${got}`).toBeLessThan(tolerance);
      sampled++;
    }
  }
  expect(sampled).toBeGreaterThan(0);
}

async function image(p: string): Promise<{ res: RawResponse; img: Decoded }> {
  const res = await get(p);
  expect(res.status, res.body.toString()).toBe(200);
  return { res, img: await decode(res.body) };
}

describe('Image API 3.0 §2: "It is RECOMMENDED that the response be a 303 status redirection to the image information document"', () => {
  it.each(['/iiif/3/pattern', '/iiif/3/pattern/'])('GET %s → 303 to …/info.json', async (p) => {
    const res = await get(p);
    expect(res.status).toBe(303);
    expect(res.header('location')).toBe(`${server.url}/iiif/3/pattern/info.json`);
    expect(res.header('access-control-allow-origin')).toBe('*');
  });
  it('2.1 too, and HEAD as well as GET', async () => {
    const res = await head('/iiif/2/pattern');
    expect(res.status).toBe(303);
    expect(res.header('location')).toBe(`${server.url}/iiif/2/pattern/info.json`);
  });
  it('an unknown identifier is a 404, not a redirect', async () => {
    expect((await get('/iiif/3/nothing-here')).status).toBe(404);
  });
});

describe('Image API 3.0 §5: image information', () => {
  it('has every technical property, ids from the request, and sizes and tiles within the limits', async () => {
    const res = await get('/iiif/3/pattern/info.json');
    expect(res.status).toBe(200);
    const info = JSON.parse(res.body.toString()) as Record<string, unknown>;
    // "The @context property SHOULD appear as the very first key-value pair"
    expect(Object.keys(info)[0]).toBe('@context');
    expect(info).toEqual({
      '@context': 'http://iiif.io/api/image/3/context.json',
      id: `${server.url}/iiif/3/pattern`,
      type: 'ImageService3',
      protocol: 'http://iiif.io/api/image',
      profile: 'level2',
      width: 400,
      height: 300,
      maxWidth: 800,
      maxHeight: 800,
      maxArea: 360000,
      sizes: [
        { width: 200, height: 150 },
        { width: 400, height: 300 },
      ],
      tiles: [{ width: 256, height: 256, scaleFactors: [1, 2] }],
      extraQualities: ['color', 'gray', 'bitonal'],
      extraFormats: ['png', 'webp', 'tif', 'gif', 'jp2', 'pdf'],
      extraFeatures: expect.arrayContaining([
        'baseUriRedirect',
        'canonicalLinkHeader',
        'cors',
        'jsonldMediaType',
        'mirroring',
        'profileLinkHeader',
        'regionSquare',
        'rotationArbitrary',
        'sizeUpscaling',
      ]),
    });
  });

  describe('§5.1 content negotiation: "If the request does not include an Accept header, … application/ld+json"', () => {
    const ld = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"';
    it.each([
      ['no Accept header', undefined, ld],
      ['application/ld+json', 'application/ld+json', ld],
      ['the profiled JSON-LD type', ld, ld],
      ['JSON-LD preferred', 'application/ld+json, application/json;q=0.5', ld],
      ['application/json', 'application/json', 'application/json'],
      ['*/* (browsers, fetch)', '*/*', 'application/json'],
      ['something else', 'text/html', 'application/json'],
    ])('%s → %s', async (_, accept, type) => {
      const res = await get('/iiif/3/pattern/info.json', accept ? { Accept: accept } : {});
      expect(res.status).toBe(200);
      expect(res.header('content-type')).toBe(type);
      expect(res.header('vary')).toMatch(/accept/i);
    });
  });

  it('§6: "The compliance level MAY also be given in a HTTP Link header … rel=\\"profile\\""', async () => {
    const res = await get('/iiif/3/pattern/info.json');
    expect(res.header('link')).toBe('<http://iiif.io/api/image/3/level2.json>;rel="profile"');
  });

  it('ids follow the Host when PUBLIC_BASE_URL is unset; X-Forwarded-Host only counts with TRUST_PROXY', async () => {
    const res = await get('/iiif/3/pattern/info.json', { Host: 'iiif.example.org:8080', 'X-Forwarded-Host': 'evil.example' });
    expect(JSON.parse(res.body.toString()).id).toBe('http://iiif.example.org:8080/iiif/3/pattern');
  });

  it('ids start with PUBLIC_BASE_URL when it is set', async () => {
    const other = await startServer({
      env: { PUBLIC_BASE_URL: 'https://iiif.example.org/cable' },
      fixtures: (dir) => writePattern(path.join(dir, 'pattern.png'), pattern),
    });
    try {
      const info = await request(other.url, '/iiif/3/pattern/info.json');
      expect(JSON.parse(info.body.toString()).id).toBe('https://iiif.example.org/cable/iiif/3/pattern');
      const redirect = await request(other.url, '/iiif/3/pattern');
      expect(redirect.header('location')).toBe('https://iiif.example.org/cable/iiif/3/pattern/info.json');
    } finally {
      await other.close();
    }
  });
});

describe('Image API 2.1 §5: image information', () => {
  it('has @id, the profile array (level 2 URI then an object with formats, qualities, supports and limits), sizes and tiles', async () => {
    const res = await get('/iiif/2/pattern/info.json');
    expect(res.status).toBe(200);
    const info = JSON.parse(res.body.toString()) as Record<string, unknown>;
    expect(info).toEqual({
      '@context': 'http://iiif.io/api/image/2/context.json',
      '@id': `${server.url}/iiif/2/pattern`,
      protocol: 'http://iiif.io/api/image',
      width: 400,
      height: 300,
      sizes: [
        { width: 200, height: 150 },
        { width: 400, height: 300 },
      ],
      tiles: [{ width: 256, height: 256, scaleFactors: [1, 2] }],
      profile: [
        'http://iiif.io/api/image/2/level2.json',
        {
          formats: ['jpg', 'png', 'webp', 'tif', 'gif', 'jp2', 'pdf'],
          qualities: ['default', 'color', 'gray', 'bitonal'],
          supports: expect.arrayContaining(['baseUriRedirect', 'cors', 'mirroring', 'rotationArbitrary', 'sizeAboveFull', 'regionSquare']),
          maxWidth: 800,
          maxHeight: 800,
          maxArea: 360000,
        },
      ],
    });
  });
  it('"If the client explicitly wants the JSON-LD content-type, then it MUST specify this in an Accept header, otherwise the server MUST return the regular JSON content-type"', async () => {
    expect((await get('/iiif/2/pattern/info.json')).header('content-type')).toBe('application/json');
    expect((await get('/iiif/2/pattern/info.json', { Accept: 'application/ld+json' })).header('content-type')).toBe(
      'application/ld+json;profile="http://iiif.io/api/image/2/context.json"',
    );
  });
});

describe('Image API 3.0 §4.1 region', () => {
  it('full: "The full image is returned, without any cropping"', async () => {
    const { img } = await image('/iiif/3/pattern/full/max/0/default.png');
    expect([img.width, img.height]).toEqual([W, H]);
    expectBlocks(img, (x, y) => [x, y]);
  });
  it('x,y,w,h: the region in pixels', async () => {
    const { img } = await image('/iiif/3/pattern/100,100,200,100/max/0/default.png');
    expect([img.width, img.height]).toEqual([200, 100]);
    expectBlocks(img, (x, y) => [x - 100, y - 100]);
  });
  it('pct:x,y,w,h: the region in percent of the full image', async () => {
    const { img } = await image('/iiif/3/pattern/pct:50,0,50,100/max/0/default.png');
    expect([img.width, img.height]).toEqual([200, 300]);
    expectBlocks(img, (x, y) => [x - 200, y]);
  });
  it('square: "width and height are both equal to the length of the shorter dimension" (centred)', async () => {
    const { img } = await image('/iiif/3/pattern/square/max/0/default.png');
    expect([img.width, img.height]).toEqual([300, 300]);
    expectBlocks(img, (x, y) => [x - 50, y]);
  });
  it('"a region which extends beyond the dimensions … SHOULD return an image cropped at the image\'s edge"', async () => {
    const { img } = await image('/iiif/3/pattern/300,200,500,500/max/0/default.png');
    expect([img.width, img.height]).toEqual([100, 100]);
    expectBlocks(img, (x, y) => [x - 300, y - 200]);
  });
  it.each(['400,0,10,10', '0,300,10,10', '0,0,0,10', 'pct:0,0,0,10', 'pct:100,0,10,10'])(
    '"height or width is zero, or … entirely outside the bounds … 400 (Bad Request)": %s',
    async (region) => {
      const res = await get(`/iiif/3/pattern/${region}/max/0/default.jpg`);
      expect(res.status).toBe(400);
      expect(res.header('content-type')).toMatch(/^text\/plain/);
      expect(res.body.toString()).toContain(`region "${region}"`);
    },
  );
});

describe('Image API 3.0 §4.2 size', () => {
  it.each([
    ['max', [400, 300]],
    ['200,', [200, 150]],
    [',150', [200, 150]],
    ['pct:50', [200, 150]],
    ['200,300', [200, 300]],
    ['!200,200', [200, 150]],
    ['^!600,600', [600, 450]],
  ])('%s → %j', async (size, dims) => {
    const res = await get(`/iiif/3/pattern/full/${size}/0/default.png`);
    expect(res.status).toBe(200);
    const img = await decode(res.body);
    expect([img.width, img.height]).toEqual(dims);
  });
  it('scaling keeps every block in place', async () => {
    const { img } = await image('/iiif/3/pattern/full/200,/0/default.png');
    expectBlocks(img, (x, y) => [x / 2, y / 2]);
  });
  it('^ upscales: ^pct:150 of a 100×100 region is 150×150', async () => {
    const { img } = await image('/iiif/3/pattern/0,0,100,100/^pct:150/0/default.png');
    expect([img.width, img.height]).toEqual([150, 150]);
  });
  it('^max: "scaled to the maximum size permitted by maxWidth, maxHeight, or maxArea"', async () => {
    const { img } = await image('/iiif/3/pattern/full/^max/0/default.jpg');
    expect(img.width * img.height).toBeLessThanOrEqual(360000);
    expect([img.width, img.height]).toEqual([692, 519]);
  });
  it.each(['401,', ',301', '401,300', 'pct:101', '0,0,100,100/101,'])(
    '"sizes not prefixed with ^ that result in … greater than the … extracted region are errors … 400": %s',
    async (size) => {
      const p = size.includes('/') ? `/iiif/3/pattern/${size}/0/default.jpg` : `/iiif/3/pattern/full/${size}/0/default.jpg`;
      const res = await get(p);
      expect(res.status).toBe(400);
      expect(res.body.toString()).toMatch(/^Invalid size/);
    },
  );
  it.each(['^801,', '^,801', '^pct:300', '^800,'])(
    '"the pixel dimensions of the scaled region MUST NOT be … greater than the server-imposed limits … 400": %s', async (size) => {
    const res = await get(`/iiif/3/pattern/full/${size}/0/default.jpg`);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('exceeds the limits');
  });
  it('2.1 allows upscaling without ^ ("The image server MAY support scaling above the full size")', async () => {
    const { img } = await image('/iiif/2/pattern/0,0,100,100/150,/0/default.png');
    expect([img.width, img.height]).toEqual([150, 150]);
  });
  it('2.1 size full is the region unscaled; ^ is not 2.1 grammar', async () => {
    const { img } = await image('/iiif/2/pattern/full/full/0/default.png');
    expect([img.width, img.height]).toEqual([W, H]);
    expect((await get('/iiif/2/pattern/full/^max/0/default.jpg')).status).toBe(400);
    expect((await get('/iiif/3/pattern/full/full/0/default.jpg')).status).toBe(400);
  });
});

describe('Image API 3.0 §4.3 rotation: "mirrored by reflection on the vertical axis before any rotation"', () => {
  it.each([
    ['90', [H, W], (x: number, y: number) => [H - 1 - y, x]],
    ['180', [W, H], (x: number, y: number) => [W - 1 - x, H - 1 - y]],
    ['270', [H, W], (x: number, y: number) => [y, W - 1 - x]],
    ['!0', [W, H], (x: number, y: number) => [W - 1 - x, y]],
    ['!90', [H, W], (x: number, y: number) => [H - 1 - y, W - 1 - x]],
  ] as const)('%s', async (rotation, dims, forward) => {
    const { img } = await image(`/iiif/3/pattern/full/max/${rotation}/default.png`);
    expect([img.width, img.height]).toEqual(dims);
    expectBlocks(img, (x, y) => forward(x, y) as [number, number]);
  });
  it('arbitrary degrees: the bounding box of the rotated image, transparent corners in png', async () => {
    const { img } = await image('/iiif/3/pattern/full/max/45/default.png');
    const expected = rotatedSize(W, H, 45);
    expect(Math.abs(img.width - expected.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(img.height - expected.height)).toBeLessThanOrEqual(1);
    expect(img.channels).toBe(4);
    expect(img.pixel(0, 0)[3]).toBe(0);
    expect(img.pixel(img.width - 1, img.height - 1)[3]).toBe(0);
    // Source (150,150), block 1,1, is 50 px left of the centre; turned 45° clockwise it lies
    // 35 px up and 35 px left of the output's centre.
    const c = (img.width - 1) / 2;
    const got = img.pixel(Math.round(c - 35.4), Math.round(c - 35.4));
    expect(got[3]).toBe(255);
    expect(colourDistance(got, patternColour(pattern, 150, 150))).toBeLessThan(40);
  });
  it.each(['361', '-90', 'x', '!!0'])('"A rotation value that is out of range or unsupported SHOULD result in a 400": %s', async (rotation) => {
    const res = await get(`/iiif/3/pattern/full/max/${rotation}/default.jpg`);
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('rotation');
  });
});

describe('Image API 2.1 §4.3–4.4: the same rotation, mirroring and qualities', () => {
  it('!90 mirrors, then turns clockwise', async () => {
    const { img } = await image('/iiif/2/pattern/full/full/!90/default.png');
    expect([img.width, img.height]).toEqual([H, W]);
    expectBlocks(img, (x, y) => [H - 1 - y, W - 1 - x]);
  });
  it('gray has equal channels', async () => {
    const { img } = await image('/iiif/2/pattern/full/100,/0/gray.png');
    const [r, g = r, b = r] = img.pixel(10, 10);
    expect([g, b]).toEqual([r, r]);
  });
});

describe('Image API 3.0 §4.4 quality', () => {
  it('gray: "each pixel is black, white or any shade of gray in between"', async () => {
    const { img } = await image('/iiif/3/pattern/full/200,/0/gray.png');
    for (let y = 5; y < img.height; y += 25) {
      for (let x = 5; x < img.width; x += 25) {
        const [r, g = r, b = r] = img.pixel(x, y);
        expect(r).toBe(g);
        expect(g).toBe(b);
      }
    }
  });
  it('bitonal: "each pixel is either black or white"', async () => {
    const { img } = await image('/iiif/3/pattern/full/200,/0/bitonal.png');
    const seen = new Set<number>();
    for (let y = 0; y < img.height; y += 3) for (let x = 0; x < img.width; x += 3) for (const v of img.pixel(x, y).slice(0, 3)) seen.add(v);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 255]);
  });
  it('color and default keep the colours', async () => {
    for (const q of ['color', 'default']) {
      const { img } = await image(`/iiif/3/pattern/full/max/0/${q}.png`);
      expectBlocks(img, (x, y) => [x, y]);
    }
  });
  it('"A request for an image with an unsupported quality value SHOULD return a 400"', async () => {
    const res = await get('/iiif/3/pattern/full/max/0/native.jpg');
    expect(res.status).toBe(400);
    expect(res.body.toString()).toContain('quality');
  });
});

describe('Image API 3.0 §4.5 format', () => {
  it.each([
    ['jpg', 'image/jpeg', 'jpeg'],
    ['png', 'image/png', 'png'],
    ['webp', 'image/webp', 'webp'],
    ['tif', 'image/tiff', 'tiff'],
    ['gif', 'image/gif', 'gif'],
  ])('%s is sent as %s and is one', async (ext, type, decoded) => {
    const res = await get(`/iiif/3/pattern/full/100,/0/default.${ext}`);
    expect(res.status).toBe(200);
    expect(res.header('content-type')).toBe(type);
    const meta = await sharp(res.body).metadata();
    expect(meta.format).toBe(decoded);
    expect([meta.width, meta.height]).toEqual([100, 75]);
  });
  it('"A format value that is unsupported SHOULD result in a 400"', async () => {
    expect((await get('/iiif/3/pattern/full/max/0/default.bmp')).status).toBe(400);
  });
  it('every format the specification defines is produced: jp2 and pdf too, never a 501', async () => {
    for (const p of ['/iiif/3/pattern/full/max/0/default.jp2', '/iiif/2/pattern/full/full/0/default.pdf']) {
      expect((await get(p)).status, p).toBe(200);
    }
  });
});

describe('Image API 3.0 §4.8 canonical URI and §6 profile: Link headers', () => {
  it.each([
    ['full/max/0/default.jpg', 'full/max/0/default.jpg'],
    ['0,0,400,300/400,300/360/default.jpg', 'full/max/0/default.jpg'],
    ['pct:0,0,50,50/pct:50/!90/color.png', '0,0,200,150/100,75/!90/color.png'],
    ['full/!200,200/0/gray.webp', 'full/200,150/0/gray.webp'],
  ])('3.0 %s → rel="canonical" …/%s', async (p, canonical) => {
    const res = await head(`/iiif/3/pattern/${p}`);
    expect(res.status).toBe(200);
    expect(res.header('link')).toBe(
      `<${server.url}/iiif/3/pattern/${canonical}>;rel="canonical", <http://iiif.io/api/image/3/level2.json>;rel="profile"`,
    );
  });
  it.each([
    ['full/max/0/default.jpg', 'full/full/0/default.jpg'],
    ['full/200,150/0/default.jpg', 'full/200,/0/default.jpg'],
    ['full/200,200/0/default.jpg', 'full/200,200/0/default.jpg'],
  ])('2.1 %s → rel="canonical" …/%s ("w," for sizes that keep the aspect ratio)', async (p, canonical) => {
    const res = await head(`/iiif/2/pattern/${p}`);
    expect(res.header('link')).toBe(
      `<${server.url}/iiif/2/pattern/${canonical}>;rel="canonical", <http://iiif.io/api/image/2/level2.json>;rel="profile"`,
    );
  });
});

describe('HTTP caching: ETag, Last-Modified, 304 on revalidation, Cache-Control', () => {
  it('equivalent requests share one weak ETag (the tile store and a render give equivalent, not identical, bytes); different ones do not', async () => {
    const a = await head('/iiif/3/pattern/full/max/0/default.jpg');
    const b = await head('/iiif/3/pattern/0,0,400,300/^400,300/0/default.jpg');
    const c = await head('/iiif/3/pattern/full/200,/0/default.jpg');
    expect(a.header('etag')).toMatch(/^W\/"[^"]+"$/);
    expect(b.header('etag')).toBe(a.header('etag'));
    expect(c.header('etag')).not.toBe(a.header('etag'));
  });
  it('If-None-Match with the ETag → 304 with no body', async () => {
    const first = await get('/iiif/3/pattern/full/100,/0/default.jpg');
    const again = await get('/iiif/3/pattern/full/100,/0/default.jpg', { 'If-None-Match': first.header('etag') });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.header('etag')).toBe(first.header('etag'));
    const other = await get('/iiif/3/pattern/full/100,/0/default.jpg', { 'If-None-Match': '"something-else"' });
    expect(other.status).toBe(200);
  });
  it('If-Modified-Since at or after Last-Modified → 304; before → 200', async () => {
    const first = await get('/iiif/3/pattern/full/100,/0/default.jpg');
    const lastModified = first.header('last-modified');
    expect(new Date(lastModified).getTime()).not.toBeNaN();
    expect((await get('/iiif/3/pattern/full/100,/0/default.jpg', { 'If-Modified-Since': lastModified })).status).toBe(304);
    const before = new Date(new Date(lastModified).getTime() - 3600_000).toUTCString();
    expect((await get('/iiif/3/pattern/full/100,/0/default.jpg', { 'If-Modified-Since': before })).status).toBe(200);
  });
  it('info.json revalidates by ETag, per representation (JSON and JSON-LD differ)', async () => {
    const json = await get('/iiif/3/pattern/info.json', { Accept: 'application/json' });
    const ld = await get('/iiif/3/pattern/info.json', { Accept: 'application/ld+json' });
    expect(json.header('etag')).not.toBe(ld.header('etag'));
    const again = await get('/iiif/3/pattern/info.json', { Accept: 'application/json', 'If-None-Match': json.header('etag') });
    expect(again.status).toBe(304);
  });
  it('images are cacheable for a day at least (public, not immutable); info.json for an hour', async () => {
    const img = await head('/iiif/3/pattern/full/100,/0/default.jpg');
    const maxAge = Number(/max-age=(\d+)/.exec(img.header('cache-control'))?.[1]);
    expect(img.header('cache-control')).toMatch(/^public/);
    expect(maxAge).toBeGreaterThanOrEqual(86400);
    expect(img.header('cache-control')).not.toContain('immutable');
    expect((await head('/iiif/3/pattern/info.json')).header('cache-control')).toBe('public, max-age=3600');
  });
  it('a replaced source (a real scan for a facsimile) gets a new ETag, so revalidation fetches the new pixels', async () => {
    const file = path.join(server.imagesDir, 'swap.png');
    await writePattern(file, pattern);
    const before = await get('/iiif/3/swap/full/100,/0/default.png');
    expect(before.status).toBe(200);
    const swapped: Pattern = { ...pattern, columns: 1, rows: 1 };
    await writePattern(file, swapped);
    // The pixel layer re-checks a source's size and mtime at most once a second.
    let after: RawResponse = before;
    for (let tries = 0; tries < 50; tries++) {
      after = await get('/iiif/3/swap/full/100,/0/default.png', { 'If-None-Match': before.header('etag') });
      if (after.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(after.status).toBe(200);
    expect(after.header('etag')).not.toBe(before.header('etag'));
    const img = await decode(after.body);
    expect(colourDistance(img.pixel(90, 70), patternColour(swapped, 390, 290))).toBeLessThan(40);
  });
  it('errors are not cached as if they were the image', async () => {
    const res = await get('/iiif/3/pattern/full/401,/0/default.jpg');
    expect(res.status).toBe(400);
    expect(res.header('etag')).toBe('');
  });
});

describe('Image API 3.0 §7: "Servers SHOULD support the HTTP OPTIONS method as part of the CORS preflight … RECOMMENDED … HEAD"', () => {
  it.each([
    ['/iiif/3/pattern/info.json', 200],
    ['/iiif/3/pattern/full/100,/0/default.jpg', 200],
    ['/iiif/3/pattern/full/401,/0/default.jpg', 400],
    ['/iiif/3/nothing/info.json', 404],
  ])('§7.1 CORS: Access-Control-Allow-Origin: * on %s (%d)', async (p, status) => {
    const res = await get(p, { Origin: 'https://viewer.example' });
    expect(res.status).toBe(status);
    expect(res.header('access-control-allow-origin')).toBe('*');
  });
  it('a preflight is answered with the allowed methods and headers', async () => {
    const res = await request(server.url, '/iiif/3/pattern/full/max/0/default.jpg', {
      method: 'OPTIONS',
      headers: { Origin: 'https://viewer.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'if-none-match' },
    });
    expect(res.status).toBe(204);
    expect(res.header('access-control-allow-origin')).toBe('*');
    expect(res.header('access-control-allow-methods')).toContain('GET');
    expect(res.header('access-control-allow-headers').toLowerCase()).toContain('if-none-match');
  });
  it('clients on other origins may read the Link and ETag headers', async () => {
    const res = await get('/iiif/3/pattern/full/100,/0/default.jpg', { Origin: 'https://viewer.example' });
    expect(res.header('access-control-expose-headers')).toMatch(/Link/);
    expect(res.header('access-control-expose-headers')).toMatch(/ETag/);
  });
  it('HEAD gives the GET headers (Content-Length included) and no body', async () => {
    const g = await get('/iiif/3/pattern/full/150,/0/default.png');
    const h = await head('/iiif/3/pattern/full/150,/0/default.png');
    expect(h.status).toBe(200);
    expect(h.body.length).toBe(0);
    expect(h.header('content-type')).toBe('image/png');
    expect(Number(h.header('content-length'))).toBe(g.body.length);
    expect(h.header('etag')).toBe(g.header('etag'));
    const info = await head('/iiif/3/pattern/info.json');
    expect(info.status).toBe(200);
    expect(info.body.length).toBe(0);
  });
  it('other methods → 405 with Allow', async () => {
    const res = await request(server.url, '/iiif/3/pattern/info.json', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.header('allow')).toBe('GET, HEAD, OPTIONS');
  });
});

describe('Image API 3.0 §9 URI encoding, §7.3 errors: identifiers decoded exactly once, never a 500', () => {
  it('a percent-encoded identifier is decoded once', async () => {
    const res = await get('/iiif/3/%70attern/info.json');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString()).id).toBe(`${server.url}/iiif/3/pattern`);
    expect((await get('/iiif/3/%2570attern/info.json')).status).toBe(404); // decodes to "%70attern", no such image
  });
  it('"Percent-encoding other characters introduces no ambiguity": %5Emax is ^max, %21 is !', async () => {
    expect((await head('/iiif/3/pattern/0,0,10,10/%5Emax/%2190/default.jpg')).status).toBe(200);
  });
  it.each([
    ['/iiif/3/nothing/full/max/0/default.jpg', 404],
    ['/iiif/3/..%2F..%2Fetc%2Fpasswd/info.json', 404],
    ['/iiif/3/%2E%2E/info.json', 404],
    ['/iiif/3/pattern%00/info.json', 404],
    ['/iiif/3/%E0%A4%A/info.json', 400],
    ['/iiif/3/pattern/%ZZ/max/0/default.jpg', 400],
    ['/iiif/3/pattern/full/max/0', 404],
    ['/iiif/3/pattern/full/max/0/default', 400],
    ['/iiif/3/pattern/full/max/0/default.jpg/more', 404],
    // An identifier with an unescaped "/" is no identifier of ours (validator id_error_escapedslash).
    ['/iiif/3/pat/tern/full/max/0/default.jpg', 404],
    ['/iiif/2/pat/tern/full/max/0/default.jpg', 404],
    ['/iiif/3/pat/tern/info.json', 404],
    ['/iiif/2/pat/tern/info.json', 404],
    ['/iiif/3/pattern/anything', 404],
    ['/iiif/2/pattern/full/max/0', 404],
    ['/iiif/3/pattern//max/0/default.jpg', 400],
    ['/iiif/3/pattern/full/max/0/.jpg', 400],
    ['/iiif/3/pattern/full/max/0/default.jpg%00', 400],
    ['/iiif/3/pattern/full/99999999999999999999999,/0/default.jpg', 400],
    ['/iiif/3/pattern/full/%5E99999999,/0/default.jpg', 400],
    [`/iiif/3/pattern/pct:${'9'.repeat(400)},0,1,1/max/0/default.jpg`, 400],
    ['/iiif/3/pattern/full/max/0.0.0/default.jpg', 400],
    ['/iiif/2/pattern/full/max/0/default.jpg?x=1', 200],
  ])('%s → %d', async (p, status) => {
    const res = await get(p);
    expect(res.status).toBe(status);
    if (status >= 400) expect(res.header('content-type')).toMatch(/^text\/plain/);
  });
});

describe('the tile grid advertised in info.json is served exactly', () => {
  it.each([
    // scale factor 1: 256 px tiles; factor 2: the whole image in one 200×150 tile
    ['0,0,256,256/256,256', [256, 256]],
    ['256,0,144,256/144,256', [144, 256]],
    ['0,256,256,44/256,44', [256, 44]],
    ['full/200,150', [200, 150]],
  ])('3.0 %s', async (p, dims) => {
    const { img } = await image(`/iiif/3/pattern/${p}/0/default.jpg`);
    expect([img.width, img.height]).toEqual(dims);
  });
  it.each([
    ['256,0,144,256/144,', [144, 256]],
    ['0,256,256,44/256,', [256, 44]],
    ['full/200,', [200, 150]],
  ])('2.1 (w, form) %s', async (p, dims) => {
    const { img } = await image(`/iiif/2/pattern/${p}/0/default.jpg`);
    expect([img.width, img.height]).toEqual(dims);
  });
});

describe('Image API 3.0 §5.4 tiles: every tile a viewer derives from info.json is served from the tile store, in 3.0 and 2.1 syntax', () => {
  // Ragged edges on purpose: 1001×701 at 256 px tiles has partial tiles at every level.
  const ragged: Pattern = { width: 1001, height: 701, columns: 4, rows: 3 };
  let tiled: TestServer;
  beforeAll(async () => {
    tiled = await startServer({
      env: { TILE_SIZE: '256', INGEST_ON_START: 'true' },
      fixtures: (dir) => writePattern(path.join(dir, 'ragged.png'), ragged),
    });
    await tiled.images.ingestAll();
  });
  afterAll(async () => {
    await tiled?.close();
  });

  /** The tile URLs OpenSeadragon builds from info.json (its IIIF tile source, both versions). */
  function viewerTileUrls(info: { width: number; height: number; tiles: { width: number; scaleFactors: number[] }[] }, version: 2 | 3) {
    const urls: string[] = [];
    const t = info.tiles[0]!.width;
    for (const s of info.tiles[0]!.scaleFactors) {
      const span = t * s;
      for (let y = 0; y < info.height; y += span) {
        for (let x = 0; x < info.width; x += span) {
          const w = Math.min(span, info.width - x);
          const h = Math.min(span, info.height - y);
          const full = x === 0 && y === 0 && w === info.width && h === info.height;
          const region = full ? 'full' : `${x},${y},${w},${h}`;
          const size = version === 3 ? `${Math.ceil(w / s)},${Math.ceil(h / s)}` : `${Math.ceil(w / s)},`;
          urls.push(`/iiif/${version}/ragged/${region}/${size}/0/default.jpg`);
          // At full resolution OpenSeadragon names the size max (3.0) or full (2.1) instead.
          if (s === 1) urls.push(`/iiif/${version}/ragged/${region}/${version === 3 ? 'max' : 'full'}/0/default.jpg`);
        }
      }
    }
    return urls;
  }

  for (const version of [3, 2] as const) {
    it(`Image API ${version === 3 ? '3.0' : '2.1'}: no tile needs a render`, async () => {
      const info = JSON.parse((await request(tiled.url, `/iiif/${version}/ragged/info.json`)).body.toString());
      const urls = viewerTileUrls(info, version);
      expect(urls.length).toBe(2 * 12 + 4 + 1);
      const rendersBefore = tiled.images.counts.render;
      for (const url of urls) {
        const res = await request(tiled.url, url);
        expect(res.status, url).toBe(200);
      }
      expect(tiled.images.counts.render).toBe(rendersBefore);
      expect(tiled.images.counts.store + tiled.images.counts.memory).toBeGreaterThanOrEqual(urls.length);
    });
  }

  it('tiles show the right pixels: the bottom-right tile at factor 2', async () => {
    const { body } = await request(tiled.url, '/iiif/3/ragged/512,512,489,189/245,95/0/default.jpg');
    const img = await decode(body);
    expect([img.width, img.height]).toEqual([245, 95]);
    // Output (100, 40) is source (712, 592): block column 2, row 2.
    expect(colourDistance(img.pixel(100, 40), patternColour(ragged, 712, 592))).toBeLessThan(40);
  });
});
