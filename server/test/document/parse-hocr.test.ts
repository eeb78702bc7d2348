import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentDataError } from '../../src/document/document-error.js';
import { parseHocr, titleProperties } from '../../src/document/parse-hocr.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
/** Tesseract's XHTML: doctype, entities, header and caption lines, an empty paragraph, a blank word, x_wconf. */
const tesseract = fixture('l3.hocr');
/** HTML5 hOCR: open void elements, named HTML entities, lines straight in an ocr_carea, a line without words. */
const html5 = fixture('l4.html');

function errorOf(html: string, edit: [string | RegExp, string]): string {
  const edited = html.replace(edit[0], edit[1]);
  expect(edited, 'the edit changed nothing').not.toBe(html);
  try {
    parseHocr(edited, 'scan.hocr');
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentDataError);
    return (err as Error).message;
  }
  throw new Error('parsed without an error');
}

describe('titleProperties', () => {
  it('splits at semicolons outside quotes and keeps each property’s arguments', () => {
    const properties = titleProperties('image "scans/f3; copy.png"; bbox 0 0 1200 1600; ppageno 0;x_wconf 93');
    expect([...properties]).toEqual([
      ['image', '"scans/f3; copy.png"'],
      ['bbox', '0 0 1200 1600'],
      ['ppageno', '0'],
      ['x_wconf', '93'],
    ]);
  });
});

describe('parseHocr', () => {
  const page = parseHocr(tesseract, 'l3.hocr');

  it('takes the page size from the ocr_page bbox, past a quoted image name holding a semicolon', () => {
    expect([page.width, page.height]).toEqual([1200, 1600]);
  });

  it('makes a block of each ocr_par with lines of every line kind, skipping the empty paragraph and the photo', () => {
    expect(page.blocks.map((b) => [b.id, b.box, b.lines.map((l) => l.id)])).toEqual([
      ['par_1_1', { x: 100, y: 80, w: 1000, h: 80 }, ['line_1_1']], // an ocr_header
      ['par_1_2', { x: 100, y: 200, w: 1000, h: 200 }, ['line_1_2', 'line_1_3']],
      ['par_1_4', { x: 100, y: 1400, w: 1000, h: 100 }, ['line_1_4']], // an ocr_caption
    ]);
  });

  it('reads word boxes from bbox among the other title properties, and the text inside markup', () => {
    expect(page.blocks[0]!.lines[0]).toEqual({
      id: 'line_1_1',
      text: 'Товарищ Филиппов!',
      box: { x: 100, y: 80, w: 1000, h: 80 },
      words: [
        { id: 'word_1_1', text: 'Товарищ', box: { x: 100, y: 82, w: 300, h: 68 } },
        { id: 'word_1_2', text: 'Филиппов!', box: { x: 430, y: 80, w: 670, h: 80 } },
      ],
    });
  });

  it('decodes entities and drops blank words', () => {
    const line = page.blocks[1]!.lines[0]!;
    expect(line.words.map((w) => [w.id, w.text])).toEqual([
      ['word_1_3', '"Мао'],
      ['word_1_5', '&'],
      ['word_1_6', 'Ко\'<>"'],
    ]);
    expect(line.text).toBe('"Мао & Ко\'<>"');
  });

  it('reads HTML5 hOCR: lines of an ocr_carea without paragraphs, named entities, a line without words', () => {
    const other = parseHocr(html5, 'l4.html');
    expect([other.width, other.height]).toEqual([800, 1000]);
    expect(other.blocks).toEqual([
      {
        id: 'a1',
        box: { x: 50, y: 50, w: 700, h: 250 },
        lines: [
          // &nbsp;, &mdash; and &thinsp; decoded; spaces collapsed.
          { id: 'a1-l1', text: 'Ф. 558 — оп. 11', box: { x: 50, y: 50, w: 700, h: 70 }, words: [] },
          {
            id: 'a1-l2',
            text: 'д. 340',
            box: { x: 50, y: 150, w: 700, h: 70 },
            words: [
              { id: 'a1-l2-w1', text: 'д.', box: { x: 50, y: 150, w: 250, h: 70 } },
              { id: 'a1-l2-w2', text: '340', box: { x: 320, y: 150, w: 430, h: 70 } },
            ],
          },
        ],
      },
    ]);
  });
});

describe('a bad hOCR file stops loading with the file, the element and the problem', () => {
  const at = 'Invalid document data in scan.hocr at';

  it('a paragraph, line or word without an id', () => {
    expect(errorOf(tesseract, [" id='par_1_2'", ''])).toBe(`${at} ocr_par[2]/@id: is missing (the ocr_par #2 of the page)`);
    expect(errorOf(tesseract, [" id='line_1_3'", ''])).toBe(`${at} ocr_line[2]/@id: is missing (the ocr_line #2 of the page)`);
    expect(errorOf(tesseract, [" id='word_1_6'", ''])).toBe(`${at} ocrx_word[6]/@id: is missing (the ocrx_word #6 of the page)`);
  });

  it('an id used twice', () => {
    expect(errorOf(tesseract, ["id='line_1_3'", "id='line_1_2'"])).toBe(`${at} ocr_line[@id="line_1_2"]/@id: "line_1_2" is used twice`);
    expect(errorOf(tesseract, ["id='word_1_7'", "id='par_1_1'"])).toBe(`${at} ocrx_word[@id="par_1_1"]/@id: "par_1_1" is used twice`);
  });

  it('a missing or malformed bbox, or one outside the page', () => {
    expect(errorOf(tesseract, ["title='bbox 100 82 400 150; x_wconf 96'", "title='x_wconf 96'"])).toBe(`${at} ocrx_word[@id="word_1_1"]/@title: has no bbox`);
    expect(errorOf(tesseract, ['bbox 100 300 900 400; baseline', 'bbox 100 300 900; baseline'])).toBe(
      `${at} ocr_line[@id="line_1_3"]/@title: bbox must be four non-negative numbers (found "100 300 900")`,
    );
    expect(errorOf(tesseract, ["bbox 720 200 1100 270", 'bbox 1100 200 720 270'])).toBe(
      `${at} ocrx_word[@id="word_1_6"]/@title: bbox must run from the top left to the bottom right corner (found "1100 200 720 270")`,
    );
    expect(errorOf(tesseract, ['bbox 0 0 1200 1600', 'bbox 0 0 1000 1600'])).toBe(`${at} ocr_par[@id="par_1_1"]: box 100,80,1000,80 lies outside the 1000×1600 page`);
    expect(errorOf(tesseract, ['bbox 0 0 1200 1600', 'bbox 0 0 0 0'])).toBe(`${at} ocr_page/@title: bbox must give the page a size (found 0×0)`);
  });

  it('a line in no paragraph or area, no page or two, no text at all', () => {
    expect(errorOf(html5, ['<div class="ocr_carea" id="a1" title="bbox 50 50 750 300">', '<div>'])).toBe(`${at} ocr_line[@id="a1-l1"]: is in no ocr_par or ocr_carea`);
    expect(errorOf(html5, ['class="ocr_page"', 'class="page"'])).toBe(`${at} ocr_page: must occur exactly once per leaf (found 0)`);
    expect(errorOf(html5, ['</body>', '<div class="ocr_page" id="p5" title="bbox 0 0 10 10"></div></body>'])).toBe(
      `${at} ocr_page: must occur exactly once per leaf (found 2)`,
    );
    expect(errorOf(html5, [/>д\.<|>340<|>Ф[^<]*</g, '><'])).toBe(`${at} ocr_page: has no line with text`);
  });
});
