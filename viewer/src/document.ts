import copy from 'copy-to-clipboard';
import { wireReadingLinks } from './reading-links.js';
import { start } from './start.js';
import type { ViewChange } from './url-sync.js';
import './page.css';

/**
 * The document page around the viewer: the current leaf's download link follows the viewer, the
 * embed snippet copies, the IIIF logo drags a content state (recipe 0599), and choosing the other
 * interface language reloads the page so its own text follows.
 */
function wirePage(language: string) {
  const download = document.querySelector<HTMLAnchorElement>('#download-leaf');
  const template = download?.dataset.template;
  addEventListener('viewer:view', (e) => {
    const { view, language: chosen } = (e as CustomEvent<ViewChange>).detail;
    if (chosen !== language) {
      location.reload();
      return;
    }
    const leaf = document.querySelector<HTMLElement>(`[data-image][data-canvas="${CSS.escape(view.canvasId)}"]`)?.dataset.image;
    if (download && template && leaf) download.href = template.replace('{image}', encodeURIComponent(leaf));
    document.querySelectorAll<HTMLAnchorElement>('a[data-lang-switch]').forEach((a) => {
      const url = new URL(location.href);
      url.searchParams.set('lang', a.dataset.langSwitch ?? 'ru');
      a.href = url.toString();
    });
  });
  document.querySelectorAll<HTMLButtonElement>('button[data-copy]').forEach((button) => {
    button.addEventListener('click', () => {
      const source = document.getElementById(button.dataset.copy ?? '') as HTMLTextAreaElement | null;
      if (source && copy(source.value)) button.textContent = button.dataset.done ?? button.textContent;
    });
  });
  const logo = document.querySelector<HTMLAnchorElement>('#iiif-drag');
  logo?.addEventListener('dragstart', (e) => {
    const state = logo.dataset.contentState;
    if (state) e.dataTransfer?.setData('text/plain', state);
  });
}

void start().then(({ instance, page, windowId }) => {
  wirePage(page.language);
  wireReadingLinks(instance, windowId);
});
