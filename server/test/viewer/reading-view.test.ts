import { Window } from 'happy-dom';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import type { ArchivalDocument } from '../../src/document/model.js';
import { documentPage } from '../../src/viewer/document-page.js';
import type { PageLanguage } from '../../src/viewer/language.js';
import { pageLinks } from '../../src/viewer/links.js';

// The document page carries the document itself: every leaf's transcription and translation as
// HTML, before and without any JavaScript, each passage marked with its language.

let cable: ArchivalDocument;
beforeAll(async () => {
  const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', INGEST_ON_START: 'false' });
  cable = (await loadDocuments(config.manifestsDir))[0]!;
});

function render(lang: PageLanguage): Document {
  const html = documentPage({
    doc: cable,
    lang,
    links: pageLinks('https://archive.example', cable),
    assets: { script: '/viewer/assets/document.js', styles: [], preload: [], icon: '/viewer/iiif-logo.svg' },
  });
  const window = new Window({ url: 'https://archive.example/' });
  window.document.write(html);
  return window.document as unknown as Document;
}

const langOf = (el: Element) => el.closest('[lang]')?.getAttribute('lang');
const text = (el: Element) => (el.textContent ?? '').trim();

describe('the reading view in the document page', () => {
  it('has a heading per leaf and every ALTO line of it, in order, one per line, marked Russian', () => {
    for (const lang of ['ru', 'en'] as const) {
      const doc = render(lang);
      const view = doc.querySelector('#reading-view')!;
      expect(text(view.querySelector('h2')!)).toBe(lang === 'ru' ? 'Текст документа' : 'The text of the document');
      const leaves = [...view.querySelectorAll('article.rv-leaf')];
      expect(leaves).toHaveLength(cable.leaves.length);
      cable.leaves.forEach((leaf, i) => {
        const article = leaves[i]!;
        expect(text(article.querySelector('h3')!).startsWith(leaf.label[lang]![0]!)).toBe(true);
        const blocks = [...article.querySelectorAll('.rv-transcription p')];
        expect(blocks).toHaveLength(leaf.transcription.blocks.length);
        leaf.transcription.blocks.forEach((block, b) => {
          const lines = [...blocks[b]!.querySelectorAll('.rv-line')];
          expect(lines.map(text)).toEqual(block.lines.map((l) => l.text));
          // The source's line breaks are kept.
          expect(blocks[b]!.querySelectorAll('br')).toHaveLength(block.lines.length - 1);
          for (const line of lines) expect(langOf(line)).toBe('ru');
        });
      });
    }
  });

  it('has every translation paragraph of every leaf, marked English', () => {
    const doc = render('ru');
    cable.leaves.forEach((leaf) => {
      const paragraphs = [...doc.querySelectorAll(`#text-${leaf.id} .rv-translation p`)];
      expect(paragraphs.map(text)).toEqual((leaf.translation?.paragraphs ?? []).map((p) => p.text));
      for (const p of paragraphs) expect(langOf(p)).toBe('en');
    });
  });

  it('shows no document text that is not in the loaded data', () => {
    const doc = render('en');
    const known = new Set(cable.leaves.flatMap((l) => [...l.transcription.blocks.flatMap((b) => b.lines.map((x) => x.text)), ...(l.translation?.paragraphs ?? []).map((p) => p.text)]));
    const shown = [...doc.querySelectorAll('.rv-line, .rv-translation p')].map(text);
    expect(shown.length).toBeGreaterThan(50);
    for (const s of shown) expect(known.has(s)).toBe(true);
  });

  it('marks passages in the other language: the English citation on the Russian page', () => {
    const ru = render('ru');
    expect(ru.documentElement.getAttribute('lang')).toBe('ru');
    expect(ru.querySelector('cite')!.getAttribute('lang')).toBe('en');
    // Headings of the reading view are in the page's language, over text in the document's.
    expect(langOf(ru.querySelector('.rv-translation h4')!)).toBe('ru');
    const en = render('en');
    expect(en.querySelector('cite')!.hasAttribute('lang')).toBe(false);
    expect(langOf(en.querySelector('.rv-transcription h4')!)).toBe('en');
  });

  it('starts with the skip links, to the text and to the viewer', () => {
    const doc = render('en');
    const links = [...doc.querySelectorAll('a[href]')].slice(0, 2);
    expect(links.map((a) => [text(a), a.getAttribute('href')])).toEqual([
      ['Skip to the document text', '#reading-view'],
      ['Skip to the image viewer', '#viewer'],
    ]);
    expect(doc.querySelector('#reading-view')).not.toBeNull();
    expect(doc.querySelector('#viewer')).not.toBeNull();
  });
});

describe('passages in the other language', () => {
  it('wraps a run of Latin words in Russian text (a quoted name) in lang="en", and the reverse', async () => {
    const { markOtherLanguage } = await import('../../src/viewer/language.js');
    const { escapeHtml } = await import('../../src/viewer/html.js');
    expect(markOtherLanguage('(при поддержке Leon Levy Foundation). Подлинник: РГАСПИ', 'ru', escapeHtml)).toBe(
      '(при поддержке <span lang="en">Leon Levy Foundation</span>). Подлинник: РГАСПИ',
    );
    // A single acronym or word is not a passage.
    expect(markOtherLanguage('Манифест IIIF Presentation', 'ru', escapeHtml)).toBe('Манифест <span lang="en">IIIF Presentation</span>');
    expect(markOtherLanguage('Манифест IIIF', 'ru', escapeHtml)).toBe('Манифест IIIF');
    expect(markOtherLanguage('Cde. Filippov <Stalin> wrote «Товарищ Филиппов»', 'en', escapeHtml)).toBe(
      'Cde. Filippov &#60;Stalin&#62; wrote «<span lang="ru">Товарищ Филиппов</span>»',
    );
  });
});
