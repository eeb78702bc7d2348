import type { ArchivalDocument, Leaf } from '../document/model.js';
import { escapeHtml as e } from './html.js';
import { pick, type PageLanguage } from './language.js';
import type { PageLinks } from './links.js';
import { pageStrings } from './page-strings.js';

/** `lang="…"` for a text in `tag`, nothing when the text's language is unknown. */
const langAttr = (tag: string) => (tag ? ` lang="${e(tag)}"` : '');

/** A leaf's transcription: one paragraph per text block, one line per source line (kept by <br>). */
function transcription(leaf: Leaf): string {
  const t = leaf.transcription;
  return t.blocks
    .map((block) => {
      const lines = block.lines.map((line) => {
        const box = line.box ? ` data-xywh="${[line.box.x, line.box.y, line.box.w, line.box.h].join(',')}"` : '';
        return `<span class="rv-line" data-id="${e(line.id)}"${box}>${e(line.text)}</span>`;
      });
      return `<p data-id="${e(block.id)}">${lines.join('<br>\n')}</p>`;
    })
    .join('\n');
}

function translation(leaf: Leaf): string {
  return (leaf.translation?.paragraphs ?? []).map((p) => `<p data-id="${e(p.id)}">${e(p.text)}</p>`).join('\n');
}

/**
 * The whole text of the document in the page's HTML, leaf by leaf: the Russian transcription line
 * by line and the English translation by paragraph, each marked with its language. Readers without
 * JavaScript, screen readers in browse mode, search engines and printers get the document itself;
 * every word comes from the loaded ALTO and translation files.
 */
export function readingView(doc: ArchivalDocument, links: PageLinks, lang: PageLanguage): string {
  const s = pageStrings[lang];
  const leaves = doc.leaves.map((leaf) => {
    const label = pick(leaf.label, lang);
    const canvas = links.canvas(leaf.id);
    const viewHref = `?${new URLSearchParams({ lang, canvas })}#viewer`;
    const en = leaf.translation
      ? `
        <section class="rv-translation"${langAttr(leaf.translation.language)} aria-labelledby="rv-${e(leaf.id)}-en">
          <h4 id="rv-${e(leaf.id)}-en"${langAttr(lang)}>${e(s.translationHeading)}</h4>
          ${translation(leaf)}
        </section>`
      : '';
    return `
      <article class="rv-leaf" id="text-${e(leaf.id)}" data-canvas="${e(canvas)}" aria-labelledby="rv-${e(leaf.id)}">
        <h3 id="rv-${e(leaf.id)}">${e(label)} <a class="rv-open" href="${e(viewHref)}" data-canvas="${e(canvas)}">${e(s.showInViewer)}<span class="visually-hidden">: ${e(label)}</span></a></h3>
        <section class="rv-transcription"${langAttr(leaf.transcription.language)} aria-labelledby="rv-${e(leaf.id)}-ru">
          <h4 id="rv-${e(leaf.id)}-ru"${langAttr(lang)}>${e(s.transcriptionHeading)}</h4>
          ${transcription(leaf)}
        </section>${en}
      </article>`;
  });
  return `<section id="reading-view" class="reading-view" tabindex="-1" aria-labelledby="reading-view-title">
      <h2 id="reading-view-title">${e(s.readingView)}</h2>${leaves.join('')}
    </section>`;
}
