import type { Box } from '../document/model.js';
import type { Size } from '../presentation/geometry.js';

/** The two searchable layers: the Russian transcription and the English translation. */
export type Layer = 'ru' | 'en';

/** One part of a hit as drawn on the page: a word box, a run of words on a line, or a paragraph region. */
export interface Segment {
  /** Offsets of this part in the unit's text. */
  readonly start: number;
  readonly end: number;
  /** Null when the source has no geometry: the hit then targets the whole canvas. */
  readonly box: Box | null;
}

/**
 * A word where a search shows it: a run of letters and digits in its unit's text (a word
 * broken across lines is one token) and its boxes.
 */
export interface PlacedToken {
  readonly start: number;
  readonly end: number;
  /** The boxes the word occupies: one, or two for a word broken at the end of a line. */
  readonly parts: readonly Segment[];
  /** Index of the line each part lies on (ru); phrases drawn as one box per line. */
  readonly lines: readonly number[];
}

/**
 * A word as indexed: where it is, and what it is found by. Its keys and surface make the
 * postings and the vocabulary when the index is built; a search reads those, not the token's.
 */
export interface IndexedToken extends PlacedToken {
  /** Stems this token answers to: the whole word's, and each part's if it is hyphenated. */
  readonly keys: readonly string[];
  /** The folded word as written (hyphens removed), for autocomplete. */
  readonly surface: string;
}

/**
 * A unit's tokens by position: an array in an index just built; in one read back from its
 * file, each token made when asked for (index-file.ts), as a search reads a few of hundreds.
 */
export interface TokenList {
  readonly length: number;
  at(i: number): PlacedToken | undefined;
  slice(start?: number, end?: number): PlacedToken[];
}

/**
 * A stretch of text searched as a whole: the Russian text of one leaf, or one paragraph of
 * the English translation. Phrases never cross units.
 */
export interface TextUnit {
  readonly layer: Layer;
  readonly language: string;
  /** The text as shown in snippets: ALTO words joined by single spaces, or the paragraph. */
  readonly text: string;
  readonly tokens: TokenList;
  /** For the English layer: where the paragraph lies (union of the boxes it translates). */
  readonly region: Box | null;
  /** The leaf id (Russian) or the paragraph id (English), for annotation ids. */
  readonly ref: string;
}

export interface IndexedLeaf {
  readonly id: string;
  /**
   * The page size the transcription's boxes refer to (absent for plain text): with the
   * canvas size, all a hit needs to be placed, so an answer never loads the document.
   */
  readonly page: Size | null;
  readonly units: readonly TextUnit[];
}

/**
 * Where a key occurs: (leaf, unit, token) triples, flat, in reading order (so a phrase finds
 * its next word in them by binary search: find-hits.ts). Flat numbers rather
 * than an object each: an index read back from its file is searched without making thousands
 * of objects for the garbage collector.
 */
export type Postings = readonly number[];

/**
 * A key's list, looked up: a Map in an index just built; in one read back from its file, the
 * encoded section searched in place (index-file.ts), as a search looks up a handful of keys.
 */
export interface KeyedLists<V> {
  get(key: string): V | undefined;
}

export interface SearchIndex {
  /** The data version it was built from (`ArchivalDocument.version`). */
  readonly version: string;
  readonly leaves: readonly IndexedLeaf[];
  /** Layer-qualified stem ("ru|переговор", "en|negoti") → its occurrences. */
  readonly postings: KeyedLists<Postings>;
  /** Latin spelling of a whole Russian word → the Russian stems it spells. */
  readonly latinWords: KeyedLists<readonly string[]>;
  /** Latin spelling of a Russian stem (4+ letters) → the stems, for inflected Latin queries. */
  readonly latinStems: KeyedLists<readonly string[]>;
  /** Autocomplete vocabulary: folded words with their counts, sorted by word. */
  readonly vocabulary: readonly VocabularyEntry[];
  /** The Russian words of the vocabulary by their Latin spellings, sorted by spelling. */
  readonly latinVocabulary: readonly LatinSpelling[];
}

/** A unit as built from a document: its tokens all at hand. */
export interface BuiltTextUnit extends TextUnit {
  readonly tokens: readonly IndexedToken[];
}

export interface BuiltLeaf extends IndexedLeaf {
  readonly units: readonly BuiltTextUnit[];
}

/** An index as built from a document: every key's list and every token at hand, to be encoded or measured. */
export interface BuiltSearchIndex extends SearchIndex {
  readonly leaves: readonly BuiltLeaf[];
  readonly postings: ReadonlyMap<string, Postings>;
  readonly latinWords: ReadonlyMap<string, readonly string[]>;
  readonly latinStems: ReadonlyMap<string, readonly string[]>;
}

export interface VocabularyEntry {
  readonly word: string;
  readonly layer: Layer;
  readonly language: string;
  readonly count: number;
}

/** One plain Latin spelling of a Russian word, so "pereg" completes «переговоры». */
export interface LatinSpelling {
  readonly spelling: string;
  readonly entry: VocabularyEntry;
}

export const layerKey = (layer: Layer, stem: string): string => `${layer}|${stem}`;
