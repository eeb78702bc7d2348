import type { PixelBox } from './types.js';

/**
 * The tile grid advertised in info.json and pre-built at ingest: square tiles of `tileSize`
 * output pixels at scale factors 1, 2, 4, … up to the first that fits the image in one tile.
 */
export function scaleFactors(width: number, height: number, tileSize: number): number[] {
  const factors = [1];
  while (Math.max(width, height) / factors[factors.length - 1]! > tileSize) {
    factors.push(factors[factors.length - 1]! * 2);
  }
  return factors;
}

export interface GridTile {
  readonly scaleFactor: number;
  readonly column: number;
  readonly row: number;
  /** The region in full-resolution pixels. */
  readonly region: PixelBox;
  /** Output size: ceil(region / scaleFactor), as Image API 3.0 §5.6 computes tile sizes. */
  readonly width: number;
  readonly height: number;
}

/** Every tile of the advertised grid, coarsest level first. */
export function gridTiles(width: number, height: number, tileSize: number): GridTile[] {
  const tiles: GridTile[] = [];
  for (const s of scaleFactors(width, height, tileSize).reverse()) {
    const span = tileSize * s;
    for (let row = 0; row * span < height; row++) {
      for (let column = 0; column * span < width; column++) {
        const x = column * span;
        const y = row * span;
        const w = Math.min(span, width - x);
        const h = Math.min(span, height - y);
        tiles.push({
          scaleFactor: s,
          column,
          row,
          region: { x, y, w, h },
          width: Math.ceil(w / s),
          height: Math.ceil(h / s),
        });
      }
    }
  }
  return tiles;
}

/** The `sizes` list of info.json: the full size halved until it fits in one tile, smallest first. */
export function sizes(width: number, height: number, tileSize: number): { width: number; height: number }[] {
  const out: { width: number; height: number }[] = [];
  for (const s of scaleFactors(width, height, tileSize)) {
    out.push({ width: Math.ceil(width / s), height: Math.ceil(height / s) });
  }
  return out.reverse();
}
