import { inLayer, itemsFromAnnotationPage, type TranscriptItem } from './annotations.js';
import { isObject, type Json } from './content-state.js';
import { canvasToWorld, containsCentre, intersects, viewportToCanvasRegion, type Placement, type Rect } from './geometry.js';

export type OverlayMode = 'off' | 'visible' | 'selectable';
export type Layer = 'ru' | 'en';

/** Per-window options, kept in Mirador's window state under `transcriptOverlay`. */
export interface TranscriptSettings {
  readonly mode: OverlayMode;
  readonly layer: Layer;
  /** Opacity of the backing behind visible text, 0–1. */
  readonly opacity: number;
}

export const defaultSettings: TranscriptSettings = { mode: 'visible', layer: 'ru', opacity: 0.75 };

interface WindowState {
  manifestId?: string;
  canvasId?: string;
  visibleCanvases?: string[];
  transcriptOverlay?: Partial<TranscriptSettings>;
  /** Id of the line or paragraph the reader points at (hover or focus), shared by overlay and panel. */
  transcriptFocus?: string | null;
  /** Id of the line or paragraph last shown on the image from the panel (click or Enter): it stays chosen after focus leaves. */
  transcriptSelected?: string | null;
}

/** The parts of Mirador 4's redux state we read (src/state/reducers). */
export interface MiradorState {
  windows: Record<string, WindowState | undefined>;
  annotations: Record<string, Record<string, { json?: Json } | undefined> | undefined>;
  manifests: Record<string, { json?: Json } | undefined>;
  config: { language?: string };
}

export function getTranscriptSettings(state: MiradorState, windowId: string): TranscriptSettings {
  return { ...defaultSettings, ...state.windows[windowId]?.transcriptOverlay };
}

export function getTranscriptSelected(state: MiradorState, windowId: string): string | null {
  return state.windows[windowId]?.transcriptSelected ?? null;
}

export function getTranscriptFocus(state: MiradorState, windowId: string): string | null {
  return state.windows[windowId]?.transcriptFocus ?? null;
}

const EMPTY: readonly string[] = [];
export function getVisibleCanvasIds(state: MiradorState, windowId: string): readonly string[] {
  const w = state.windows[windowId];
  return w?.visibleCanvases ?? (w?.canvasId ? [w.canvasId] : EMPTY);
}

/**
 * Visible canvases whose annotations Mirador has not requested: it fetches them on SET_CANVAS only,
 * so switching to book view leaves the second leaf without its text until we ask.
 */
export function getCanvasesWithoutAnnotations(state: MiradorState, windowId: string): string[] {
  return getVisibleCanvasIds(state, windowId).filter((id) => !state.annotations[id]);
}

const itemsByPages = new WeakMap<object, TranscriptItem[]>();
/** Every supplementing text item Mirador has loaded for a canvas (memoised on the store's object). */
export function getCanvasItems(state: MiradorState, canvasId: string): TranscriptItem[] {
  const pages = state.annotations[canvasId];
  if (!pages) return [];
  let items = itemsByPages.get(pages);
  if (!items) {
    items = Object.values(pages)
      .flatMap((p) => itemsFromAnnotationPage(p?.json))
      .filter((i) => i.canvasId === canvasId);
    itemsByPages.set(pages, items);
  }
  return items;
}

const layerCache = new Map<string, { key: readonly unknown[]; value: readonly TranscriptItem[] }>();
/** The chosen layer's items on the window's visible canvases; the same array while nothing changed. */
export function getLayerItems(state: MiradorState, windowId: string, layer: string): readonly TranscriptItem[] {
  const ids = getVisibleCanvasIds(state, windowId);
  const key = [...ids, ...ids.map((id) => state.annotations[id])];
  const cached = layerCache.get(`${windowId} ${layer}`);
  if (cached && cached.key.length === key.length && cached.key.every((k, i) => k === key[i])) return cached.value;
  const value = ids.flatMap((id) => getCanvasItems(state, id).filter((i) => inLayer(i, layer)));
  layerCache.set(`${windowId} ${layer}`, { key, value });
  return value;
}

export interface CanvasSize {
  id: string;
  width: number;
  height: number;
}

/** Canvas ids and sizes of a loaded Presentation 3 manifest, in order. */
export function getCanvasSizes(state: MiradorState, manifestId: string): CanvasSize[] {
  const json = state.manifests[manifestId]?.json;
  if (!isObject(json) || !Array.isArray(json.items)) return [];
  return json.items.flatMap((c) =>
    isObject(c) && typeof c.id === 'string' && typeof c.width === 'number' && typeof c.height === 'number'
      ? [{ id: c.id, width: c.width, height: c.height }]
      : [],
  );
}

/**
 * Where each canvas sits in the world, as Mirador's CanvasWorld lays out left-to-right
 * canvases: scaled to the smallest height, side by side.
 */
export function placements(canvases: readonly CanvasSize[]): Map<string, Placement> {
  const height = Math.min(...canvases.map((c) => c.height));
  const result = new Map<string, Placement>();
  let x = 0;
  for (const c of canvases) {
    const width = Math.floor((height * c.width) / c.height);
    result.set(c.id, { x, y: 0, scale: width / c.width });
    x += width;
  }
  return result;
}

/** Placements of the canvases a window shows now. */
export function getPlacements(state: MiradorState, windowId: string): Map<string, Placement> {
  const w = state.windows[windowId];
  const sizes = w?.manifestId ? getCanvasSizes(state, w.manifestId) : [];
  const visible = getVisibleCanvasIds(state, windowId);
  return placements(sizes.filter((c) => visible.includes(c.id)));
}

/** Ids of the items whose regions intersect the part of the world the viewer shows. */
export function getItemsInView(state: MiradorState, windowId: string, items: readonly TranscriptItem[], view: Rect | null): string[] {
  if (!view) return [];
  const where = getPlacements(state, windowId);
  return items.flatMap((i) => {
    const p = where.get(i.canvasId);
    return p && i.box && intersects(canvasToWorld(i.box, p), view) ? [i.id] : [];
  });
}

/** What a deep link records: the manifest, the leaf, and the region of it in view. */
export interface ViewState {
  manifestId: string;
  canvasId: string;
  xywh: Rect | null;
}

/** The view of a window, given the world rectangle its viewer shows (null before it has drawn). */
export function getViewState(state: MiradorState, windowId: string, bounds: Rect | null): ViewState | null {
  const w = state.windows[windowId];
  if (!w?.manifestId || !w.canvasId) return null;
  const canvasId = getVisibleCanvasIds(state, windowId)[0] ?? w.canvasId;
  const size = w.manifestId ? getCanvasSizes(state, w.manifestId).find((c) => c.id === canvasId) : undefined;
  const placement = getPlacements(state, windowId).get(canvasId);
  const xywh =
    bounds && size && placement
      ? viewportToCanvasRegion(bounds, placement, size)
      : null;
  return { manifestId: w.manifestId, canvasId, xywh };
}

/** A row of the parallel text: Russian lines and the English paragraph(s) that translate them. */
export interface AlignedRow {
  readonly ru: readonly TranscriptItem[];
  readonly en: readonly TranscriptItem[];
}

/**
 * Pairs each English paragraph with the Russian lines inside the region it targets (the
 * translation's annotations target the Russian paragraph they translate). Russian lines no
 * paragraph covers get rows of their own; rows keep the Russian reading order.
 */
export function alignRows(ru: readonly TranscriptItem[], en: readonly TranscriptItem[]): AlignedRow[] {
  if (!en.some((p) => p.box)) return ru.length + en.length > 0 ? [{ ru, en }] : [];
  const rows: { ru: TranscriptItem[]; en: TranscriptItem[]; at: number }[] = [];
  const rowOfLine = new Map<TranscriptItem, (typeof rows)[number]>();
  en.forEach((p, index) => {
    const lines = ru.filter((l) => l.canvasId === p.canvasId && p.box && l.box && containsCentre(p.box, l.box));
    const existing = lines.map((l) => rowOfLine.get(l)).find(Boolean);
    if (existing) {
      existing.en.push(p);
      return;
    }
    // A paragraph with no line under it keeps its place after the row before it.
    const at = lines[0] ? ru.indexOf(lines[0]) : (rows.at(-1)?.at ?? -1) + index / 1000;
    const row = { ru: lines, en: [p], at };
    rows.push(row);
    for (const l of lines) rowOfLine.set(l, row);
  });
  for (const l of ru) {
    if (rowOfLine.has(l)) continue;
    const row = { ru: [l], en: [], at: ru.indexOf(l) };
    rows.push(row);
    rowOfLine.set(l, row);
  }
  return rows.sort((a, b) => a.at - b.at).map(({ ru: r, en: e }) => ({ ru: r, en: e }));
}
