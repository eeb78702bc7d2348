import { describe, expect, it } from 'vitest';
import { editionPath, LayoutError } from '../../src/export/layout.js';
import { level0Files } from '../../src/export/level0-files.js';
import { imageInfo2, imageInfo3, type InfoConfig } from '../../src/image/info.js';
import { imageServices } from '../../src/presentation/image-resources.js';

const image = { id: 'leaf', width: 1000, height: 700, key: 'k', modified: new Date(0) };
const roomy: InfoConfig = { tileSize: 256, limits: { maxWidth: 10_000, maxHeight: 10_000, maxArea: 40_000_000, inputPixels: 1e9 }, compliance: 'level0' };
const tight: InfoConfig = { ...roomy, limits: { ...roomy.limits, maxWidth: 500, maxArea: 200_000 } };

describe('level-0 image information', () => {
  it('advertises only sizes and tiles, and no limit that full/max does not meet', () => {
    const info = imageInfo3('https://example.org/iiif/3/leaf', image, roomy);
    expect(info.profile).toBe('level0');
    expect(info).not.toHaveProperty('maxWidth');
    expect(info).not.toHaveProperty('extraFeatures');
    expect(info).not.toHaveProperty('extraFormats');
    expect(info.tiles).toEqual([{ width: 256, height: 256, scaleFactors: [1, 2, 4] }]);
    expect(imageInfo2('https://example.org/iiif/2/leaf', image, roomy).profile).toEqual([
      'http://iiif.io/api/image/2/level0.json',
      { formats: ['jpg'], qualities: ['default'] },
    ]);
  });

  it('advertises the limits when they make full/max smaller than the image', () => {
    expect(imageInfo3('https://example.org/iiif/3/leaf', image, tight)).toMatchObject({ maxWidth: 500, maxArea: 200_000 });
    const max = level0Files(3, image, tight).find((f) => f.paths.includes('full/max/0/default.jpg'))!;
    expect(max.plan.width * max.plan.height).toBeLessThanOrEqual(200_000);
    expect(max.plan.width).toBeLessThanOrEqual(500);
  });

  it('is what the manifests embed: level 0 services for a static edition, level 2 for the service', () => {
    const [v3, v2] = imageServices('https://example.org', image, roomy);
    expect(v3.profile).toBe('level0');
    expect(v2.profile).toBe('http://iiif.io/api/image/2/level0.json');
    expect(imageServices('https://example.org', image, { ...roomy, compliance: undefined })[0].profile).toBe('level2');
  });
});

describe('the files of a level-0 service', () => {
  it('holds every advertised tile and size at its canonical path and at the explicit size viewers ask for', () => {
    const paths = level0Files(3, image, roomy).flatMap((f) => f.paths);
    expect(paths).toContain('full/max/0/default.jpg');
    expect(paths).toContain('0,0,256,256/max/0/default.jpg');
    expect(paths).toContain('0,0,256,256/256,256/0/default.jpg');
    expect(paths).toContain('768,512,232,188/232,188/0/default.jpg');
    expect(paths).toContain('full/250,175/0/default.jpg');
    expect(paths).toContain('full/500,350/0/default.jpg');
    expect(new Set(paths).size).toBe(paths.length);
    const v2 = level0Files(2, image, roomy).flatMap((f) => f.paths);
    expect(v2).toContain('full/full/0/default.jpg');
    expect(v2).toContain('0,0,256,256/256,/0/default.jpg');
    expect(v2).toContain('full/250,/0/default.jpg');
  });

  it('renders each at the size its path names', () => {
    for (const f of level0Files(3, image, roomy)) {
      const size = f.paths.map((p) => p.split('/')[1]!).find((s) => /^\d+,\d+$/.test(s));
      if (size) expect(size).toBe(`${f.plan.width},${f.plan.height}`);
    }
  });
});

describe('where a URL lives in the edition', () => {
  const base = 'https://example.org/edition';
  it('keeps names with an extension and gives nested ids the extension of their type', () => {
    expect(editionPath(base, `${base}/iiif/3/leaf/info.json`, 'application/ld+json')).toBe('iiif/3/leaf/info.json');
    expect(editionPath(base, `${base}/iiif/presentation/3/d/canvas/l1`, 'application/ld+json;profile="x"')).toBe('iiif/presentation/3/d/canvas/l1.json');
    expect(editionPath(base, `${base}/iiif/presentation/3/d/canvas/l1/painting`, 'application/ld+json')).toBe('iiif/presentation/3/d/canvas/l1/painting.json');
    expect(editionPath(base, `${base}/`, 'text/html')).toBe('index.html');
    expect(editionPath(base, `${base}/embed`, 'text/html')).toBe('embed.html');
    expect(editionPath(base, `${base}/documents/d`, 'text/html')).toBe('documents/d.html');
    expect(editionPath(base, `${base}/en/`, 'text/html')).toBe('en/index.html');
    expect(editionPath(base, `${base}/iiif/presentation/d/files/l1.alto.xml`, 'application/xml')).toBe('iiif/presentation/d/files/l1.alto.xml');
  });

  it.each([
    ['https://elsewhere.org/edition/x', 'is not under the base URL'],
    [`${base}/a/../../etc`, 'cannot name a file'],
    [`${base}/a/%2e%2e/b`, 'cannot name a file'],
    [`${base}/a%2Fb`, 'cannot name a file'],
    [`${base}/a?b=1`, 'query or fragment'],
    [`${base}/a//`, 'cannot name a file'],
  ])('refuses %s', (url, message) => {
    expect(() => editionPath(base, url, 'image/jpeg')).toThrow(LayoutError);
    expect(() => editionPath(base, url, 'image/jpeg')).toThrow(message);
  });
});
