import { describe, expect, it } from 'vitest';
import { foldText } from '../../src/search/fold.js';
import { stemOf } from '../../src/search/stem.js';
import { endsWithBreakHyphen, joinedWord, tokenize, wordParts } from '../../src/search/tokenize.js';
import { latinSpellings } from '../../src/search/transliterate.js';

describe('foldText', () => {
  it('lower-cases, reads ё as е and drops stress marks and Latin accents', () => {
    expect(foldText('Кайдзъё')).toBe('кайдзъе');
    expect(foldText('ВСЁ')).toBe('все');
    expect(foldText('перегово\u0301ры')).toBe('переговоры');
    expect(foldText('Café Zürich')).toBe('cafe zurich');
  });

  it('keeps й, which is a letter and not е or и with a mark', () => {
    expect(foldText('Действий')).toBe('действий');
    expect(foldText('Й')).toBe('й');
  });
});

describe('tokenize', () => {
  it('takes words without their punctuation, with offsets', () => {
    expect(tokenize('«Филиппов!», 38 параллели.')).toEqual([
      { text: 'Филиппов', start: 1, end: 9 },
      { text: '38', start: 13, end: 15 },
      { text: 'параллели', start: 16, end: 25 },
    ]);
  });

  it('keeps hyphenated words whole and splits them into parts on request', () => {
    expect(tokenize('по-прежнему, 1-2 дня').map((t) => t.text)).toEqual(['по-прежнему', '1-2', 'дня']);
    expect(wordParts('по-прежнему')).toEqual(['по', 'прежнему']);
    expect(joinedWord('по-прежнему')).toBe('попрежнему');
  });

  it('finds only punctuation to be no word at all', () => {
    expect(tokenize('!!! ... — «» ,,, ??? ---')).toEqual([]);
  });

  it('recognises a word broken at the end of a line by a hyphen or a soft hyphen', () => {
    expect(endsWithBreakHyphen('пере-')).toBe(true);
    expect(endsWithBreakHyphen('пере\u00ad')).toBe(true);
    expect(endsWithBreakHyphen('переговоры')).toBe(false);
  });
});

describe('stemOf (Snowball, Russian and English)', () => {
  it('gives the inflected forms of a Russian word one stem', () => {
    expect(stemOf('переговоров')).toBe(stemOf('переговоры'));
    expect(stemOf('переговорах')).toBe(stemOf('переговоры'));
    expect(stemOf('параллели')).toBe(stemOf('параллель'));
  });

  it('gives the inflected forms of an English word one stem', () => {
    expect(stemOf('negotiations')).toBe(stemOf('negotiation'));
    expect(stemOf('troops')).toBe(stemOf('troop'));
  });

  it('keeps numbers and reads English ordinals as numbers', () => {
    expect(stemOf('38')).toBe('38');
    expect(stemOf('38th')).toBe('38');
  });

  it('does not confuse different words', () => {
    expect(stemOf('переговоры')).not.toBe(stemOf('перерыв'));
    expect(stemOf('war')).not.toBe(stemOf('ward'));
  });
});

describe('latinSpellings', () => {
  it('spells a Russian word the ways readers type it', () => {
    expect(latinSpellings('переговоры')).toContain('peregovory');
    expect(latinSpellings('филиппов')).toContain('filippov');
    expect(latinSpellings('цзэдун')).toContain('tszedun');
    expect(latinSpellings('южнее')).toEqual(expect.arrayContaining(['yuzhnee', 'iuzhnee']));
  });

  it('gives only plain lower-case Latin letters and digits', () => {
    for (const s of latinSpellings('объединения кайдзъе')) expect(s).toMatch(/^[a-z0-9]+$/);
  });
});
