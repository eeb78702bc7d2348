/** Integer pixel rectangles as ALTO writes them (HPOS, VPOS, WIDTH, HEIGHT). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The smallest integer rectangle holding every given rectangle. */
export function union(rects: readonly Rect[]): Rect {
  if (rects.length === 0) throw new Error('union of no rectangles');
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w);
    y1 = Math.max(y1, r.y + r.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Rounds a fractional box outwards to whole pixels, with `pad` pixels of margin. */
export function pixelBox(x0: number, y0: number, x1: number, y1: number, pad: number): Rect {
  const x = Math.floor(x0 - pad);
  const y = Math.floor(y0 - pad);
  return { x, y, w: Math.ceil(x1 + pad) - x, h: Math.ceil(y1 + pad) - y };
}
