import { describe, expect, it } from 'vitest';
import type { PageConfig } from '../src/page-config.js';
import { searchQueryOf, startView } from '../src/startup.js';

const page: PageConfig = {
  manifestId: 'https://iiif.example.org/iiif/presentation/3/doc/manifest',
  pageUrl: 'https://iiif.example.org/',
  language: 'en',
  embedded: false,
};
const noFetch = () => Promise.reject(new Error('no fetch expected'));

describe('?q= on the document page', () => {
  it('opens with the search the URL asks for', async () => {
    const view = await startView(`?q=${encodeURIComponent('"38 параллели"')}&lang=en`, page, [], noFetch);
    expect(view.searchQuery).toBe('"38 параллели"');
    expect(view.manifestId).toBe(page.manifestId);
  });

  it('keeps it beside a canvas or a content state', async () => {
    const canvas = 'https://iiif.example.org/iiif/presentation/3/doc/canvas/l44';
    const view = await startView(`?canvas=${encodeURIComponent(canvas)}&q=Kaesong`, page, [], noFetch);
    expect(view).toMatchObject({ canvasId: canvas, searchQuery: 'Kaesong' });
  });

  it('opens no search without q, or with an empty one', async () => {
    expect((await startView('?lang=ru', page, [], noFetch)).searchQuery).toBeUndefined();
    expect((await startView('?q=%20%20', page, [], noFetch)).searchQuery).toBeUndefined();
  });

  it('drops the characters that would break the search URL Mirador builds (search ignores them anyway)', () => {
    expect(searchQueryOf(new URLSearchParams({ q: 'war & peace #1 100% a+b' }))).toBe('war peace 1 100 a b');
    expect(searchQueryOf(new URLSearchParams({ q: 'я'.repeat(600) }))).toHaveLength(500);
  });
});
