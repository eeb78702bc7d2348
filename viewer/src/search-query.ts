import { fetchSearch, getCompanionWindowIdsForPosition, getManifestSearchService, type MiradorStore } from 'mirador';

/** The URL Mirador's search panel itself fetches for a query (SearchPanelControls). */
export const panelSearchUrl = (service: string, q: string) => `${service}?${new URLSearchParams({ q })}`;

/**
 * Runs `q` in the window's search panel (opened by the page config) as soon as the manifest,
 * and so its Content Search service, is loaded. Mirador's own `defaultSearchQuery` is not used:
 * it fetches `service?q=<unencoded>` and the panel then fetches `service?q=<encoded>`, which
 * Mirador 4.0 takes for two pages of one result, listing every hit twice. Sending the panel's
 * own URL makes its later fetch the same request. Returns a function that stops waiting.
 */
export function runSearchWhenReady(store: MiradorStore, windowId: () => string | undefined, q: string): () => void {
  let done = false;
  const tryRun = () => {
    const id = windowId();
    if (done || !id) return;
    const state = store.getState();
    const service = getManifestSearchService(state, { windowId: id });
    const [panel] = getCompanionWindowIdsForPosition(state, { position: 'left', windowId: id });
    if (!service || !panel) return;
    done = true;
    unsubscribe();
    store.dispatch(fetchSearch(id, panel, panelSearchUrl(service.id, q), q));
  };
  // Dispatch outside the store notification that told us the manifest arrived.
  const unsubscribe = store.subscribe(() => queueMicrotask(tryRun));
  tryRun();
  return unsubscribe;
}
