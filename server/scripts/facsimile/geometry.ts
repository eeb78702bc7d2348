import { union } from '../../src/document/boxes.js';
import type { Box } from '../../src/document/model.js';

/** Integer pixel rectangles as ALTO writes them (HPOS, VPOS, WIDTH, HEIGHT): the model's boxes. */
export type Rect = Box;

/** The smallest integer rectangle holding every given rectangle; the generator always has one. */
export function enclose(rects: readonly Rect[]): Rect {
  const box = union(rects);
  if (!box) throw new Error('union of no rectangles');
  return box;
}

/** Rounds a fractional box outwards to whole pixels, with `pad` pixels of margin. */
export function pixelBox(x0: number, y0: number, x1: number, y1: number, pad: number): Rect {
  const x = Math.floor(x0 - pad);
  const y = Math.floor(y0 - pad);
  return { x, y, w: Math.ceil(x1 + pad) - x, h: Math.ceil(y1 + pad) - y };
}
