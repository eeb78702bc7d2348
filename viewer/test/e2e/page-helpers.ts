import type { Frame, Page } from 'playwright-core';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

type Target = Page | Frame;

/** Waits until every image in Mirador's OpenSeadragon world is fully loaded and no animation is running. */
export async function viewerSettled(target: Target): Promise<void> {
  await target.waitForFunction(
    () => {
      type V = {
        world: { getItemCount(): number; getItemAt(i: number): { getFullyLoaded(): boolean } };
        viewport: { getZoom(current?: boolean): number; getCenter(current?: boolean): { x: number; y: number }; getRotation(current?: boolean): number };
      };
      const v = (window as unknown as { miradorOsd?: () => V | null }).miradorOsd?.();
      if (!v || v.world.getItemCount() === 0) return false;
      for (let i = 0; i < v.world.getItemCount(); i++) if (!v.world.getItemAt(i).getFullyLoaded()) return false;
      const { viewport: p } = v;
      const [now, target] = [p.getCenter(true), p.getCenter(false)];
      return (
        Math.abs(p.getZoom(true) - p.getZoom(false)) < 1e-9 &&
        Math.abs(now.x - target.x) < 1e-6 &&
        Math.abs(now.y - target.y) < 1e-6 &&
        Math.abs(p.getRotation(true) - p.getRotation(false)) < 1e-6
      );
    },
    undefined,
    { timeout: 20_000, polling: 100 },
  );
  // One more frame so the overlay has applied the last viewport transform.
  await target.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Where a region of the (single, first) canvas is on screen, computed by OpenSeadragon itself. */
export function screenBoxOf(target: Target, box: Box): Promise<Box> {
  return target.evaluate((b) => {
    type P = { x: number; y: number; clone(): P };
    const v = (window as unknown as {
      miradorOsd: () => { element: HTMLElement; viewport: { getCenter(c: boolean): P; pixelFromPoint(p: P, c: boolean): P } };
    }).miradorOsd();
    const el = v.element.getBoundingClientRect();
    const at = (x: number, y: number) => {
      const p = v.viewport.getCenter(true).clone();
      p.x = x;
      p.y = y;
      const q = v.viewport.pixelFromPoint(p, true);
      return { x: q.x + el.left, y: q.y + el.top };
    };
    const a = at(b.x, b.y);
    const c = at(b.x + b.w, b.y + b.h);
    return { x: a.x, y: a.y, w: c.x - a.x, h: c.y - a.y };
  }, box);
}

export function rectOf(target: Target, selector: string): Promise<Box | null> {
  return target.evaluate((s) => {
    const el = document.querySelector(s);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  }, selector);
}

/** The viewer's window state: current canvas and the world bounds in view. */
export function windowView(target: Target): Promise<{ canvasId: string; bounds: Box }> {
  return target.evaluate(() => {
    type S = { windows: Record<string, { canvasId: string }>; viewers: Record<string, { bounds: { x: number; y: number; width: number; height: number } }> };
    const state = (window as unknown as { mirador: { store: { getState(): S } } }).mirador.store.getState();
    const id = Object.keys(state.windows)[0]!;
    const b = (window as unknown as { miradorOsd: () => { viewport: { getBounds(c: boolean): { x: number; y: number; width: number; height: number } } } })
      .miradorOsd()
      .viewport.getBounds(true);
    return { canvasId: state.windows[id]!.canvasId, bounds: { x: b.x, y: b.y, w: b.width, h: b.height } };
  });
}

export const contains = (outer: Box, inner: Box, slack = 1) =>
  inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.w <= outer.x + outer.w + slack && inner.y + inner.h <= outer.y + outer.h + slack;
