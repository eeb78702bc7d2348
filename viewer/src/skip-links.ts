import { addOrUpdateCompanionWindow, updateWindow, type MiradorInstance } from 'mirador';
import { focusViewer } from './reading-links.js';

/**
 * Focuses the first element matching `selector` as soon as it can take focus (within `timeoutMs`):
 * a side panel is rendered hidden and slides in, and hidden elements refuse focus.
 */
function focusWhenRendered(selector: string, timeoutMs = 5000): void {
  const until = performance.now() + timeoutMs;
  const attempt = () => {
    const el = document.querySelector<HTMLElement>(selector);
    el?.focus();
    if ((!el || document.activeElement !== el) && performance.now() < until) requestAnimationFrame(attempt);
  };
  attempt();
}

/**
 * The embed's skip links once the viewer runs. The embed has no reading view, so "skip to the
 * document text" opens the transcript panel (the leaf's Russian lines beside the English
 * translation) and focuses its line list; "skip to the viewer" lands before zoom and the leaf
 * buttons. Before the viewer runs, the first is a plain link to the text on the document page.
 */
export function wireEmbedSkipLinks(instance: MiradorInstance, windowId: () => string | undefined): void {
  document.querySelector('a[data-skip="viewer"]')?.addEventListener('click', (e) => {
    if (focusViewer()) e.preventDefault();
  });
  document.querySelector('a[data-skip="transcript"]')?.addEventListener('click', (e) => {
    const id = windowId();
    if (!id) return;
    e.preventDefault();
    instance.store.dispatch(updateWindow(id, { sideBarOpen: true }));
    instance.store.dispatch(addOrUpdateCompanionWindow(id, { content: 'transcript', position: 'left' }));
    // The panel's one Tab stop (roving focus): its current line.
    focusWhenRendered('#viewer .tx-panel [tabindex="0"]');
  });
}
