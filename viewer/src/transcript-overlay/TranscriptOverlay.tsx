import { useEffect, useLayoutEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { OsdViewer } from 'mirador';
import type { TranscriptItem } from '../annotations.js';
import { affineFromProjection, canvasToWorld, screenPlacement, type Placement } from '../geometry.js';
import type { TranscriptSettings } from '../selectors.js';
import { boxAttr, ItemText, positioned } from './ItemText.js';

/** The part of Mirador's CanvasWorld (src/lib/CanvasWorld.js) that places canvases in the world. */
export interface CanvasWorldLike {
  canvases: { id: string; getWidth(): number }[];
  canvasToWorldCoordinates(canvasId: string): number[];
}

export interface TranscriptOverlayProps {
  viewer: OsdViewer | null;
  canvasWorld?: CanvasWorldLike;
  items: readonly TranscriptItem[];
  focusItem: TranscriptItem | null;
  settings: TranscriptSettings;
  setFocus: (id: string | null) => void;
  /** Space-separated ids of visible canvases whose annotations nobody requested yet. */
  missing?: string;
  requestAnnotations?: (canvasId: string) => void;
  /** The shown leaves' labels by canvas id, as JSON text: each leaf's text is a group named after it. */
  leafLabels?: string;
}

/** The items of each canvas, in reading order, canvases in the order they first appear. */
function byCanvas(items: readonly TranscriptItem[]): [string, TranscriptItem[]][] {
  const groups = new Map<string, TranscriptItem[]>();
  for (const item of items) {
    const list = groups.get(item.canvasId);
    if (list) list.push(item);
    else groups.set(item.canvasId, [item]);
  }
  return [...groups];
}

const viewportEvents = ['update-viewport', 'animation', 'resize', 'rotate', 'flip', 'open'];

/** World coordinates → pixels of the viewer element, through OpenSeadragon's own viewport. */
function projectionOf(viewer: OsdViewer) {
  // Points are cloned from one the viewer made: importing openseadragon would load a second copy.
  const origin = viewer.viewport.getCenter(true);
  return (x: number, y: number) => {
    const point = origin.clone();
    point.x = x;
    point.y = y;
    return viewer.viewport.pixelFromPoint(point, true);
  };
}

function placementOf(world: CanvasWorldLike | undefined, canvasId: string): Placement | null {
  if (!world) return { x: 0, y: 0, scale: 1 };
  const canvas = world.canvases.find((c) => c.id === canvasId);
  if (!canvas) return null;
  const [x = 0, y = 0, w = 0] = world.canvasToWorldCoordinates(canvasId);
  return { x, y, scale: w / canvas.getWidth() };
}

/** Puts every `[data-box]` element of the layer on its world box for the viewer's current transform. */
export function placeLayer(layer: HTMLElement, viewer: OsdViewer): void {
  const m = affineFromProjection(projectionOf(viewer));
  // Items are rendered hidden and shown once placed over an opened image: text that appeared at
  // the layer's corner and then moved would count as a layout shift.
  const placed = viewer.world.getItemCount() > 0;
  for (const el of layer.querySelectorAll<HTMLElement>('[data-box]')) {
    el.style.visibility = placed ? '' : 'hidden';
    const [x = 0, y = 0, w = 0, h = 0] = (el.dataset.box ?? '').split(',').map(Number);
    const p = screenPlacement(m, { x, y, w, h });
    el.style.width = `${p.width}px`;
    el.style.height = `${p.height}px`;
    el.style.transform = p.transform;
    const fontSize = Number(el.dataset.fontSize);
    if (fontSize) el.style.fontSize = `${fontSize * p.scale}px`;
    if (el.dataset.line) el.style.lineHeight = `${p.height}px`;
    if (el.dataset.border) el.style.borderWidth = `${Number(el.dataset.border) * p.scale}px`;
  }
}

/**
 * Draws the chosen layer's text over its regions. OpenSeadragon's world→screen transform (zoom,
 * pan, rotation) is read at every frame and applied to each line, so text stays aligned while the
 * reader moves, and in book view (each canvas placed by Mirador's CanvasWorld). Lives inside the
 * viewer's canvas element, so the mouse wheel still zooms; presses on selectable text are kept
 * from starting a pan.
 */
export function TranscriptOverlay({ viewer, canvasWorld, items, focusItem, settings, setFocus, missing = '', requestAnnotations, leafLabels = '{}' }: TranscriptOverlayProps) {
  const layer = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();

  useEffect(() => {
    for (const canvasId of missing.split(' ').filter(Boolean)) requestAnnotations?.(canvasId);
  }, [missing, requestAnnotations]);
  const update = useRef(() => {});

  update.current = () => {
    if (viewer && layer.current) placeLayer(layer.current, viewer);
  };

  useEffect(() => {
    if (!viewer) return undefined;
    const handler = () => update.current();
    for (const e of viewportEvents) viewer.addHandler(e, handler);
    return () => {
      for (const e of viewportEvents) viewer.removeHandler(e, handler);
    };
  }, [viewer]);

  useLayoutEffect(() => update.current());

  const target = viewer?.canvas;
  // The layer element is created with the portal, so it changes only when the portal's target does.
  useEffect(() => {
    const el = layer.current;
    if (!el) return undefined;
    // Native listeners: OpenSeadragon's tracker on the canvas element must not see presses on text.
    const stop = (e: Event) => {
      if ((e.target as Element).closest('.tx-item')) e.stopPropagation();
    };
    const kinds = ['pointerdown', 'mousedown', 'touchstart', 'dblclick', 'click'];
    for (const k of kinds) el.addEventListener(k, stop);
    return () => {
      for (const k of kinds) el.removeEventListener(k, stop);
    };
  }, [target]);

  if (!viewer || !target) return null;
  const placed = (item: TranscriptItem) => {
    const p = item.box && placementOf(canvasWorld, item.canvasId);
    return p && item.box ? canvasToWorld(item.box, p) : null;
  };
  const focusBox = focusItem && placed(focusItem);
  const labels = JSON.parse(leafLabels) as Record<string, string>;

  return createPortal(
    <div
      className="tx-overlay"
      data-mode={settings.mode}
      data-layer={settings.layer}
      style={{ position: 'absolute', inset: 0, overflow: 'hidden', pointerEvents: 'none', zIndex: 2 }}
    >
      <div ref={layer} className="tx-layer">
        {settings.mode !== 'off' &&
          byCanvas(items).map(([canvasId, list]) => (
            // For assistive technology: the leaf's lines (or paragraphs) in reading order, one element each, under the leaf's name.
            <div key={canvasId} className="tx-leaf-text" role="group" aria-label={t(`tx_overlay_text_${settings.layer}`, { label: labels[canvasId] ?? '' })}>
              {list.map((item) => {
                const box = placed(item);
                return box && <ItemText key={item.id} item={item} box={box} settings={settings} setFocus={setFocus} />;
              })}
            </div>
          ))}
        {focusBox && (
          <div
            className="tx-focus"
            aria-hidden="true"
            data-box={boxAttr(focusBox)}
            data-border={Math.max(4, focusBox.h * 0.06)}
            style={{ ...positioned, border: '2px solid #d08000', background: 'rgba(255, 196, 0, 0.18)' }}
          />
        )}
      </div>
    </div>,
    target,
  );
}
