import { describe, expect, it } from 'vitest';
import { leafStatus } from '../src/leaf-status/leaf-status.js';
import { canvas, manifestId, miradorState } from './fixtures.js';

const labelled = (lang: string) => {
  const state = miradorState({ config: { language: lang } });
  const items = ['43', '44', '45'].map((n) => ({ id: canvas(`l${n}`), type: 'Canvas', label: { ru: [`л. ${n}`], en: [`l. ${n}`] } }));
  state.manifests[manifestId] = { json: { id: manifestId, type: 'Manifest', items } };
  return state;
};

describe('the leaf a window shows, for its accessible name and announcement', () => {
  it('gives the leaf label in the interface language and its place among the leaves', () => {
    const state = labelled('ru');
    state.windows.w1 = { ...state.windows.w1, canvasId: canvas('l44'), visibleCanvases: [canvas('l44')] };
    expect(leafStatus(state, 'w1', 'ru')).toEqual({ label: 'л. 44', index: 2, total: 3 });
    expect(leafStatus(state, 'w1', 'en')).toEqual({ label: 'l. 44', index: 2, total: 3 });
  });

  it('names both leaves of a book-view spread', () => {
    const state = labelled('en');
    state.windows.w1 = { ...state.windows.w1, canvasId: canvas('l44'), visibleCanvases: [canvas('l44'), canvas('l45')] };
    expect(leafStatus(state, 'w1', 'en')).toEqual({ label: 'l. 44, l. 45', index: 2, total: 3 });
  });

  it('has nothing to say before the manifest is loaded', () => {
    expect(leafStatus(miradorState({ manifests: {} }), 'w1', 'ru')).toBeNull();
  });
});
