import type { Box } from '../document/model.js';

/** The smallest box holding every given box; null when there is none. */
export function unionBox(boxes: readonly (Box | null)[]): Box | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    if (!b) continue;
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return x0 === Infinity ? null : { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** The Media Fragments `xywh=` value of a box, in whole pixels. */
export function xywh(box: Box): string {
  return [box.x, box.y, box.w, box.h].map((n) => Math.round(n)).join(',');
}
