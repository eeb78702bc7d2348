import type { MiradorStore } from 'mirador';
import { formatXywh, type Rect } from './geometry.js';
import { getViewState, type MiradorState, type ViewState } from './selectors.js';

export interface ViewChange {
  view: ViewState;
  language: string;
}

/** The page's query string for a view: canvas, region and language replace iiif-content. */
export function searchFor(current: string, change: ViewChange): string {
  const params = new URLSearchParams(current);
  params.delete('iiif-content');
  params.set('canvas', change.view.canvasId);
  if (change.view.xywh) params.set('xywh', formatXywh(change.view.xywh));
  else params.delete('xywh');
  params.set('lang', change.language);
  return `?${params.toString()}`;
}

/**
 * Keeps the address bar on the current leaf and region (replaceState: no history entry per pan),
 * keeps `<html lang>` on the interface language, and tells the page via a `viewer:view` event.
 */
export function syncUrl(
  store: MiradorStore,
  windowId: () => string | undefined,
  bounds: (windowId: string) => Rect | null,
  win: Window,
): () => void {
  let last = '';
  return store.subscribe(() => {
    const state = store.getState() as MiradorState;
    const id = windowId();
    const view = id ? getViewState(state, id, bounds(id)) : null;
    if (!view) return;
    const language = state.config.language ?? 'ru';
    const search = searchFor(win.location.search, { view, language });
    if (search === last) return;
    last = search;
    if (search !== win.location.search) win.history.replaceState(win.history.state, '', `${win.location.pathname}${search}${win.location.hash}`);
    win.document.documentElement.lang = language;
    win.dispatchEvent(new CustomEvent<ViewChange>('viewer:view', { detail: { view, language } }));
  });
}
