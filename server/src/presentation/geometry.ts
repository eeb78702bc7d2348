import type { Box } from '../document/model.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** The smallest box containing every box; null for none. */
export function union(boxes: readonly Box[]): Box | null {
  if (boxes.length === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * The part of a box inside the canvas, in whole pixels; null when nothing of it is.
 * A transcription made for another scan of the leaf may overhang a swapped image: the
 * annotation must still target a region of its canvas.
 */
export function clampToCanvas(box: Box, canvas: Size): Box | null {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(canvas.width, Math.ceil(box.x + box.w));
  const y1 = Math.min(canvas.height, Math.ceil(box.y + box.h));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
