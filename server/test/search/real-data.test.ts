import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { loadDocuments } from '../../src/document/load-document.js';
import type { ArchivalDocument, Box, Word } from '../../src/document/model.js';
import { buildSearchIndex } from '../../src/search/build-index.js';
import { completeTerms } from '../../src/search/complete-terms.js';
import { findHits } from '../../src/search/find-hits.js';
import { viewHit } from '../../src/search/hit-segments.js';
import { parseQuery } from '../../src/search/parse-query.js';
import { union } from '../../src/document/boxes.js';
import type { SearchIndex } from '../../src/search/search-index.js';

/**
 * The cable as published in manifests/: known queries land on the known words. Expected boxes
 * are read from the loaded ALTO (the model), so the test holds if the facsimile is re-rendered.
 */
let doc: ArchivalDocument;
let index: SearchIndex;

beforeAll(async () => {
  const docs = await loadDocuments(path.join(projectRoot, 'manifests'));
  doc = docs.find((d) => d.id === 'rgaspi-f558-op11-d340-l43-45')!;
  index = buildSearchIndex(doc);
});

interface Found {
  leaf: string;
  layer: string;
  text: string;
  boxes: (Box | null)[];
}

function search(q: string): Found[] {
  return findHits(index, parseQuery(q)).map((h) => {
    const v = viewHit(index, h);
    return { leaf: v.leafId, layer: v.unit.layer, text: v.unit.text.slice(v.start, v.end), boxes: v.segments.map((s) => s.box) };
  });
}

/** Every ALTO word of the document whose text, without punctuation, satisfies the test. */
function words(test: (bare: string) => boolean): { leaf: string; word: Word }[] {
  return doc.leaves.flatMap((leaf) =>
    leaf.transcription.blocks.flatMap((b) =>
      b.lines.flatMap((l) =>
        l.words.filter((w) => test(w.text.replace(/[^\p{L}\p{N}-]/gu, ''))).map((word) => ({ leaf: leaf.id, word })),
      ),
    ),
  );
}

describe('search over the cable', () => {
  it('finds «Филиппов» on its word box, and "Filippov" in both layers', () => {
    const [filippov] = words((t) => t === 'Филиппов');
    expect(search('филиппов')).toEqual([{ leaf: 'l43', layer: 'ru', text: 'Филиппов', boxes: [filippov!.word.box] }]);
    expect(search('Filippov').map((f) => `${f.leaf} ${f.layer} ${f.text}`)).toEqual([
      'l43 ru Филиппов',
      'l43 en Filippov',
    ]);
  });

  it('finds every form of «переговоры», typed in Cyrillic or Latin letters', () => {
    const forms = words((t) => /^переговор/i.test(t));
    expect(forms.length).toBeGreaterThan(3);
    const expected = forms.map(({ leaf, word }) => ({ leaf, layer: 'ru', text: word.text.replace(/[,.!?]$/, ''), boxes: [word.box] }));
    expect(search('переговоров')).toEqual(expected);
    expect(search('переговорам')).toEqual(expected);
    expect(search('peregovory')).toEqual(expected);
    expect(search('peregovorov')).toEqual(expected);
  });

  it('finds the four «38 параллели» of the cable as a phrase, boxed from «38» to «параллели»', () => {
    const found = search('"38 параллели"');
    expect(found.map((f) => `${f.leaf} ${f.text}`)).toEqual([
      'l44 38 параллели',
      'l45 38 параллели',
      'l45 38 параллели',
      'l45 38 параллели',
    ]);
    const thirtyEights = words((t) => t === '38');
    const parallels = words((t) => t === 'параллели');
    found.forEach((f, i) => {
      const a = thirtyEights[i]!.word.box;
      const b = parallels[i]!.word.box;
      // Same line: one box over both words; a line break between them: one box on each line.
      const sameLine = Math.abs(a.y - b.y) < a.h / 2;
      expect(f.boxes).toEqual(sameLine ? [union([a, b])] : [a, b]);
    });
  });

  it('reads ё as е: «Кайдзъё» is found as «кайдзъе»', () => {
    const kaidzyo = words((t) => t === 'Кайдзъё');
    expect(kaidzyo).toHaveLength(2);
    const expected = kaidzyo.map(({ leaf, word }) => ({ leaf, layer: 'ru', text: 'Кайдзъё', boxes: [word.box] }));
    expect(search('кайдзъе')).toEqual(expected);
    expect(search('КАЙДЗЪЁ')).toEqual(expected);
  });

  it('finds "Kaesong" in the English layer, on the region of the Russian it translates', () => {
    const found = search('Kaesong');
    expect(found.map((f) => `${f.leaf} ${f.layer} ${f.text}`)).toEqual(['l43 en Kaesong', 'l43 en Kaesong']);
    const l43 = doc.leaves[0]!;
    const paragraphs = l43.translation!.paragraphs.filter((p) => p.text.includes('Kaesong'));
    found.forEach((f, i) => {
      const targets = new Set(paragraphs[i]!.targets);
      const blocks = l43.transcription.blocks.filter((b) => targets.has(b.id));
      expect(f.boxes).toEqual([union(blocks.map((b) => b.box))]);
    });
  });

  it('finds English inflections with the English stemmer', () => {
    const count = doc.leaves
      .flatMap((l) => l.translation?.paragraphs ?? [])
      .reduce((n, p) => n + (p.text.match(/\bnegotiat\w*/gi)?.length ?? 0), 0);
    expect(count).toBeGreaterThan(3);
    expect(search('negotiation')).toHaveLength(count);
    expect(search('negotiations')).toHaveLength(count);
  });

  it('needs all words on one leaf: «Кайдзъё» and «параллели» never share one', () => {
    expect(search('Кайдзъё параллели')).toEqual([]);
    expect(search('Кайдзъё переговоров').map((f) => f.leaf)).toEqual(expect.arrayContaining(['l43']));
  });
});

describe('autocomplete over the cable', () => {
  /** The same answer by brute force: every vocabulary word that begins with the prefix. */
  const scan = (prefix: string, latin: boolean) =>
    [...new Set(index.vocabulary.filter((e) => e.word.startsWith(prefix)).map((e) => e.word))].concat(
      latin ? index.latinVocabulary.filter((s) => s.spelling.startsWith(prefix)).map((s) => s.entry.word) : [],
    );

  it('completes Russian words from their Latin spelling, next to English words', () => {
    expect(completeTerms(index, 'pereg').map((c) => c.word)).toEqual(['переговоров', 'переговоры']);
    expect(completeTerms(index, 'fil')).toEqual([
      { word: 'filippov', count: 1, language: 'en' },
      { word: 'филиппов', count: 1, language: 'ru' },
    ]);
  });

  it('counts a word once however many transliteration schemes spell it alike', () => {
    // «войск» is "voysk", "voisk" or "vojsk" by scheme: all three begin with "vo".
    const spellings = index.latinVocabulary.filter((s) => s.entry.word === 'войск').map((s) => s.spelling);
    expect(spellings.filter((s) => s.startsWith('vo')).length).toBe(3);
    const voysk = index.vocabulary.filter((e) => e.word === 'войск').reduce((n, e) => n + e.count, 0);
    expect(completeTerms(index, 'vo').filter((c) => c.word === 'войск')).toEqual([{ word: 'войск', count: voysk, language: 'ru' }]);
  });

  it.each(['п', 'по', 'пере', 'n', 'ne', 'k', 'kor', 'vo', '3', 'zzz', 'я'])('finds for "%s" what a full scan finds', (prefix) => {
    const latin = /[a-z]/.test(prefix);
    const expected = [...new Set(scan(prefix, latin))];
    const completions = completeTerms(index, prefix, 1);
    const found = completions.map((c) => c.word);
    expect(new Set(found).size).toBe(found.length);
    expect(found.every((w) => expected.includes(w))).toBe(true);
    expect(found.length).toBe(Math.min(expected.length, 20));
    // Beyond 20 matches, the most frequent are the ones kept.
    const dropped = expected.filter((w) => !found.includes(w));
    if (dropped.length > 0) {
      const countOf = (word: string) => index.vocabulary.filter((e) => e.word === word).reduce((n, e) => n + e.count, 0);
      expect(Math.min(...completions.map((c) => c.count))).toBeGreaterThanOrEqual(Math.max(...dropped.map(countOf)));
    }
  });

  it('has prefixes above with more than 20 matches, so that which are kept is tested', () => {
    expect(completeTerms(index, 'п').length).toBe(20);
    expect(new Set(scan('п', false)).size).toBeGreaterThan(20);
  });
});

