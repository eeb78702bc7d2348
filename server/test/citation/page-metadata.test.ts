import { Window } from 'happy-dom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchivalDocument } from '../../src/document/model.js';
import { documentPage } from '../../src/viewer/document-page.js';
import type { PageLanguage } from '../../src/viewer/language.js';
import { pageLinks } from '../../src/viewer/links.js';
import { realDocument } from '../presentation/real-data.js';

const base = 'https://iiif.example.org/cable';
const assets = { script: '/viewer/assets/document.js', styles: [], preload: [], icon: '/viewer/iiif-logo.svg' };
const citeRoot = `${base}/documents/rgaspi-f558-op11-d340-l43-45`;

let doc: ArchivalDocument;
beforeAll(async () => {
  doc = await realDocument();
});

/** The document page as software that reads pages sees it: parsed HTML. */
function pageOf(lang: PageLanguage, d: ArchivalDocument = doc) {
  const html = documentPage({ doc: d, lang, links: pageLinks(base, d), assets });
  const window = new Window();
  window.document.write(html);
  const document = window.document;
  const meta = (name: string) => [...document.querySelectorAll(`meta[name="${name}"]`)].map((m) => m.getAttribute('content'));
  const jsonLd = () => {
    const blocks = [...document.querySelectorAll('script[type="application/ld+json"]')];
    expect(blocks).toHaveLength(1);
    return JSON.parse(blocks[0]!.textContent ?? '') as { '@context': string; '@graph': Record<string, any>[] };
  };
  return { html, document, meta, jsonLd };
}

describe('the document page’s Highwire Press citation tags', () => {
  it.each([
    ['en', 'Cable No. 21756, Mao Zedong to Cde. Filippov [Stalin]', 'Mao Zedong'],
    ['ru', 'Шифртелеграмма № 21756, Мао Цзэдун — т. Филиппову [Сталину]', 'Мао Цзэдун'],
  ] as const)('give the %s version’s title, author, language and the date', (lang, title, author) => {
    const { meta } = pageOf(lang);
    expect(meta('citation_title')).toEqual([title]);
    expect(meta('citation_author')).toEqual([author]);
    expect(meta('citation_publication_date')).toEqual(['1951/07/13']);
    expect(meta('citation_date')).toEqual(['1951/07/13']);
    expect(meta('citation_language')).toEqual([lang]);
    // No PDF is published yet.
    expect(meta('citation_pdf_url')).toEqual([]);
  });
});

describe('the document page’s links to its citation', () => {
  it('names the page as the URL to cite and links the three citation files, in the head and for the reader', () => {
    const { document } = pageOf('en');
    expect(document.querySelector('link[rel="cite-as"]')?.getAttribute('href')).toBe(`${base}/`);
    const described = [...document.querySelectorAll('link[rel~="describedby"]')].map((l) => [l.getAttribute('type'), l.getAttribute('href')]);
    expect(described).toEqual([
      ['application/x-bibtex', `${citeRoot}/cite.bib`],
      ['application/x-research-info-systems', `${citeRoot}/cite.ris`],
      ['application/vnd.citationstyles.csl+json', `${citeRoot}/cite.json`],
    ]);
    const downloads = [...document.querySelectorAll('.cite-files a[download]')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(downloads).toEqual([
      ['BibTeX', `${citeRoot}/cite.bib`],
      ['RIS', `${citeRoot}/cite.ris`],
      ['CSL-JSON', `${citeRoot}/cite.json`],
    ]);
  });
});

describe('the document page’s schema.org JSON-LD', () => {
  it('describes the original as an archival component held by the archive, inside delo → opis → fond', () => {
    const [original] = pageOf('en').jsonLd()['@graph'];
    expect(original).toMatchObject({
      '@type': ['ArchiveComponent', 'Message'],
      '@id': `${base}/#original`,
      name: 'Шифртелеграмма № 21756, Мао Цзэдун — т. Филиппову [Сталину]',
      inLanguage: 'ru',
      dateCreated: '1951-07-13',
      genre: 'шифртелеграмма',
      creator: [{ name: 'Мао Цзэдун' }],
      recipient: [{ name: 'Филиппов [Сталин]' }],
      identifier: ['РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43–45.', 'RGASPI, f. 558, op. 11, d. 340, ll. 43–45'],
      url: `${base}/`,
      license: 'http://rightsstatements.org/vocab/CNE/1.0/',
    });
    expect(original!.holdingArchive).toEqual({
      '@type': 'ArchiveOrganization',
      name: expect.arrayContaining([
        { '@value': 'Russian State Archive of Socio-Political History (RGASPI)', '@language': 'en' },
        { '@value': 'Российский государственный архив социально-политической истории (РГАСПИ)', '@language': 'ru' },
      ]),
    });
    const chain: string[] = [];
    for (let unit = original!.isPartOf; unit; unit = unit.isPartOf) {
      expect(unit['@type']).toBe('ArchiveComponent');
      chain.push(unit.name.find((n: { '@language': string }) => n['@language'] === 'en')['@value']);
    }
    expect(chain).toEqual(['RGASPI, f. 558, op. 11, d. 340', 'RGASPI, f. 558, op. 11', 'RGASPI, f. 558']);
  });

  it('links the original and the English translation both ways', () => {
    const [original, translation] = pageOf('ru').jsonLd()['@graph'];
    expect(translation).toMatchObject({
      '@type': 'CreativeWork',
      '@id': `${base}/#translation-en`,
      name: 'Cable No. 21756, Mao Zedong to Cde. Filippov [Stalin]',
      inLanguage: 'en',
      translator: [{ name: 'Gary Goldberg' }],
      translationOfWork: { '@id': original!['@id'] },
    });
    expect(original!.workTranslation).toEqual([{ '@id': translation!['@id'] }]);
  });

  it('cannot end its script element, whatever the record says, and parses back to what it says', () => {
    const title = '</script><script>alert(1)</script><!--';
    const hostile = { ...doc, record: { ...doc.record, title: { ru: [title], en: [title] } } };
    const { html, jsonLd, meta } = pageOf('en', hostile);
    expect(html).not.toContain('<script>alert(1)');
    expect(jsonLd()['@graph'][0]!.name).toBe(title);
    expect(meta('citation_title')).toEqual([title]);
  });
});
