import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentDataError } from '../../src/document/document-error.js';
import { parsePageXml } from '../../src/document/parse-page-xml.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
/** PAGE 2019: reading order unlike the document order, nested and empty regions, polygons, several TextEquivs. */
const page2019 = fixture('l1.page.xml');
/** PAGE 2013: a namespace prefix, Point elements, no reading order, a TextRegion inside a TableRegion. */
const page2013 = fixture('l2-2013.xml');

/** Parses an edited copy of a fixture and returns the one-line error it must raise. */
function errorOf(xml: string, edit: [string | RegExp, string]): string {
  const edited = xml.replace(edit[0], edit[1]);
  expect(edited, 'the edit changed nothing').not.toBe(xml);
  try {
    parsePageXml(edited, 'scan.page.xml');
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentDataError);
    return (err as Error).message;
  }
  throw new Error('parsed without an error');
}

describe('parsePageXml', () => {
  const page = parsePageXml(page2019, 'l1.page.xml');

  it('takes the page size from imageWidth/imageHeight and keeps the namespace as the schema version', () => {
    expect([page.width, page.height]).toEqual([2000, 3000]);
    expect(page.namespace).toBe('http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15');
  });

  it('orders regions by the ReadingOrder, then the regions it leaves out in document order; no image or empty regions', () => {
    // Document order: r5, r3, img1, r1, r2 (holding r2a), r-empty, r4 (a line without text).
    // Reading order: r1 (0), the unordered group {r2a, r2} (1), img1 (2), r3 (3).
    expect(page.blocks.map((b) => b.id)).toEqual(['r1', 'r2a', 'r2', 'r3', 'r5']);
  });

  it('turns each polygon, however many points it has, into its bounding box', () => {
    const [line] = page.blocks[0]!.lines;
    // 210,300 400,290 620,295 800,288 1010,300 1012,372 800,380 620,376 400,382 208,370
    expect(line!.box).toEqual({ x: 208, y: 288, w: 804, h: 94 });
    expect(page.blocks[0]!.box).toEqual({ x: 200, y: 280, w: 820, h: 110 });
    expect(line!.words.map((w) => w.box)).toEqual([
      { x: 209, y: 292, w: 185, h: 82 },
      { x: 450, y: 292, w: 562, h: 88 },
    ]);
  });

  it('reads the TextEquiv with the lowest index, else the highest conf; glyphs and region texts are not read', () => {
    const [line] = page.blocks[0]!.lines;
    // Index 1 "Товарищ" (conf 0.5) wins over index 2 "Товарищь" (conf 0.9); without indices conf 0.8 wins over 0.4.
    expect(line!.words.map((w) => [w.id, w.text])).toEqual([
      ['r1l1w1', 'Товарищ'],
      ['r1l1w2', 'Филиппов!'],
    ]);
    expect(line!.text).toBe('Товарищ Филиппов!');
  });

  it('keeps a line without words as text only: no words, its own TextEquiv, whitespace collapsed', () => {
    const r2 = page.blocks.find((b) => b.id === 'r2')!;
    expect(r2.lines).toEqual([
      {
        id: 'r2l1',
        text: 'По вопросу о переговорах о перемирии в Корее',
        box: { x: 210, y: 505, w: 1580, h: 80 },
        words: [],
      },
    ]);
    expect(page.blocks.find((b) => b.id === 'r5')!.lines[0]!.words).toEqual([]);
  });

  it('decodes character references and entities', () => {
    const r2a = page.blocks.find((b) => b.id === 'r2a')!;
    expect(r2a.lines[0]!.words.map((w) => w.text)).toEqual(['№', '21756', '& Ко']);
  });

  it('reads a 2013 file with a prefix, Point elements and no reading order in document order, into tables too', () => {
    const old = parsePageXml(page2013, 'l2-2013.xml');
    expect(old.namespace).toBe('http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15');
    expect([old.width, old.height]).toEqual([1000, 1400]);
    expect(old.blocks.map((b) => [b.id, b.box, b.lines.map((l) => [l.id, l.text, l.box])])).toEqual([
      ['t1', { x: 100, y: 100, w: 800, h: 200 }, [['t1l1', 'Мао Цзэ-дун', { x: 105, y: 110, w: 775, h: 80 }]]],
      ['t2', { x: 110, y: 410, w: 390, h: 90 }, [['t2l1', '13.VII.51', { x: 110, y: 410, w: 390, h: 90 }]]],
    ]);
  });
});

describe('a bad PAGE file stops loading with the file, the element and the problem', () => {
  const at = 'Invalid document data in scan.page.xml at';

  it('a region, line or word without an id', () => {
    expect(errorOf(page2019, [' id="r1" type="heading"', ''])).toBe(`${at} TextRegion[3]/@id: is missing`);
    expect(errorOf(page2019, ['<TextLine id="r2al1">', '<TextLine>'])).toBe(`${at} TextRegion[@id="r2a"]/TextLine[1]/@id: is missing`);
    expect(errorOf(page2019, ['<Word id="r1l1w2">', '<Word>'])).toBe(`${at} TextLine[@id="r1l1"]/Word[2]/@id: is missing`);
    expect(errorOf(page2013, ['<pc:TextRegion id="t2">', '<pc:TextRegion>'])).toBe(`${at} TableRegion[@id="tab1"]/TextRegion[1]/@id: is missing`);
  });

  it('an id used twice', () => {
    expect(errorOf(page2019, ['<TextRegion id="r5"', '<TextRegion id="r3"'])).toBe(`${at} TextRegion[2]/@id: "r3" is used twice`);
    expect(errorOf(page2019, ['<Word id="r3l1w1">', '<Word id="r1l1w1">'])).toBe(`${at} TextLine[@id="r3l1"]/Word[1]/@id: "r1l1w1" is used twice`);
  });

  it('a reading order naming no region, or without an index', () => {
    expect(errorOf(page2019, ['regionRef="r3"', 'regionRef="r9"'])).toBe(
      `${at} ReadingOrder/OrderedGroup/RegionRefIndexed[1]/@regionRef: "r9" is not the id of a region of this page`,
    );
    expect(errorOf(page2019, ['index="2" regionRef="img1"', 'regionRef="img1"'])).toBe(
      `${at} ReadingOrder/OrderedGroup/RegionRefIndexed[3]/@index: must be a non-negative integer (found none)`,
    );
  });

  it('a polygon that is not "x,y" pairs, has no points, or lies outside the page', () => {
    expect(errorOf(page2019, ['210,300 400,290 620,295', '210,300 400 620,295'])).toBe(
      `${at} TextLine[@id="r1l1"]/Coords/@points: must be "x,y" pairs separated by spaces (found "400")`,
    );
    expect(errorOf(page2019, ['210,300 400,290 620,295', '210,300 -4,290 620,295'])).toBe(
      `${at} TextLine[@id="r1l1"]/Coords/@points: must be a non-negative number (found "-4")`,
    );
    expect(errorOf(page2013, ['<pc:Point x="900" y="300"/>', '<pc:Point x="900" y="3e"/>'])).toBe(
      `${at} TextRegion[@id="t1"]/Coords/Point[3]/@y: must be a non-negative number (found "3e")`,
    );
    expect(errorOf(page2019, [/<Coords points="210,710 400,710 400,790 210,790"\/>/, '<Coords/>'])).toBe(`${at} Word[@id="r2al1w1"]/Coords: has no points`);
    expect(errorOf(page2019, ['<Coords points="100,2800 400,2800 400,2880 100,2880"/>\n      <TextLine', '<TextLine'])).toBe(
      `${at} TextRegion[@id="r5"]/Coords: is missing`,
    );
    expect(errorOf(page2019, ['imageWidth="2000"', 'imageWidth="1500"'])).toBe(
      `${at} TextRegion[@id="r2a"]/Coords: box 200,700,1600,180 lies outside the 1500×3000 page`,
    );
  });

  it('a word without text', () => {
    expect(errorOf(page2019, ['<TextEquiv><Unicode>21756</Unicode></TextEquiv>', ''])).toBe(
      `${at} Word[@id="r2al1w2"]/TextEquiv/Unicode: is missing or empty`,
    );
  });

  it('no page size, another schema version, another root, or no XML at all', () => {
    expect(errorOf(page2019, [' imageHeight="3000"', ''])).toBe(`${at} PcGts/Page/@imageHeight: is missing`);
    expect(errorOf(page2019, ['imageWidth="2000"', 'imageWidth="0"'])).toBe(`${at} PcGts/Page/@imageWidth: must be a positive number (found "0")`);
    expect(errorOf(page2019, [/2019-07-15"\n/, '2010-03-19"\n'])).toBe(
      `${at} PcGts/@xmlns: must be the PAGE namespace of 2013-07-15 or later, e.g. "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15" (found "http://schema.primaresearch.org/PAGE/gts/pagecontent/2010-03-19")`,
    );
    expect(errorOf(page2019, [/(<\/?)PcGts/g, '$1alto'])).toBe(`${at} /: has no <PcGts> root element`);
    expect(errorOf(page2019, ['</Page>', ''])).toMatch(new RegExp(`^${at} /: is not well-formed XML \\(.+\\)$`));
    expect(errorOf(page2019, [/<ReadingOrder>[\s\S]*<\/TextRegion>/, ''])).toBe(`${at} PcGts/Page: has no TextRegion with text`);
  });
});
