/** A rectangle in some pixel space (canvas, world or screen). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Where a canvas sits in Mirador's world: its top-left corner and its scale (world px per canvas px). */
export interface Placement {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

const xywhPattern = /^(?:xywh=)?(?:pixel:)?(\d+(?:\.\d+)?),(\d+(?:\.\d+)?),(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/;

/**
 * Parses a Media Fragments `xywh` value ("xywh=x,y,w,h", "pixel:" allowed, "percent:" not).
 * Returns null for anything else, including empty areas.
 * @see https://www.w3.org/TR/media-frags/#naming-space
 */
export function parseXywh(value: string): Rect | null {
  const m = xywhPattern.exec(value.trim());
  if (!m) return null;
  const [x, y, w, h] = m.slice(1, 5).map(Number) as [number, number, number, number];
  return w > 0 && h > 0 ? { x, y, w, h } : null;
}

/** "x,y,w,h" in whole pixels. */
export function formatXywh(r: Rect): string {
  return [r.x, r.y, r.w, r.h].map((n) => Math.round(n)).join(',');
}

/** Splits "canvas#xywh=…" into the resource id and its region (null when there is none). */
export function splitFragment(uri: string): { id: string; xywh: Rect | null } {
  const hash = uri.indexOf('#');
  if (hash < 0) return { id: uri, xywh: null };
  return { id: uri.slice(0, hash), xywh: parseXywh(uri.slice(hash + 1)) };
}

export function canvasToWorld(r: Rect, p: Placement): Rect {
  return { x: p.x + r.x * p.scale, y: p.y + r.y * p.scale, w: r.w * p.scale, h: r.h * p.scale };
}

export function worldToCanvas(r: Rect, p: Placement): Rect {
  return { x: (r.x - p.x) / p.scale, y: (r.y - p.y) / p.scale, w: r.w / p.scale, h: r.h / p.scale };
}

/** The part of `r` inside a width × height area, or null when they do not overlap. */
export function clampRect(r: Rect, width: number, height: number): Rect | null {
  const x0 = Math.max(0, r.x);
  const y0 = Math.max(0, r.y);
  const x1 = Math.min(width, r.x + r.w);
  const y1 = Math.min(height, r.y + r.h);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function containsCentre(outer: Rect, inner: Rect): boolean {
  const cx = inner.x + inner.w / 2;
  const cy = inner.y + inner.h / 2;
  return cx >= outer.x && cx <= outer.x + outer.w && cy >= outer.y && cy <= outer.y + outer.h;
}

/** `r` grown by `fraction` of its larger side on every edge: room around a line we zoom to. */
export function padRect(r: Rect, fraction: number): Rect {
  const m = Math.max(r.w, r.h) * fraction;
  return { x: r.x - m, y: r.y - m, w: r.w + 2 * m, h: r.h + 2 * m };
}

/** A 2D affine map as CSS `matrix(a, b, c, d, e, f)` coefficients. */
export type Affine = readonly [number, number, number, number, number, number];

/**
 * The affine map that OpenSeadragon applies to world coordinates (zoom, pan, rotation), recovered
 * from where it sends three points. One CSS transform on a container then keeps every line aligned.
 */
export function affineFromProjection(project: (x: number, y: number) => { x: number; y: number }): Affine {
  const o = project(0, 0);
  const ex = project(1, 0);
  const ey = project(0, 1);
  return [ex.x - o.x, ex.y - o.y, ey.x - o.x, ey.y - o.y, o.x, o.y];
}

/**
 * Where a world box lands on screen under `m`, split into a pixel size and a rotation-only
 * transform: text is then laid out at its real screen size (browsers hit-test and select text
 * badly inside strongly scaled elements), while rotation and position still follow the viewer.
 */
export function screenPlacement(m: Affine, box: Rect): { width: number; height: number; scale: number; transform: string } {
  const [a, b, c, d, e, f] = m;
  const scale = Math.hypot(a, b) || 1;
  const ox = a * box.x + c * box.y + e;
  const oy = b * box.x + d * box.y + f;
  return {
    width: box.w * scale,
    height: box.h * scale,
    scale,
    transform: cssMatrix([a / scale, b / scale, c / scale, d / scale, ox, oy]),
  };
}

export function cssMatrix(m: Affine): string {
  return `matrix(${m.map((n) => Number(n.toFixed(6))).join(',')})`;
}

/** The world rectangle shown by a viewport of `bounds`, as a deep-link region of a placed canvas. */
export function viewportToCanvasRegion(
  bounds: Rect,
  placement: Placement,
  canvas: { width: number; height: number },
): Rect | null {
  const r = clampRect(worldToCanvas(bounds, placement), canvas.width, canvas.height);
  return r && { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.w), h: Math.round(r.h) };
}
