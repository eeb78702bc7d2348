import { describe, expect, it } from 'vitest';
import { buildSearchIndex } from '../../src/search/build-index.js';
import { findHits, hasPosting } from '../../src/search/find-hits.js';
import { viewHit, type HitView } from '../../src/search/hit-segments.js';
import { parseQuery } from '../../src/search/parse-query.js';
import { fixtureDocument, wordBox } from './fixture-document.js';

const index = buildSearchIndex(fixtureDocument());

/** Each hit as "leaf layer: matched text", with its boxes. */
function search(q: string): { hit: string; boxes: (string | null)[] }[] {
  return findHits(index, parseQuery(q)).map((h) => {
    const v: HitView = viewHit(index, h);
    return {
      hit: `${v.leafId} ${v.unit.layer}: ${v.unit.text.slice(v.start, v.end)}`,
      boxes: v.segments.map((s) => (s.box ? `${s.box.x},${s.box.y},${s.box.w},${s.box.h}` : null)),
    };
  });
}

const box = (line: number, column: number, length: number) => {
  const b = wordBox(line, column, length);
  return `${b.x},${b.y},${b.w},${b.h}`;
};

describe('findHits on the fixture document', () => {
  it('finds a Russian word in any case, with its ALTO word box', () => {
    // The box of the word «Филиппов!» as written, punctuation included.
    expect(search('ФИЛИППОВ')).toEqual([{ hit: 'l43 ru: Филиппов', boxes: [box(0, 8, 9)] }]);
  });

  it('reads ё and е as the same letter, both ways', () => {
    expect(search('кайдзъе').map((h) => h.hit)).toEqual(['l43 ru: Кайдзъё']);
    expect(search('Кайдзъё').map((h) => h.hit)).toEqual(['l43 ru: Кайдзъё']);
    expect(search('все').map((h) => h.hit)).toEqual(['l45 ru: Всё']);
  });

  it('finds every inflected form through the Russian stem', () => {
    expect(search('переговоры')).toEqual([
      { hit: 'l43 ru: переговоров', boxes: [box(1, 13, 11)] },
      // Broken across two lines: one hit, one box on each line.
      { hit: 'l44 ru: пере- говоры', boxes: [box(1, 35, 5), box(2, 0, 6)] },
    ]);
  });

  it('finds English inflections through the English stem, on the paragraph region', () => {
    expect(search('negotiation')).toEqual([
      // The union of the two lines of block l43-b2, which the paragraph translates.
      { hit: 'l43 en: negotiations', boxes: ['100,160,1280,110'] },
      // A paragraph whose targets have no geometry is a hit on the whole canvas.
      { hit: 'l44 en: negotiations', boxes: [null] },
    ]);
  });

  it('accepts Russian typed in Latin letters, in common romanisations', () => {
    expect(search('peregovory').map((h) => h.hit)).toEqual(['l43 ru: переговоров', 'l44 ru: пере- говоры']);
    expect(search('Filippov').map((h) => h.hit)).toEqual(['l43 ru: Филиппов', 'l43 en: Filippov']);
    expect(search('Kaydzyo').map((h) => h.hit)).toEqual(['l43 ru: Кайдзъё']);
    expect(search('amerikantsy').map((h) => h.hit)).toEqual(['l43 ru: американцы']);
    expect(search('amerikancy').map((h) => h.hit)).toEqual(['l43 ru: американцы']);
  });

  it('finds names the Russian spells differently in the English layer', () => {
    expect(search('Kaesong')).toEqual([{ hit: 'l43 en: Kaesong', boxes: [box(3, 0, 56)] }]);
  });

  it('matches a quoted phrase only where its words follow each other, drawn as one box per line', () => {
    expect(search('"38 параллели"')).toEqual([{ hit: 'l44 ru: 38 параллели', boxes: [box(0, 44, 13)] }]);
    expect(search('"параллели 38"')).toEqual([]);
    expect(search('"американцы в целях"')).toEqual([{ hit: 'l43 ru: американцы, в целях', boxes: [box(2, 25, 19)] }]);
    // "parallel" is also how «параллел-» is romanised, so the English phrase finds the Russian too.
    expect(search('«38th parallel»').map((h) => h.hit)).toEqual(['l44 ru: 38 параллели', 'l44 en: 38th parallel']);
  });

  it('follows a phrase through the postings alone, reading no unit\'s tokens', () => {
    // Each unit's tokens throw when touched: an index read back would have to decode them.
    const untouchable = {
      ...index,
      leaves: index.leaves.map((leaf) => ({
        ...leaf,
        units: leaf.units.map((unit) => ({
          ...unit,
          get tokens(): never {
            throw new Error(`tokens of ${unit.ref} read`);
          },
        })),
      })),
    };
    const spans = (q: string) => findHits(untouchable, parseQuery(q)).map(({ leaf, unit, first, last }) => [leaf, unit, first, last]);
    for (const q of ['"38 параллели"', '"параллели 38"', '"если переговоры сорвутся"', '"американцы в целях"']) {
      expect(spans(q), q).toEqual(findHits(index, parseQuery(q)).map(({ leaf, unit, first, last }) => [leaf, unit, first, last]));
    }
    expect(spans('"если переговоры сорвутся"')).toHaveLength(1);
  });

  it('continues a phrase over a line break, one box per line', () => {
    expect(search('"если переговоры сорвутся"')).toEqual([
      // «если пере-» on one line, «говоры сорвутся,» on the next.
      { hit: 'l44 ru: если пере- говоры сорвутся', boxes: [box(1, 30, 10), box(2, 0, 16)] },
    ]);
  });

  it('needs every word of a query on the same leaf, in either layer', () => {
    expect(search('переговоры Kaesong').map((h) => h.hit)).toEqual(['l43 ru: переговоров', 'l43 en: Kaesong']);
    expect(search('Kaesong параллели')).toEqual([]);
  });

  it('ignores hyphens in queries as in the text', () => {
    expect(search('пере-говоры').map((h) => h.hit)).toEqual(['l43 ru: переговоров', 'l44 ru: пере- говоры']);
    expect(search('"если переговоры"').map((h) => h.hit)).toEqual(['l44 ru: если пере- говоры']);
  });

  it('searches plain-text transcriptions, whose hits cover the whole page', () => {
    expect(search('Мао Цзэдун')).toEqual([
      { hit: 'l45 ru: МАО', boxes: [null] },
      { hit: 'l45 ru: ЦЗЭДУН', boxes: [null] },
    ]);
    expect(search('"правильно мао цзэдун"')).toEqual([{ hit: 'l45 ru: правильно? МАО ЦЗЭДУН', boxes: [null] }]);
  });

  it('finds nothing for punctuation alone or for words that are not there', () => {
    expect(search('!!! ,,, «»')).toEqual([]);
    expect(search('banana')).toEqual([]);
    expect(search('')).toEqual([]);
  });
});

describe('hasPosting', () => {
  // (leaf, unit, token) triples in reading order, as the index lists them.
  const postings = [0, 0, 3, 0, 0, 7, 0, 2, 1, 1, 0, 0, 4, 5, 6];

  it('finds each triple of a list, the first and the last included', () => {
    for (let at = 0; at < postings.length; at += 3) expect(hasPosting(postings, postings[at]!, postings[at + 1]!, postings[at + 2]!)).toBe(true);
  });

  it('finds no triple between, before or after them, nor in an empty list', () => {
    for (const [leaf, unit, token] of [[0, 0, 4], [0, 1, 0], [0, 0, 0], [4, 5, 7], [9, 0, 0], [1, 0, 1]] as const) {
      expect(hasPosting(postings, leaf, unit, token), `${leaf},${unit},${token}`).toBe(false);
    }
    expect(hasPosting([], 0, 0, 0)).toBe(false);
  });
});
