import { describe, expect, it, vi } from 'vitest';
import { encodeContentState, type Json } from '../src/content-state.js';
import type { PageConfig } from '../src/page-config.js';
import { startView } from '../src/startup.js';

const page: PageConfig = {
  manifestId: 'https://ex.org/iiif/presentation/3/doc/manifest',
  pageUrl: 'https://ex.org/',
  language: 'ru',
  embedded: false,
};
const canvas = 'https://ex.org/iiif/presentation/3/doc/canvas/l44';
const noFetch = () => Promise.reject(new Error('no network in this test'));

describe('startView: what the page opens', () => {
  it('opens our manifest at its start, in the page language', async () => {
    expect(await startView('', page, ['en-US'], noFetch)).toEqual({ manifestId: page.manifestId, language: 'ru' });
  });

  it('follows ?lang= over the page and the browser', async () => {
    expect((await startView('?lang=en', page, ['ru'], noFetch)).language).toBe('en');
    expect((await startView('?lang=xx', { ...page, language: 'en' }, ['ru'], noFetch)).language).toBe('en');
  });

  it('restores a deep link (?canvas=…&xywh=…), ignoring a malformed region', async () => {
    expect(await startView(`?canvas=${encodeURIComponent(canvas)}&xywh=10,20,300,40`, page, [], noFetch)).toMatchObject({
      canvasId: canvas,
      xywh: { x: 10, y: 20, w: 300, h: 40 },
    });
    expect(await startView(`?canvas=${encodeURIComponent(canvas)}&xywh=10,20`, page, [], noFetch)).not.toHaveProperty('xywh');
  });

  it('lets only the embed page open another manifest', async () => {
    const other = 'https://elsewhere.org/manifest.json';
    expect((await startView(`?manifest=${encodeURIComponent(other)}`, page, [], noFetch)).manifestId).toBe(page.manifestId);
    expect((await startView(`?manifest=${encodeURIComponent(other)}`, { ...page, embedded: true }, [], noFetch)).manifestId).toBe(other);
  });

  it('prefers iiif-content over canvas and xywh', async () => {
    const state = { id: `${canvas}#xywh=1,2,3,4`, type: 'Canvas', partOf: [{ id: page.manifestId, type: 'Manifest' }] };
    const view = await startView(`?canvas=x&xywh=9,9,9,9&iiif-content=${encodeContentState(JSON.stringify(state))}`, page, [], noFetch);
    expect(view).toMatchObject({ manifestId: page.manifestId, canvasId: canvas, xywh: { x: 1, y: 2, w: 3, h: 4 } });
  });

  it('fetches a plain-URI content state and looks at what it is (§7.1)', async () => {
    const fetchJson = vi.fn(
      async (url: string): Promise<Json> =>
        url.endsWith('/manifest2') ? { id: url, type: 'Manifest' } : { type: 'Annotation', motivation: ['contentState'], target: `${canvas}#xywh=5,6,7,8` },
    );
    expect(await startView('?iiif-content=https://ex.org/manifest2', page, [], fetchJson)).toMatchObject({ manifestId: 'https://ex.org/manifest2' });
    expect(await startView('?iiif-content=https://ex.org/state.json', page, [], fetchJson)).toMatchObject({ canvasId: canvas, xywh: { x: 5, y: 6, w: 7, h: 8 } });
  });

  it('says what was wrong with a bad content state and opens the default view', async () => {
    const view = await startView('?iiif-content=abcde', page, [], noFetch);
    expect(view).toMatchObject({ manifestId: page.manifestId });
    expect(view.problem).toMatch(/iiif-content/);
    expect((await startView('?iiif-content=https://ex.org/gone', page, [], noFetch)).problem).toMatch(/no network/);
  });
});
