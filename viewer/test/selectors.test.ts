import { describe, expect, it } from 'vitest';
import {
  alignRows,
  getCanvasesWithoutAnnotations,
  getCanvasItems,
  getItemsInView,
  getLayerItems,
  getTranscriptSettings,
  getViewState,
  placements,
} from '../src/selectors.js';
import { itemsFromAnnotationPage } from '../src/annotations.js';
import { canvas, enPage, manifestId, miradorState, ruPage } from './fixtures.js';

describe('transcript selectors over Mirador state', () => {
  it('merges the window options over the defaults', () => {
    expect(getTranscriptSettings(miradorState(), 'w1')).toEqual({ mode: 'visible', layer: 'ru', opacity: 0.75 });
    const state = miradorState();
    state.windows.w1 = { ...state.windows.w1, transcriptOverlay: { layer: 'en' } };
    expect(getTranscriptSettings(state, 'w1')).toEqual({ mode: 'visible', layer: 'en', opacity: 0.75 });
  });

  it('returns the chosen layer of the visible canvases, as the same array until the annotations change', () => {
    const state = miradorState();
    const ru = getLayerItems(state, 'w1', 'ru');
    expect(ru.map((i) => i.language)).toEqual(['ru', 'ru', 'ru']);
    expect(getLayerItems(state, 'w1', 'en').map((i) => i.text)).toEqual(['Comrade Filippov!', expect.stringContaining('Concerning')]);
    expect(getLayerItems({ ...state }, 'w1', 'ru')).toBe(ru);
    const moved = miradorState({ annotations: {} });
    expect(getLayerItems(moved, 'w1', 'ru')).toEqual([]);
  });

  it('follows the canvas: another leaf shows its own (here: no) text', () => {
    const state = miradorState();
    state.windows.w1 = { ...state.windows.w1, canvasId: canvas('l44'), visibleCanvases: [canvas('l44')] };
    expect(getLayerItems(state, 'w1', 'ru')).toEqual([]);
  });

  it('takes from a canvas’s annotation pages only the items that target that canvas', () => {
    const state = miradorState();
    const stray = {
      id: 'https://example.org/stray',
      type: 'AnnotationPage',
      items: [
        { id: 'on-l44', type: 'Annotation', motivation: 'supplementing', body: { type: 'TextualBody', value: 'elsewhere', language: 'ru' }, target: `${canvas('l44')}#xywh=1,2,3,4` },
        { id: 'on-l43', type: 'Annotation', motivation: 'supplementing', body: { type: 'TextualBody', value: 'here', language: 'ru' }, target: `${canvas('l43')}#xywh=1,2,3,4` },
      ],
    };
    state.annotations[canvas('l43')] = { ...state.annotations[canvas('l43')], [stray.id]: { json: stray } };
    const items = getCanvasItems(state, canvas('l43'));
    expect(items.map((i) => i.id)).toContain('on-l43');
    expect(items.map((i) => i.id)).not.toContain('on-l44');
    expect(items.every((i) => i.canvasId === canvas('l43'))).toBe(true);
  });

  it('names visible canvases whose annotations were never requested (book view’s second leaf)', () => {
    const state = miradorState();
    expect(getCanvasesWithoutAnnotations(state, 'w1')).toEqual([]);
    state.windows.w1 = { ...state.windows.w1, visibleCanvases: [canvas('l44'), canvas('l45')] };
    expect(getCanvasesWithoutAnnotations(state, 'w1')).toEqual([canvas('l44'), canvas('l45')]);
  });

  it('lists the items whose regions are in the viewer', () => {
    const state = miradorState();
    const items = getLayerItems(state, 'w1', 'ru');
    // Bounds y 350–650 cover every line; narrowing them to 350–500 leaves only the first.
    expect(getItemsInView(state, 'w1', items, { x: 200, y: 350, w: 1200, h: 300 })).toHaveLength(3);
    expect(getItemsInView(state, 'w1', items, { x: 0, y: 350, w: 1000, h: 150 }).map((id) => id.split('/').pop())).toEqual(['b1l1']);
    expect(getItemsInView(state, 'w1', items, null)).toEqual([]);
  });

  it('describes the view for deep links: leaf and the region in view, clamped to the canvas', () => {
    const state = miradorState();
    expect(getViewState(state, 'w1', { x: 200, y: 350, w: 1200, h: 300 })).toEqual({ manifestId, canvasId: canvas('l43'), xywh: { x: 200, y: 350, w: 1200, h: 300 } });
    expect(getViewState(state, 'w1', { x: -500, y: -100, w: 4300, h: 6000 })?.xywh).toEqual({ x: 0, y: 0, w: 3300, h: 4700 });
    expect(getViewState(state, 'w1', null)?.xywh).toBeNull();
    expect(getViewState(miradorState({ windows: {} }), 'w1', null)).toBeNull();
  });

  it('places book-view canvases side by side at a common height, like Mirador', () => {
    const p = placements([
      { id: 'a', width: 3300, height: 4700 },
      { id: 'b', width: 1650, height: 2350 },
    ]);
    expect(p.get('a')).toEqual({ x: 0, y: 0, scale: 0.5 });
    expect(p.get('b')).toEqual({ x: 1650, y: 0, scale: 1 });
  });
});

describe('alignRows: the parallel text', () => {
  const ru = itemsFromAnnotationPage(ruPage);
  const en = itemsFromAnnotationPage(enPage);

  it('pairs each English paragraph with the Russian lines inside its region, in reading order', () => {
    const rows = alignRows(ru, en);
    expect(rows.map((r) => [r.ru.map((l) => l.text), r.en.map((p) => p.text.slice(0, 10))])).toEqual([
      [['Товарищ Филиппов!'], ['Comrade Fi']],
      [['Что касается переговоров о прекращении', 'военных действий в Корее, то в ходе двух'], ['Concerning']],
    ]);
  });

  it('keeps Russian lines no paragraph covers in rows of their own', () => {
    const second = en[1]!;
    const rows = alignRows(ru, [second]);
    expect(rows).toEqual([
      { ru: [ru[0]], en: [] },
      { ru: [ru[1], ru[2]], en: [second] },
    ]);
  });

  it('puts a second paragraph over the same lines in the row of the first', () => {
    const [greeting, body] = en;
    const note = { ...body!, id: 'p2-note', text: 'A second English paragraph over the same lines.' };
    expect(alignRows(ru, [greeting!, body!, note])).toEqual([
      { ru: [ru[0]], en: [greeting] },
      { ru: [ru[1], ru[2]], en: [body, note] },
    ]);
  });

  it('keeps a paragraph over no Russian line after the row before it', () => {
    const [greeting, body] = en;
    const stamp = { ...body!, id: 'stamp', text: 'Stamp: deciphered', box: { x: 2000, y: 100, w: 800, h: 100 } };
    expect(alignRows(ru, [greeting!, stamp, body!])).toEqual([
      { ru: [ru[0]], en: [greeting] },
      { ru: [], en: [stamp] },
      { ru: [ru[1], ru[2]], en: [body] },
    ]);
  });

  it('puts a leaf whose translation has no regions in a single row', () => {
    expect(alignRows(ru, [])).toEqual([{ ru, en: [] }]);
    const whole = en.map((p) => ({ ...p, box: null }));
    expect(alignRows(ru, whole)).toEqual([{ ru, en: whole }]);
  });
});
