import type { ArchivalDocument } from '../document/model.js';
import { Analyzer } from './analyzer.js';
import { hasCyrillic } from './fold.js';
import {
  layerKey,
  type BuiltLeaf,
  type LatinSpelling,
  type Layer,
  type BuiltSearchIndex,
  type VocabularyEntry,
} from './search-index.js';
import { englishUnits, russianUnit } from './text-units.js';

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

const asArrays = (map: Map<string, Set<string>>) => new Map([...map].map(([k, set]) => [k, [...set]]));

/** Builds the search index of a document: pure, from the loaded model only. */
export function buildSearchIndex(doc: ArchivalDocument): BuiltSearchIndex {
  const analyzer = new Analyzer();
  const leaves: BuiltLeaf[] = doc.leaves.map((leaf) => ({
    id: leaf.id,
    page: leaf.transcription.page ?? null,
    units: [russianUnit(leaf, analyzer), ...englishUnits(leaf, analyzer)],
  }));

  const postings = new Map<string, number[]>();
  const latinWords = new Map<string, Set<string>>();
  const latinStems = new Map<string, Set<string>>();
  const counts = new Map<string, { word: string; layer: Layer; language: string; count: number }>();

  leaves.forEach((leaf, leafIndex) =>
    leaf.units.forEach((unit, unitIndex) =>
      unit.tokens.forEach((token, tokenIndex) => {
        for (const key of token.keys) {
          const k = layerKey(unit.layer, key);
          let list = postings.get(k);
          if (!list) postings.set(k, (list = []));
          list.push(leafIndex, unitIndex, tokenIndex);
        }
        const entryKey = `${unit.layer}|${token.surface}`;
        const entry = counts.get(entryKey);
        if (entry) entry.count++;
        else counts.set(entryKey, { word: token.surface, layer: unit.layer, language: unit.language, count: 1 });
        if (unit.layer !== 'ru' || !hasCyrillic(token.surface)) return;
        const stem = analyzer.stem(token.surface);
        for (const spelling of analyzer.latin(token.surface)) addTo(latinWords, spelling, stem);
        // Every stem, including those of the parts of «по-прежнему», is spelled in Latin.
        for (const key of token.keys) {
          for (const spelling of analyzer.latin(key)) if (spelling.length >= 4) addTo(latinStems, spelling, key);
        }
      }),
    ),
  );

  const vocabulary: VocabularyEntry[] = [...counts.values()].sort((a, b) =>
    a.word < b.word ? -1 : a.word > b.word ? 1 : a.layer < b.layer ? -1 : 1,
  );
  const latinVocabulary: LatinSpelling[] = vocabulary
    .filter((entry) => entry.layer === 'ru')
    .flatMap((entry) => analyzer.latin(entry.word).map((spelling) => ({ spelling, entry })))
    .sort((a, b) => (a.spelling < b.spelling ? -1 : a.spelling > b.spelling ? 1 : 0));

  return {
    version: doc.version,
    leaves,
    postings,
    latinWords: asArrays(latinWords),
    latinStems: asArrays(latinStems),
    vocabulary,
    latinVocabulary,
  };
}
