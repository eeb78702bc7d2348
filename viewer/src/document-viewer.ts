import copy from 'copy-to-clipboard';
import type { UiLanguage } from './locale.js';
import type { PageConfig } from './page-config.js';
import { wireReadingLinks } from './reading-links.js';
import { start } from './start.js';
import type { ViewChange } from './url-sync.js';

/**
 * The document page around the viewer: the current leaf's download link follows the viewer, the
 * embed snippet copies, the IIIF logo drags a content state (recipe 0599), and choosing the other
 * interface language reloads the page so its own text follows.
 */
function wirePage({ language, languageUrls }: PageConfig) {
  const download = document.querySelector<HTMLAnchorElement>('#download-leaf');
  const template = download?.dataset.template;
  addEventListener('viewer:view', (e) => {
    const { view, language: chosen } = (e as CustomEvent<ViewChange>).detail;
    if (chosen !== language) {
      const other = languageUrls?.[chosen as UiLanguage];
      if (other) location.assign(inOtherFile(other, location));
      else location.reload();
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

/** The page in another language's file, at the same view (its query less `lang`: the file says it). */
export function inOtherFile(file: string, here: { search: string; hash: string }): string {
  const url = new URL(file);
  const params = new URLSearchParams(here.search);
  params.delete('lang');
  url.search = params.toString();
  url.hash = here.hash;
  return url.toString();
}

/** Starts the viewer on the document page and wires the page around it. */
export async function run(): Promise<void> {
  const { instance, page, windowId } = await start();
  wirePage(page);
  wireReadingLinks(instance, windowId);
}
