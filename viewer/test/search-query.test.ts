import type { MiradorStore } from 'mirador';
import { describe, expect, it, vi } from 'vitest';
import type { PageConfig } from '../src/page-config.js';
import { runSearchWhenReady } from '../src/search-query.js';
import { searchQueryOf, startView } from '../src/startup.js';

interface FakeState {
  service: { id: string } | null;
  panels: string[];
}

// Mirador's action creator and selectors, reduced to what runSearchWhenReady relies on.
vi.mock('mirador', () => ({
  fetchSearch: (windowId: string, companionWindowId: string, searchId: string, query: string) => ({
    type: 'FETCH_SEARCH',
    windowId,
    companionWindowId,
    searchId,
    query,
  }),
  getManifestSearchService: (state: FakeState) => state.service,
  getCompanionWindowIdsForPosition: (state: FakeState, { position }: { position: string }) => (position === 'left' ? state.panels : []),
}));

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

  it('keeps the query as typed, trimmed and capped at 500 characters', () => {
    expect(searchQueryOf(new URLSearchParams({ q: '  war & peace #1 100% a+b ' }))).toBe('war & peace #1 100% a+b');
    expect(searchQueryOf(new URLSearchParams({ q: 'я'.repeat(600) }))).toHaveLength(500);
  });
});

/** A Mirador store stand-in: the window's search service and left panel appear when `load` runs. */
function fakeStore() {
  const listeners = new Set<() => void>();
  let state: FakeState = { service: null, panels: [] };
  const dispatch = vi.fn();
  const store: MiradorStore = {
    getState: () => state,
    dispatch,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const load = (next: FakeState) => {
    state = next;
    for (const l of listeners) l();
  };
  return { store, dispatch, load, listeners };
}

describe('runSearchWhenReady: ?q= runs in the search panel once the manifest is loaded', () => {
  const service = 'https://iiif.example.org/iiif/search/2/doc';
  const flush = () => new Promise<void>((r) => queueMicrotask(r));

  it('waits for the service and the panel, then fetches the URL the panel itself would, once', async () => {
    const { store, dispatch, load, listeners } = fakeStore();
    const q = 'war & peace #1 100% a+b "38 параллели"';
    runSearchWhenReady(store, () => 'w1', q);
    expect(dispatch).not.toHaveBeenCalled();
    load({ service: { id: service }, panels: ['cw-search'] });
    await flush();
    expect(dispatch).toHaveBeenCalledTimes(1);
    expect(dispatch.mock.calls[0]![0]).toEqual({
      type: 'FETCH_SEARCH',
      windowId: 'w1',
      companionWindowId: 'cw-search',
      searchId: `${service}?${new URLSearchParams({ q })}`,
      query: q,
    });
    expect(listeners.size).toBe(0);
    load({ service: { id: service }, panels: ['cw-search'] });
    await flush();
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('does nothing before the window exists, and stops when told to', async () => {
    const { store, dispatch, load } = fakeStore();
    let windowId: string | undefined;
    const stop = runSearchWhenReady(store, () => windowId, 'Kaesong');
    load({ service: { id: service }, panels: ['cw-search'] });
    await flush();
    expect(dispatch).not.toHaveBeenCalled();
    stop();
    windowId = 'w1';
    load({ service: { id: service }, panels: ['cw-search'] });
    await flush();
    expect(dispatch).not.toHaveBeenCalled();
  });
});
