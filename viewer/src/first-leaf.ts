import type { OsdViewer } from 'mirador';

/**
 * Resolves once the page has been painted with the opening leaf's `<img>` (loaded, or failed, or
 * after `capMs`), or at the first paint when there is none. Evaluating Mirador's script takes the
 * main thread for a while: done before, it would hold back the first paint and the leaf with it.
 */
export function afterFirstPaint(capMs = 3000): Promise<void> {
  const img = document.querySelector<HTMLImageElement>('.first-leaf img');
  const loaded =
    !img || img.complete
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          img.addEventListener('load', () => resolve(), { once: true });
          img.addEventListener('error', () => resolve(), { once: true });
          setTimeout(resolve, capMs);
        });
  // A frame is painted after its requestAnimationFrame callbacks; the timeout runs after that paint.
  return loaded.then(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

interface TiledImage {
  getFullyLoaded(): boolean;
}

/**
 * Takes away the server-rendered `<img>` of the opening leaf (`.first-leaf`) once OpenSeadragon
 * has drawn that leaf completely in the same place: until then the reader sees the picture
 * instead of an empty frame, and the switch shows no change. Gives up after `timeoutMs` (a
 * viewer that never draws must not leave a stale picture over it).
 */
export function retireFirstLeaf(viewer: () => OsdViewer | null | undefined, timeoutMs = 30_000): void {
  const placeholder = document.querySelector('.first-leaf');
  if (!placeholder) return;
  const started = performance.now();
  const check = () => {
    const v = viewer() as (OsdViewer & { world: { getItemAt(i: number): TiledImage | undefined } }) | null | undefined;
    const item = v && v.world.getItemCount() > 0 ? v.world.getItemAt(0) : undefined;
    if (item?.getFullyLoaded() || performance.now() - started > timeoutMs) {
      // One more frame: the tiles are drawn in the frame after they have loaded.
      requestAnimationFrame(() => requestAnimationFrame(() => placeholder.remove()));
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}
