import { useEffect, useLayoutEffect, useRef, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import type { OsdViewer } from 'mirador';
import type { TranscriptItem } from '../annotations.js';
import { affineFromProjection, canvasToWorld, cssMatrix, type Placement, type Rect } from '../geometry.js';
import type { TranscriptSettings } from '../selectors.js';
import { fitLine, fitParagraph, overlayFont } from '../text-fit.js';

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
}

const viewportEvents = ['update-viewport', 'animation', 'resize', 'rotate', 'flip', 'open', 'viewport-change'];

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

const boxStyle = (r: Rect): CSSProperties => ({ position: 'absolute', left: r.x, top: r.y, width: r.w, height: r.h });

function ItemText({ item, box, settings, setFocus }: { item: TranscriptItem; box: Rect; settings: TranscriptSettings; setFocus: (id: string | null) => void }) {
  const visible = settings.mode === 'visible';
  const base: CSSProperties = {
    ...boxStyle(box),
    boxSizing: 'border-box',
    fontFamily: overlayFont,
    color: visible ? '#1b1b1b' : 'transparent',
    background: visible ? `rgba(253, 250, 240, ${settings.opacity})` : 'transparent',
    pointerEvents: visible ? 'none' : 'auto',
    userSelect: 'text',
    cursor: visible ? undefined : 'text',
    overflow: 'hidden',
    margin: 0,
  };
  const events = visible
    ? {}
    : { onMouseEnter: () => setFocus(item.id), onMouseLeave: () => setFocus(null) };
  const isLine = item.granularity ? item.granularity === 'line' || item.granularity === 'word' : box.w / box.h > 6;
  if (isLine) {
    const { fontSize, scaleX } = fitLine(item.text, box);
    return (
      <div className="tx-item tx-line" data-id={item.id} lang={item.language} style={{ ...base, fontSize, lineHeight: `${box.h}px`, whiteSpace: 'nowrap' }} {...events}>
        <span style={{ display: 'inline-block', transform: `scaleX(${scaleX.toFixed(4)})`, transformOrigin: '0 50%' }}>{item.text}</span>
      </div>
    );
  }
  const fontSize = fitParagraph(item.text, box);
  return (
    <div className="tx-item tx-paragraph" data-id={item.id} lang={item.language} style={{ ...base, fontSize, lineHeight: 1.2, padding: fontSize * 0.1 }} {...events}>
      {item.text}
    </div>
  );
}

/**
 * Draws the chosen layer's text over its regions. One container carries OpenSeadragon's current
 * world→screen transform (zoom, pan, rotation), so every line stays aligned at every frame and in
 * book view (each canvas placed by Mirador's CanvasWorld). Lives inside the viewer's canvas element,
 * so the mouse wheel still zooms; presses on selectable text are kept from starting a pan.
 */
export function TranscriptOverlay({ viewer, canvasWorld, items, focusItem, settings, setFocus }: TranscriptOverlayProps) {
  const layer = useRef<HTMLDivElement>(null);
  const update = useRef(() => {});

  update.current = () => {
    if (viewer && layer.current) layer.current.style.transform = cssMatrix(affineFromProjection(projectionOf(viewer)));
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

  useEffect(() => {
    const el = layer.current;
    if (!el) return undefined;
    // Native listener: OpenSeadragon's tracker on the canvas element must not see presses on text.
    const stop = (e: Event) => {
      if ((e.target as Element).closest('.tx-item')) e.stopPropagation();
    };
    el.addEventListener('pointerdown', stop);
    el.addEventListener('mousedown', stop);
    return () => {
      el.removeEventListener('pointerdown', stop);
      el.removeEventListener('mousedown', stop);
    };
  });

  if (!viewer?.canvas) return null;
  const placed = (item: TranscriptItem) => {
    const p = item.box && placementOf(canvasWorld, item.canvasId);
    return p && item.box ? canvasToWorld(item.box, p) : null;
  };
  const focusBox = focusItem && placed(focusItem);

  return createPortal(
    <div
      className="tx-overlay"
      data-mode={settings.mode}
      data-layer={settings.layer}
      style={{ position: 'absolute', inset: 0, overflow: 'hidden', pointerEvents: 'none', zIndex: 2 }}
    >
      <div ref={layer} className="tx-layer" style={{ position: 'absolute', left: 0, top: 0, width: 0, height: 0, transformOrigin: '0 0' }}>
        {settings.mode !== 'off' &&
          items.map((item) => {
            const box = placed(item);
            return box && <ItemText key={item.id} item={item} box={box} settings={settings} setFocus={setFocus} />;
          })}
        {focusBox && (
          <div
            className="tx-focus"
            aria-hidden="true"
            style={{ ...boxStyle(focusBox), boxSizing: 'border-box', border: `${Math.max(4, focusBox.h * 0.06)}px solid #d08000`, background: 'rgba(255, 196, 0, 0.18)' }}
          />
        )}
      </div>
    </div>,
    viewer.canvas,
  );
}
