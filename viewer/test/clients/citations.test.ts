import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { AST as RisAst, parse as risToCsl } from 'astrocite-ris';
import CSL from 'citeproc';
import { beforeAll, describe, expect, it } from 'vitest';
import { bibtex, escapeBibtex, protectCase } from '../../../server/src/citation/bibtex.js';
import { cslItems, type CslItem } from '../../../server/src/citation/csl.js';
import { type CitationFacts, citationFacts } from '../../../server/src/citation/facts.js';
import { ris } from '../../../server/src/citation/ris.js';
import type { ArchivalDocument, DocumentRecord } from '../../../server/src/document/model.js';
import { realDocument } from '../../../server/test/presentation/real-data.js';
import { chicagoAuthorDate } from './csl-styles.js';

const page = 'https://iiif.example.org/cable/';
let doc: ArchivalDocument;
let facts: CitationFacts;
let record: DocumentRecord;

beforeAll(async () => {
  doc = await realDocument();
  record = doc.record;
  facts = citationFacts(doc, page);
});

/** The document with some record fields replaced. */
const withRecord = (changes: Partial<DocumentRecord>): ArchivalDocument => ({ ...doc, record: { ...doc.record, ...changes } });

describe('what a citation says, read from the record', () => {
  it('has the original in the transcription language and the translation in the translation language', () => {
    expect(facts.original).toMatchObject({
      language: 'ru',
      role: 'original',
      title: record.title.ru![0],
      authors: record.creator.ru,
      recipients: record.recipient.ru,
      translators: [],
      genre: record.genre!.ru![0],
      archive: record.repository.label.ru![0],
      shelfmark: record.reference.ru,
    });
    expect(facts.translations).toEqual([
      expect.objectContaining({
        language: 'en',
        role: 'translation',
        title: record.title.en![0],
        authors: record.creator.en,
        translators: record.translator.en,
        genre: 'cable',
        shelfmark: record.reference.en,
      }),
    ]);
    expect(facts.date).toEqual({ iso: '1951-07-13', year: 1951, month: 7, day: 13 });
  });

  it('leaves out what the record does not give, in every format', () => {
    const { genre: _genre, ...withoutGenre } = doc.record;
    const plain = citationFacts({ ...doc, record: withoutGenre }, page);
    expect(cslItems(plain).map((item) => 'genre' in item)).toEqual([false, false]);
    expect(bibtex(plain)).not.toMatch(/^\s*type =/m);
    expect(ris(plain)).not.toMatch(/^M3 {2}- /m);
  });
});

describe('CSL-JSON', () => {
  it('has one item per language, the translation naming the original title', () => {
    const [ru, en] = cslItems(facts) as [CslItem, CslItem];
    expect(ru).toMatchObject({
      id: 'rgaspi-f558-op11-d340-l43-45-ru',
      type: 'personal_communication',
      language: 'ru',
      title: 'Шифртелеграмма № 21756, Мао Цзэдун — т. Филиппову [Сталину]',
      author: [{ literal: 'Мао Цзэдун' }],
      recipient: [{ literal: 'Филиппов [Сталин]' }],
      issued: { 'date-parts': [[1951, 7, 13]] },
      genre: 'шифртелеграмма',
      archive: 'Российский государственный архив социально-политической истории (РГАСПИ)',
      archive_location: 'РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43–45.',
      URL: page,
    });
    expect(ru).not.toHaveProperty('translator');
    expect(en).toMatchObject({
      language: 'en',
      title: 'Cable No. 21756, Mao Zedong to Cde. Filippov [Stalin]',
      'original-title': ru.title,
      author: [{ literal: 'Mao Zedong' }],
      translator: [{ literal: 'Gary Goldberg' }],
      genre: 'cable',
      archive: 'Russian State Archive of Socio-Political History (RGASPI)',
      archive_location: 'RGASPI, f. 558, op. 11, d. 340, ll. 43–45',
    });
    // The date the reader looked at it is theirs to add.
    expect(en).not.toHaveProperty('accessed');
  });

  it('renders in the Chicago author-date style with citeproc-js: author, title, date, archive and shelfmark', async () => {
    const { style, locale } = await chicagoAuthorDate();
    const items = cslItems(facts);
    const engine = new CSL.Engine(
      { retrieveLocale: () => locale, retrieveItem: (id) => items.find((item) => item.id === id) },
      style,
      'en-US',
    );
    engine.setOutputFormat('text');
    engine.updateItems(items.map((item) => item.id));
    const bibliography = engine.makeBibliography();
    expect(bibliography).not.toBe(false);
    const entries = (bibliography as [unknown, string[]])[1].map((entry) => entry.trim());
    const english = entries.find((entry) => entry.startsWith('Mao Zedong.'));
    expect(english).toBeDefined();
    for (const part of [
      'Mao Zedong',
      'Cable to Filippov [Stalin]',
      '“Cable No. 21756, Mao Zedong to Cde. Filippov [Stalin].”',
      'July 13, 1951',
      'Translated by Gary Goldberg',
      'RGASPI, f. 558, op. 11, d. 340, ll. 43–45',
      'Russian State Archive of Socio-Political History (RGASPI)',
      page,
    ]) {
      expect(english).toContain(part);
    }
    const russian = entries.find((entry) => entry.startsWith('Мао Цзэдун.'));
    expect(russian).toContain('Шифртелеграмма № 21756, Мао Цзэдун — т. Филиппову [Сталину]');
    expect(russian).toContain('РГАСПИ. Ф. 558. Оп. 11. Д. 340. Л. 43–45.');
    expect(engine.makeCitationCluster([{ id: items[1]!.id }])).toBe('(Mao Zedong 1951)');
  });
});

describe('BibTeX', () => {
  const parsed = (text: string) => {
    const library = parseBibtex(text, { sentenceCase: false });
    expect(library.errors).toEqual([]);
    return library.entries;
  };

  it('parses back (independent parser) to the record’s values, an entry per language linked as original and translation', () => {
    const [ru, en] = parsed(bibtex(facts));
    expect(ru).toMatchObject({
      type: 'misc',
      key: 'rgaspi-f558-op11-d340-l43-45-ru',
      fields: {
        author: [{ name: 'Мао Цзэдун' }],
        title: record.title.ru![0],
        date: '1951-07-13',
        year: '1951',
        month: '7',
        type: 'шифртелеграмма',
        howpublished: record.reference.ru,
        organization: [record.repository.label.ru![0]],
        langid: 'russian',
        url: page,
        related: 'rgaspi-f558-op11-d340-l43-45-en',
        relatedtype: 'translatedas',
      },
    });
    expect(en).toMatchObject({
      key: 'rgaspi-f558-op11-d340-l43-45-en',
      fields: {
        author: [{ name: 'Mao Zedong' }],
        title: record.title.en![0],
        origtitle: record.title.ru![0],
        translator: [{ name: 'Gary Goldberg' }],
        type: 'cable',
        howpublished: record.reference.en,
        organization: [record.repository.label.en![0]],
        langid: 'english',
        origlanguage: 'russian',
        related: 'rgaspi-f558-op11-d340-l43-45-ru',
        relatedtype: 'translationof',
      },
    });
  });

  it('keeps names whole and protects capitalised words, Latin and Cyrillic, from case changes', () => {
    const text = bibtex(facts);
    expect(text).toContain('author = {{Mao Zedong}}');
    expect(text).toContain('title = {{Cable} {No}. 21756, {Mao} {Zedong} to {Cde}. {Filippov} [{Stalin}]}');
    expect(text).toContain('title = {{Шифртелеграмма} № 21756, {Мао} {Цзэдун} — т. {Филиппову} [{Сталину}]}');
  });

  it('escapes TeX’s special characters, so any title parses back as written', () => {
    const hostile = 'Notes on {braces}, 50% & $5 #1 a_b ~x ^y \\z';
    const [ru, en] = parsed(bibtex(citationFacts(withRecord({ title: { ru: [hostile], en: [`${hostile}\nsecond line`] } }), page)));
    expect(ru!.fields.title).toBe(hostile);
    expect(en!.fields.title).toBe(`${hostile} second line`);
    expect(escapeBibtex('{}%&$#_~^\\')).toBe('\\{\\}\\%\\&\\$\\#\\_\\textasciitilde{}\\textasciicircum{}\\textbackslash{}');
    expect(protectCase(escapeBibtex('\\Upper and lower'))).toBe('\\textbackslash{}{Upper} and lower');
  });
});

describe('RIS', () => {
  it('is tag lines (“XX  - value”, CR LF), a record per language from TY to ER', () => {
    const text = ris(facts);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^([A-Z][A-Z0-9] {2}- .+|ER {2}- |)$/);
    expect(lines.filter((l) => l.startsWith('TY  - '))).toEqual(['TY  - PCOMM', 'TY  - PCOMM']);
    expect(lines.filter((l) => l === 'ER  - ')).toHaveLength(2);
  });

  it('parses back (independent parser) with each tag holding the record’s value', () => {
    const records = RisAst.parse(ris(facts)).children.map((entry) => ({
      type: entry.type,
      tags: entry.properties.map((p) => [p.key, p.value]),
    }));
    expect(records[0]).toEqual({
      type: 'PCOMM',
      tags: [
        ['ID', 'rgaspi-f558-op11-d340-l43-45-ru'],
        ['TI', record.title.ru![0]],
        ['TT', record.title.en![0]],
        ['AU', 'Мао Цзэдун'],
        ['A2', 'Филиппов [Сталин]'],
        ['PY', '1951'],
        ['DA', '1951/07/13/'],
        ['M3', 'шифртелеграмма'],
        ['DP', record.repository.label.ru![0]],
        ['AV', record.reference.ru],
        ['LA', 'ru'],
        ['UR', page],
        ['AB', record.summary.ru![0]],
      ],
    });
    expect(records[1]!.tags).toEqual(
      expect.arrayContaining([
        ['TI', record.title.en![0]],
        ['OP', record.title.ru![0]],
        ['AU', 'Mao Zedong'],
        ['A2', 'Filippov [Stalin]'],
        ['A4', 'Gary Goldberg'],
        ['M3', 'cable'],
        ['DP', record.repository.label.en![0]],
        ['AV', record.reference.en],
        ['LA', 'en'],
      ]),
    );
  });

  it('maps to the same CSL variables as our CSL-JSON when read by a RIS-to-CSL converter', () => {
    const fromRis = risToCsl(ris(facts));
    for (const [i, item] of cslItems(facts).entries()) {
      expect(fromRis[i]).toMatchObject({
        type: item.type,
        title: item.title,
        language: item.language,
        genre: item.genre,
        archive: item.archive,
        archive_location: item.archive_location,
        URL: item.URL,
        ...(item['original-title'] && { 'original-title': item['original-title'] }),
      });
    }
  });

  it('keeps a value on its line whatever whitespace it holds', () => {
    const text = ris(citationFacts(withRecord({ title: { ru: ['one\r\nER  - two'], en: ['a\tb'] } }), page));
    expect(text).toContain('TI  - one ER - two\r\n');
    expect(RisAst.parse(text).children).toHaveLength(2);
  });
});
