import { isObject, type Json } from '../content-state.js';
import { getVisibleCanvasIds, type MiradorState } from '../selectors.js';

export interface LeafStatus {
  /** The shown leaves' labels, e.g. "л. 44" or "л. 44, л. 45" in book view. */
  label: string;
  /** 1-based position of the first shown leaf in the manifest. */
  index: number;
  total: number;
}

/** A IIIF language map's value in `lang`, else English, else any. */
function labelIn(map: Json | undefined, lang: string): string {
  if (typeof map === 'string') return map;
  if (!isObject(map)) return '';
  const values = map[lang] ?? map.en ?? map.none ?? Object.values(map)[0];
  return Array.isArray(values) ? values.filter((v) => typeof v === 'string').join(' ') : '';
}

/** The labels of the leaves a window shows, by canvas id, as JSON text (a string, so that Redux props compare by value). */
export function shownLeafLabels(state: MiradorState, windowId: string, lang: string): string {
  const manifestId = state.windows[windowId]?.manifestId;
  const json = manifestId ? state.manifests[manifestId]?.json : undefined;
  const items = isObject(json) && Array.isArray(json.items) ? json.items.filter(isObject) : [];
  const shown = getVisibleCanvasIds(state, windowId);
  return JSON.stringify(Object.fromEntries(shown.map((id) => [id, labelIn(items.find((c) => c.id === id)?.label, lang)])));
}

/** Which leaves a window shows, for the viewer's accessible name and the live region. */
export function leafStatus(state: MiradorState, windowId: string, lang: string): LeafStatus | null {
  const manifestId = state.windows[windowId]?.manifestId;
  const json = manifestId ? state.manifests[manifestId]?.json : undefined;
  const items = isObject(json) && Array.isArray(json.items) ? json.items.filter(isObject) : [];
  const shown = getVisibleCanvasIds(state, windowId);
  const index = items.findIndex((c) => c.id === shown[0]);
  if (index < 0) return null;
  const label = shown
    .map((id) => items.find((c) => c.id === id))
    .map((c) => labelIn(c?.label, lang))
    .filter(Boolean)
    .join(', ');
  return { label, index: index + 1, total: items.length };
}
