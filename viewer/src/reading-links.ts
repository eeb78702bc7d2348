import { OSDReferences, setCanvas, type MiradorInstance } from 'mirador';
import type { TranscriptItem } from './annotations.js';
import { parseXywh } from './geometry.js';
import { getVisibleCanvasIds, type MiradorState } from './selectors.js';
import { goToItem } from './transcript-panel/index.js';

/** Puts keyboard focus at the start of the image viewer: the next Tab reaches zoom and the leaf buttons. */
export function focusViewer(): boolean {
  const section = document.querySelector<HTMLElement>('#viewer .mirador-osd-container');
  if (!section) return false;
  if (!section.hasAttribute('tabindex')) section.tabIndex = -1;
  section.focus({ preventScroll: true });
  section.scrollIntoView({ block: 'nearest' });
  return true;
}

/**
 * Runs `done` once OpenSeadragon has added the next leaf's image: only then is the viewport
 * final (OpenSeadragon goes home when the new image is the world's only one).
 */
function afterNextImage(windowId: string, done: () => void): void {
  OSDReferences.get(windowId)?.current?.world.addOnceHandler('add-item', () => requestAnimationFrame(done));
}

/** Shows a leaf in the viewer, zoomed to a line of it when `box` is given. */
function show(instance: MiradorInstance, windowId: string, canvasId: string, box: string | undefined): void {
  const rect = box ? parseXywh(box) : null;
  const zoom = () => {
    if (!rect) return;
    const item: TranscriptItem = { id: '', canvasId, text: '', language: '', box: rect, granularity: 'line' };
    instance.store.dispatch(goToItem(windowId, item));
  };
  if (getVisibleCanvasIds(instance.store.getState() as MiradorState, windowId).includes(canvasId)) zoom();
  else {
    afterNextImage(windowId, zoom);
    instance.store.dispatch(setCanvas(windowId, canvasId));
  }
  document.querySelector('.viewer-frame')?.scrollIntoView({ block: 'start', behavior: 'auto' });
  focusViewer();
}

/**
 * Links the server-rendered page to the viewer once it runs: the "skip to the viewer" link lands
 * before the viewer's zoom and leaf buttons; a click on a line of the reading view (or on a leaf's
 * "show in the viewer" link) opens that line or leaf in the viewer instead of reloading the page.
 */
export function wireReadingLinks(instance: MiradorInstance, windowId: () => string | undefined): void {
  document.documentElement.classList.add('viewer-ready');
  document.querySelector('a[data-skip="viewer"]')?.addEventListener('click', (e) => {
    if (focusViewer()) e.preventDefault();
  });
  document.querySelector('#reading-view')?.addEventListener('click', (e) => {
    const target = e.target as Element;
    const line = target.closest<HTMLElement>('.rv-line[data-xywh]');
    const open = target.closest<HTMLAnchorElement>('a.rv-open');
    const canvasId = (line ?? open)?.closest<HTMLElement>('[data-canvas]')?.dataset.canvas;
    const id = windowId();
    if (!canvasId || !id || (line && getSelection()?.toString())) return;
    e.preventDefault();
    show(instance, id, canvasId, line?.dataset.xywh);
  });
}
