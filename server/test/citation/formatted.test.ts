import { beforeAll, describe, expect, it } from 'vitest';
import { citationFacts, type CitationFacts } from '../../src/citation/facts.js';
import { documentCitation, leafCitation, leafShelfmark, lineCitation } from '../../src/citation/formatted.js';
import { realDocument } from '../presentation/real-data.js';

const page = 'https://iiif.example.org/cable/';
const chicagoHead = 'Mao Zedong, “Cable No. 21756, Mao Zedong to Cde. Filippov [Stalin],” July 13, 1951, RGASPI, f. 558, op. 11, d. 340,';
const gostHead = 'Шифртелеграмма № 21756, Мао Цзэдун — т. Филиппову [Сталину]. 13 июля 1951 г. // РГАСПИ. Ф. 558. Оп. 11. Д. 340.';

let facts: CitationFacts;
let l44: { en: string; ru: string };
beforeAll(async () => {
  const doc = await realDocument();
  facts = citationFacts(doc, page);
  const leaf = doc.leaves.find((l) => l.folio === 44)!;
  l44 = { en: leaf.label.en![0]!, ru: leaf.label.ru![0]! };
});

describe('formatted citations of cable No. 21756', () => {
  it('cite the whole document in Chicago (the translation) and GOST R 7.0.5 (the original)', () => {
    expect(documentCitation(facts)).toEqual({
      chicago: `${chicagoHead} ll. 43–45, translated by Gary Goldberg, ${page}.`,
      gost: `${gostHead} Л. 43–45.`,
    });
  });

  it('name the archive once: by the shelfmark when it begins with it, else by its own name', () => {
    const en = facts.translations.find((v) => v.language === 'en')!;
    const bare = { ...facts, translations: [{ ...en, shelfmark: 'f. 558, op. 11, d. 340, ll. 43–45' }] };
    expect(documentCitation(bare).chicago).toContain(
      '1951, Russian State Archive of Socio-Political History (RGASPI), f. 558, op. 11, d. 340, ll. 43–45, translated',
    );
    expect(documentCitation(facts).chicago.match(/RGASPI/g)).toHaveLength(1);
  });

  it('cite one leaf with the shelfmark narrowed to that leaf', () => {
    expect(leafCitation(facts, l44)).toEqual({
      chicago: `${chicagoHead} l. 44, translated by Gary Goldberg, ${page}.`,
      gost: `${gostHead} Л. 44.`,
    });
  });

  it('cite one line through its Content State link', () => {
    const link = `${page}?iiif-content=JTdCJTIy`;
    expect(lineCitation(facts, l44, link)).toEqual({
      chicago: `${chicagoHead} l. 44, translated by Gary Goldberg, ${link}.`,
      gost: `${gostHead} Л. 44. URL: ${link}`,
    });
  });

  it('replace only the leaves part of a shelfmark', () => {
    expect(leafShelfmark('РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43–45.', 'л. 43')).toBe('РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43.');
    expect(leafShelfmark('RGASPI, f. 558, op. 11, d. 340, ll. 43–45', 'l. 45')).toBe('RGASPI, f. 558, op. 11, d. 340, l. 45');
    expect(leafShelfmark('RGASPI, f. 558, op. 11, d. 340', 'l. 45')).toBeUndefined();
  });
});

describe('the document page’s viewer-config', () => {
  it('carries the formatted citations of the document and of each leaf, keyed by canvas', async () => {
    const { documentPage } = await import('../../src/viewer/document-page.js');
    const { pageLinks } = await import('../../src/viewer/links.js');
    const doc = await realDocument();
    const base = 'https://iiif.example.org/cable';
    const links = pageLinks(base, doc);
    const html = documentPage({ doc, lang: 'en', links, assets: { script: '/viewer/assets/document.js', styles: [], preload: [], icon: '/viewer/iiif-logo.svg' } });
    const json = /<script type="application\/json" id="viewer-config">([^<]*)<\/script>/.exec(html)?.[1];
    const config = JSON.parse(json!) as { citation: { files: unknown; document: unknown; leaves: Record<string, { label: string; gost: string; line: { gost: string } }> } };
    expect(config.citation.files).toEqual(links.cite);
    expect(config.citation.document).toEqual(documentCitation(citationFacts(doc, `${base}/`)));
    const l44 = config.citation.leaves[links.canvas('l44')]!;
    expect(l44.label).toBe('l. 44');
    expect(l44.gost).toBe(`${gostHead} Л. 44.`);
    expect(l44.line.gost).toBe(`${gostHead} Л. 44. URL: {link}`);
  });
});
