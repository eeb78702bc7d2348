import { formatDecimal, invalid, parseDecimal, parseInteger } from './numbers.js';
import type { PixelBox } from './types.js';

/** The region parameter as written (Image API 3.0 §4.1; 2.1 has the same forms). */
export type RegionRequest =
  | { readonly kind: 'full' }
  | { readonly kind: 'square' }
  | { readonly kind: 'pixels'; readonly x: number; readonly y: number; readonly w: number; readonly h: number }
  | { readonly kind: 'percent'; readonly x: number; readonly y: number; readonly w: number; readonly h: number };

const pixelsPattern = /^(\d+),(\d+),(\d+),(\d+)$/;
const percentPattern = /^pct:([\d.]+),([\d.]+),([\d.]+),([\d.]+)$/;

export function parseRegion(value: string): RegionRequest {
  if (value === 'full') return { kind: 'full' };
  if (value === 'square') return { kind: 'square' };
  const px = pixelsPattern.exec(value);
  if (px) {
    const [x, y, w, h] = px.slice(1).map((t) => parseInteger(t, 'region', value)) as [number, number, number, number];
    return { kind: 'pixels', x, y, w, h };
  }
  const pct = percentPattern.exec(value);
  if (pct) {
    const [x, y, w, h] = pct.slice(1).map((t) => parseDecimal(t, 'region', value)) as [number, number, number, number];
    return { kind: 'percent', x, y, w, h };
  }
  throw invalid('region', value, 'expected full, square, x,y,w,h or pct:x,y,w,h');
}

/** The request written back in its own form (used by tests and error messages). */
export function formatRegion(region: RegionRequest): string {
  switch (region.kind) {
    case 'full':
    case 'square':
      return region.kind;
    case 'pixels':
      return `${region.x},${region.y},${region.w},${region.h}`;
    case 'percent':
      return `pct:${[region.x, region.y, region.w, region.h].map((n) => formatDecimal(n, 10)).join(',')}`;
  }
}

/**
 * The region in full-resolution pixels, cropped at the image's edges (§4.1: "the service
 * SHOULD return an image cropped at the image's edge"); a zero-sized region or one entirely
 * outside the image is a 400. Percentages convert their edges, so adjacent pct regions tile
 * without gaps or overlaps.
 */
export function resolveRegion(region: RegionRequest, width: number, height: number): PixelBox {
  const value = formatRegion(region);
  switch (region.kind) {
    case 'full':
      return { x: 0, y: 0, w: width, h: height };
    case 'square': {
      // Centred in the longer dimension, as §4.1 suggests.
      const side = Math.min(width, height);
      return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), w: side, h: side };
    }
    case 'pixels':
      return clip(region.x, region.y, region.w, region.h, width, height, value);
    case 'percent': {
      if (region.w === 0 || region.h === 0) throw invalid('region', value, 'width and height must be greater than 0');
      const x0 = Math.round((region.x * width) / 100);
      const y0 = Math.round((region.y * height) / 100);
      // A non-zero percentage never rounds to nothing: at least one pixel.
      const x1 = Math.max(x0 + 1, Math.round(((region.x + region.w) * width) / 100));
      const y1 = Math.max(y0 + 1, Math.round(((region.y + region.h) * height) / 100));
      return clip(x0, y0, x1 - x0, y1 - y0, width, height, value);
    }
  }
}

function clip(x: number, y: number, w: number, h: number, width: number, height: number, value: string): PixelBox {
  if (w === 0 || h === 0) throw invalid('region', value, 'width and height must be greater than 0');
  if (x >= width || y >= height) {
    throw invalid('region', value, `entirely outside the ${width}×${height} image`);
  }
  return { x, y, w: Math.min(w, width - x), h: Math.min(h, height - y) };
}
