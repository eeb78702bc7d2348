import { describe, expect, it } from 'vitest';
import { imageInfo2, imageInfo3 } from '../../src/image/info.js';
import type { SourceInfo } from '../../src/image/types.js';

const source: SourceInfo = { id: 'page', width: 5000, height: 7000, key: 'k', modified: new Date(0) };
const roomy = { maxWidth: 10000, maxHeight: 10000, maxArea: 40_000_000, inputPixels: 1e9 };

describe('info.json (Image API 3.0 §5.2–5.7, 2.1 §5.2–5.3)', () => {
  it('3.0: sizes smallest first, one tile size with every scale factor', () => {
    const info = imageInfo3('https://x.example/iiif/3/page', source, { limits: roomy, tileSize: 512 });
    expect(info.sizes).toEqual([
      { width: 313, height: 438 },
      { width: 625, height: 875 },
      { width: 1250, height: 1750 },
      { width: 2500, height: 3500 },
      { width: 5000, height: 7000 },
    ]);
    expect(info.tiles).toEqual([{ width: 512, height: 512, scaleFactors: [1, 2, 4, 8, 16] }]);
  });

  it('"Servers MUST ensure that sizes specified by any sizes or tiles properties are within any size limits expressed"', () => {
    const limits = { maxWidth: 2000, maxHeight: 3000, maxArea: 4_000_000, inputPixels: 1e9 };
    const info = imageInfo3('https://x.example/iiif/3/page', source, { limits, tileSize: 512 });
    expect(info.sizes.map((s) => s.width)).toEqual([313, 625, 1250]);
    expect(info.maxWidth).toBe(2000);
    const tiny = imageInfo3('https://x.example/iiif/3/page', source, {
      limits: { ...limits, maxWidth: 256, maxHeight: 256 },
      tileSize: 512,
    });
    expect(tiny.tiles).toEqual([]);
  });

  it('"A server that supports sizeUpscaling MUST specify maxWidth or maxArea"', () => {
    const info = imageInfo3('https://x.example/iiif/3/page', source, { limits: roomy, tileSize: 512 });
    expect(info.extraFeatures).toContain('sizeUpscaling');
    // The configured limits, as given: the ones the planner enforces.
    expect(info).toMatchObject({ maxWidth: 10000, maxHeight: 10000, maxArea: 40_000_000 });
  });

  it('2.1 names its features in its own vocabulary', () => {
    const info = imageInfo2('https://x.example/iiif/2/page', source, { limits: roomy, tileSize: 512 });
    const profile = info.profile[1] as { supports: string[] };
    expect(profile.supports).toContain('sizeAboveFull');
    expect(profile.supports).toContain('sizeByDistortedWh');
    expect(profile.supports).not.toContain('sizeUpscaling');
    expect(info.profile[0]).toBe('http://iiif.io/api/image/2/level2.json');
  });
});
