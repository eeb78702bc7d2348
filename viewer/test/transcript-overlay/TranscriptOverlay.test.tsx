// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OsdViewer } from 'mirador';
import { itemsFromAnnotationPage } from '../../src/annotations.js';
import { defaultSettings } from '../../src/selectors.js';
import { fitParagraph } from '../../src/text-fit.js';
import { TranscriptOverlay } from '../../src/transcript-overlay/TranscriptOverlay.js';
import { canvas, ruPage, enPage } from '../fixtures.js';

/** An OpenSeadragon stand-in: a zoom `z` and a pan, applied as pixelFromPoint does. */
function fakeViewer(z: number, dx: number, dy: number) {
  const handlers = new Map<string, (() => void)[]>();
  const element = document.createElement('div');
  const canvasEl = document.createElement('div');
  element.append(canvasEl);
  document.body.append(element);
  const state = { z, dx, dy };
  const point = (x: number, y: number) => ({ x, y, clone: () => point(x, y) });
  const viewer = {
    element,
    canvas: canvasEl,
    world: { getItemCount: () => 1 },
    viewport: {
      getCenter: () => point(0, 0),
      pixelFromPoint: (p: { x: number; y: number }) => point(p.x * state.z + state.dx, p.y * state.z + state.dy),
      getBounds: () => ({ x: 0, y: 0, width: 1, height: 1, clone: () => ({ x: 0, y: 0, width: 1, height: 1 }) }),
      fitBounds: vi.fn(),
    },
    addHandler: (e: string, h: () => void) => handlers.set(e, [...(handlers.get(e) ?? []), h]),
    removeHandler: (e: string, h: () => void) => handlers.set(e, (handlers.get(e) ?? []).filter((x) => x !== h)),
  };
  const fire = (e: string) => handlers.get(e)?.forEach((h) => h());
  return { viewer: viewer as unknown as OsdViewer, state, fire, handlers };
}

const ru = itemsFromAnnotationPage(ruPage);
const en = itemsFromAnnotationPage(enPage);
/** Book view as Mirador's CanvasWorld lays it out: l43 at the origin, l44 to its right at half scale. */
const world = {
  canvases: [
    { id: canvas('l43'), getWidth: () => 3300 },
    { id: canvas('l44'), getWidth: () => 3300 },
  ],
  canvasToWorldCoordinates: (id: string) => (id === canvas('l44') ? [3300, 0, 1650, 2350] : [0, 0, 3300, 4700]),
};

afterEach(cleanup);

describe('TranscriptOverlay (unconnected, with a stand-in viewer)', () => {
  it('draws each line, with lang, inside the viewer’s canvas element, at its box in screen pixels', () => {
    const { viewer } = fakeViewer(0.5, 10, 20);
    render(<TranscriptOverlay viewer={viewer} canvasWorld={world} items={ru} focusItem={null} settings={defaultSettings} setFocus={() => {}} />);
    const lines = viewer.canvas.querySelectorAll<HTMLElement>('.tx-item');
    expect([...lines].map((l) => l.textContent)).toEqual(ru.map((l) => l.text));
    expect([...lines].every((l) => l.getAttribute('lang') === 'ru')).toBe(true);
    const first = lines[0]!;
    // Box 300,400,900,60 at zoom 0.5 and pan (10, 20): 450 × 30 px at (160, 220).
    expect(first.style.width).toBe('450px');
    expect(first.style.height).toBe('30px');
    expect(first.style.transform).toBe('matrix(1,0,0,1,160,220)');
    expect(Number.parseFloat(first.style.fontSize)).toBeCloseTo(24, 5);
  });

  it('places each canvas’s text where the canvas world puts that canvas (book view)', () => {
    const { viewer } = fakeViewer(1, 0, 0);
    const onL44 = ru.map((l) => ({ ...l, id: `${l.id}-l44`, canvasId: canvas('l44') }));
    const elsewhere = { ...ru[0]!, id: 'not-in-world', canvasId: canvas('l45') };
    render(<TranscriptOverlay viewer={viewer} canvasWorld={world} items={[ru[0]!, onL44[0]!, elsewhere]} focusItem={null} settings={defaultSettings} setFocus={() => {}} />);
    const [onLeft, onRight, ...rest] = viewer.canvas.querySelectorAll<HTMLElement>('.tx-item');
    expect(rest).toHaveLength(0);
    expect(onLeft!.style.transform).toBe('matrix(1,0,0,1,300,400)');
    // Box 300,400,900,60 on l44 (x 3300, scale 0.5): 450 × 30 at (3450, 200).
    expect(onRight!.dataset.id).toBe(onL44[0]!.id);
    expect(onRight!.style.width).toBe('450px');
    expect(onRight!.style.height).toBe('30px');
    expect(onRight!.style.transform).toBe('matrix(1,0,0,1,3450,200)');
  });

  it('follows the viewport: a zoom event moves and resizes every line', () => {
    const { viewer, state, fire } = fakeViewer(0.5, 0, 0);
    render(<TranscriptOverlay viewer={viewer} canvasWorld={world} items={ru} focusItem={null} settings={defaultSettings} setFocus={() => {}} />);
    state.z = 2;
    state.dx = -100;
    act(() => fire('animation'));
    const first = viewer.canvas.querySelector<HTMLElement>('.tx-item')!;
    expect(first.style.width).toBe('1800px');
    expect(first.style.transform).toBe('matrix(1,0,0,1,500,800)');
  });

  it('draws nothing when off, legible text when visible, transparent selectable text when selectable', () => {
    const { viewer } = fakeViewer(1, 0, 0);
    const props = { viewer, canvasWorld: world, items: ru, focusItem: null, setFocus: () => {} };
    const { rerender } = render(<TranscriptOverlay {...props} settings={{ ...defaultSettings, mode: 'off' }} />);
    expect(viewer.canvas.querySelectorAll('.tx-item')).toHaveLength(0);
    rerender(<TranscriptOverlay {...props} settings={{ ...defaultSettings, mode: 'visible', opacity: 0.4 }} />);
    const visible = viewer.canvas.querySelector<HTMLElement>('.tx-item')!;
    expect(visible.style.pointerEvents).toBe('none');
    expect(visible.style.background).toContain('0.4');
    rerender(<TranscriptOverlay {...props} settings={{ ...defaultSettings, mode: 'selectable' }} />);
    const selectable = viewer.canvas.querySelector<HTMLElement>('.tx-item')!;
    expect(selectable.style.color).toBe('transparent');
    expect(selectable.style.pointerEvents).toBe('auto');
    expect(selectable.style.userSelect).toBe('text');
  });

  it('wraps a translation paragraph in its region, at the size that fills it, and highlights the focused item', () => {
    const { viewer } = fakeViewer(0.5, 0, 0);
    render(<TranscriptOverlay viewer={viewer} canvasWorld={world} items={en} focusItem={ru[1]!} settings={{ ...defaultSettings, layer: 'en' }} setFocus={() => {}} />);
    const paragraphs = viewer.canvas.querySelectorAll<HTMLElement>('.tx-paragraph');
    expect([...paragraphs].map((p) => p.textContent)).toEqual(en.map((p) => p.text));
    const paragraph = paragraphs[1]!;
    expect(paragraph.getAttribute('lang')).toBe('en');
    // Box 300,520,2400,130 at zoom 0.5: 1200 × 65 px, the font fitted in world units and zoomed with it.
    expect(paragraph.style.width).toBe('1200px');
    expect(paragraph.style.height).toBe('65px');
    expect(paragraph.style.transform).toBe('matrix(1,0,0,1,150,260)');
    expect(Number.parseFloat(paragraph.style.fontSize)).toBeCloseTo(fitParagraph(en[1]!.text, en[1]!.box!) * 0.5, 5);
    expect(paragraph.style.whiteSpace).not.toBe('nowrap');
    const focus = viewer.canvas.querySelector<HTMLElement>('.tx-focus')!;
    expect(focus.style.width).toBe('1200px');
    expect(focus.style.transform).toBe('matrix(1,0,0,1,150,260)');
  });

  it('reports hovering over selectable text, but not while a button is held (a selection)', () => {
    const { viewer } = fakeViewer(1, 0, 0);
    const setFocus = vi.fn();
    render(<TranscriptOverlay viewer={viewer} canvasWorld={world} items={ru} focusItem={null} settings={{ ...defaultSettings, mode: 'selectable' }} setFocus={setFocus} />);
    const line = viewer.canvas.querySelector<HTMLElement>('.tx-item')!;
    line.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, buttons: 0 }));
    expect(setFocus).toHaveBeenCalledWith(ru[0]!.id);
    setFocus.mockClear();
    line.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, buttons: 1 }));
    expect(setFocus).not.toHaveBeenCalled();
  });

  it('keeps presses on text from the viewer (they select, not pan), across re-renders and a late viewer', () => {
    const { viewer } = fakeViewer(1, 0, 0);
    const reached = vi.fn();
    viewer.canvas.addEventListener('pointerdown', reached);
    const props = { canvasWorld: world, items: ru, focusItem: null, settings: { ...defaultSettings, mode: 'selectable' as const }, setFocus: () => {} };
    const { rerender } = render(<TranscriptOverlay {...props} viewer={null} />);
    rerender(<TranscriptOverlay {...props} viewer={viewer} />);
    rerender(<TranscriptOverlay {...props} viewer={viewer} settings={{ ...props.settings, opacity: 0.5 }} />);
    const press = (el: Element) => el.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    press(viewer.canvas.querySelector('.tx-item span, .tx-item')!);
    expect(reached).not.toHaveBeenCalled();
    press(viewer.canvas.querySelector('.tx-layer')!);
    expect(reached).toHaveBeenCalledTimes(1);
  });

  it('unhooks from the viewer when unmounted', () => {
    const { viewer, handlers } = fakeViewer(1, 0, 0);
    const { unmount } = render(<TranscriptOverlay viewer={viewer} canvasWorld={world} items={ru} focusItem={null} settings={defaultSettings} setFocus={() => {}} />);
    expect(handlers.get('animation')).toHaveLength(1);
    unmount();
    expect(handlers.get('animation')).toHaveLength(0);
  });
});
