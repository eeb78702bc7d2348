import { OSDReferences, viewer, type MiradorInstance, type OsdViewer } from 'mirador';
import type { Json } from './content-state.js';
import { patchMiradorAria } from './aria-patches.js';
import { citePlugin } from './cite/index.js';
import { retireFirstLeaf } from './first-leaf.js';
import { downloadPlugin } from './downloads/index.js';
import { leafStatusPlugin } from './leaf-status/index.js';
import { shortcutsPlugin } from './shortcuts/index.js';
import { miradorConfig } from './mirador-config.js';
import { readPageConfig, type PageConfig } from './page-config.js';
import { runSearchWhenReady } from './search-query.js';
import { startView } from './startup.js';
import { transcriptOverlayPlugin } from './transcript-overlay/index.js';
import { transcriptPanelPlugin } from './transcript-panel/index.js';
import { syncUrl } from './url-sync.js';
import { viewerBounds } from './viewer-bounds.js';
import './viewer.css';

const fetchJson = async (url: string): Promise<Json> => {
  const res = await fetch(url, { headers: { Accept: 'application/ld+json, application/json' } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as Json;
};

/** Boots Mirador with our plugins in `#viewer`, from the page's JSON config and the URL. */
export async function start(): Promise<{ instance: MiradorInstance; page: PageConfig; windowId: () => string | undefined }> {
  const page = readPageConfig(document);
  const view = await startView(location.search, page, navigator.languages, fetchJson);
  if (view.problem) document.getElementById('viewer-problem')?.replaceChildren(view.problem);
  const config = {
    ...miradorConfig({ elementId: 'viewer', embedded: page.embedded, reducedMotion: matchMedia('(prefers-reduced-motion: reduce)').matches, narrow: matchMedia('(max-width: 640px)').matches, ...view }),
    transcriptLinks: { pageUrl: page.pageUrl, defaultManifest: page.manifestId },
    ...(page.citation && { citation: page.citation }),
  };
  const instance = viewer(config, [...transcriptOverlayPlugin, ...transcriptPanelPlugin, ...leafStatusPlugin, ...citePlugin, ...downloadPlugin, ...shortcutsPlugin]);
  const root = document.getElementById('viewer');
  if (root) patchMiradorAria(root);
  const windowId = () => {
    const state = instance.store.getState() as { windows: Record<string, unknown> };
    return Object.keys(state.windows)[0];
  };
  syncUrl(instance.store, windowId, viewerBounds, window);
  retireFirstLeaf(() => OSDReferences.get(windowId() ?? '')?.current);
  if (view.searchQuery) runSearchWhenReady(instance.store, windowId, view.searchQuery);
  // Exposed for the browser tests and the benchmark (read-only use).
  Object.assign(window, {
    mirador: instance,
    miradorOsd: (): OsdViewer | null | undefined => OSDReferences.get(windowId() ?? '')?.current,
  });
  return { instance, page, windowId };
}
