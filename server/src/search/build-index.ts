import type { ArchivalDocument, Box, Leaf, TextLine } from '../document/model.js';
import { foldText, hasCyrillic } from './fold.js';
import { unionBox } from './region.js';
import {
  layerKey,
  type IndexedLeaf,
  type IndexedToken,
  type Layer,
  type Posting,
  type SearchIndex,
  type Segment,
  type TextUnit,
  type VocabularyEntry,
} from './search-index.js';
import { stemOf } from './stem.js';
import { endsWithBreakHyphen, joinedWord, tokenize, wordParts } from './tokenize.js';
import { latinSpellings } from './transliterate.js';

/** Stemming and transliteration are the costly steps; words repeat, so each is done once. */
class Analyzer {
  private readonly stems = new Map<string, string>();
  private readonly spellings = new Map<string, string[]>();

  stem(folded: string): string {
    let s = this.stems.get(folded);
    if (s === undefined) this.stems.set(folded, (s = stemOf(folded)));
    return s;
  }

  latin(folded: string): string[] {
    let l = this.spellings.get(folded);
    if (l === undefined) this.spellings.set(folded, (l = hasCyrillic(folded) ? latinSpellings(folded) : []));
    return l;
  }

  /** Keys of a written word: its stem, plus each part's stem when it is hyphenated. */
  keys(written: string): string[] {
    const folded = foldText(written);
    const keys = new Set([this.stem(joinedWord(folded))]);
    const parts = wordParts(folded);
    if (parts.length > 1) for (const p of parts) keys.add(this.stem(p));
    return [...keys];
  }
}

interface PlacedWord {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly box: Box | null;
  readonly ref: string;
  readonly line: number;
  readonly lastOnLine: boolean;
}

/** The leaf's words in reading order, with their offsets in the leaf text (words joined by spaces). */
function placeWords(lines: readonly TextLine[]): { text: string; words: PlacedWord[] } {
  const words: PlacedWord[] = [];
  let text = '';
  lines.forEach((line, lineIndex) => {
    // Plain text has no ALTO words: its tokens become words without boxes of their own.
    const source =
      line.words.length > 0
        ? line.words.map((w) => ({ text: w.text, box: w.box as Box | null, ref: w.id }))
        : tokenize(line.text).map((t) => ({ text: t.text, box: line.box, ref: line.id }));
    source.forEach((w, i) => {
      if (w.text.trim() === '') return;
      if (text !== '') text += ' ';
      words.push({
        start: text.length,
        end: text.length + w.text.length,
        text: w.text,
        box: w.box,
        ref: w.ref,
        line: lineIndex,
        lastOnLine: i === source.length - 1,
      });
      text += w.text;
    });
  });
  return { text, words };
}

function russianUnit(leaf: Leaf, analyzer: Analyzer): TextUnit {
  const lines = leaf.transcription.blocks.flatMap((b) => b.lines);
  const { text, words } = placeWords(lines);
  const tokens: IndexedToken[] = [];
  const segment = (w: PlacedWord): Segment => ({ start: w.start, end: w.end, box: w.box, ref: w.ref });
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const inner = tokenize(w.text);
    inner.forEach((t, j) => {
      const next = words[i + 1];
      const broken =
        j === inner.length - 1 &&
        w.lastOnLine &&
        next !== undefined &&
        endsWithBreakHyphen(w.text.trimEnd()) &&
        w.start + t.end === w.start + w.text.trimEnd().length - 1;
      const continuation = broken ? tokenize(next.text)[0] : undefined;
      if (broken && continuation && continuation.start === 0) {
        // A word broken by a hyphen at the line end is searched as the whole word.
        const surface = joinedWord(foldText(t.text + continuation.text));
        tokens.push({
          keys: [analyzer.stem(surface)],
          surface,
          start: w.start + t.start,
          end: next.start + continuation.end,
          parts: [segment(w), segment(next)],
          lines: [w.line, next.line],
        });
        i++;
        // The rest of the continuation word (e.g. "воры," after "перего-") is still searched.
        for (const rest of tokenize(next.text).slice(1)) tokens.push(plainToken(next, rest));
        return;
      }
      tokens.push(plainToken(w, t));
    });
  }
  function plainToken(w: PlacedWord, t: { text: string; start: number; end: number }): IndexedToken {
    return {
      keys: analyzer.keys(t.text),
      surface: joinedWord(foldText(t.text)),
      start: w.start + t.start,
      end: w.start + t.end,
      parts: [segment(w)],
      lines: [w.line],
    };
  }
  return {
    layer: 'ru',
    language: leaf.transcription.language,
    text,
    tokens,
    region: null,
    ref: leaf.id,
  };
}

/** Boxes of the blocks and lines of this leaf, by id, for the regions of translated paragraphs. */
function boxesById(leaf: Leaf): Map<string, Box | null> {
  const boxes = new Map<string, Box | null>();
  for (const block of leaf.transcription.blocks) {
    boxes.set(block.id, block.box ?? unionBox(block.lines.map((l) => l.box)));
    for (const line of block.lines) boxes.set(line.id, line.box ?? unionBox(line.words.map((w) => w.box)));
  }
  return boxes;
}

function englishUnits(leaf: Leaf, analyzer: Analyzer): TextUnit[] {
  const translation = leaf.translation;
  if (!translation) return [];
  const boxes = boxesById(leaf);
  return translation.paragraphs.map((p) => {
    const region = unionBox(p.targets.map((id) => boxes.get(id) ?? null));
    const tokens = tokenize(p.text).map(
      (t): IndexedToken => ({
        keys: analyzer.keys(t.text),
        surface: joinedWord(foldText(t.text)),
        start: t.start,
        end: t.end,
        parts: [{ start: t.start, end: t.end, box: region, ref: p.id }],
        lines: [0],
      }),
    );
    return { layer: 'en', language: translation.language, text: p.text, tokens, region, ref: p.id };
  });
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** Builds the search index of a document: pure, from the loaded model only. */
export function buildSearchIndex(doc: ArchivalDocument): SearchIndex {
  const analyzer = new Analyzer();
  const leaves: IndexedLeaf[] = doc.leaves.map((leaf) => ({
    id: leaf.id,
    leaf,
    units: [russianUnit(leaf, analyzer), ...englishUnits(leaf, analyzer)],
  }));

  const postings = new Map<string, Posting[]>();
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
          list.push({ leaf: leafIndex, unit: unitIndex, token: tokenIndex });
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

  const vocabulary: VocabularyEntry[] = [...counts.values()]
    .map((e) => ({ ...e, latin: e.layer === 'ru' ? analyzer.latin(e.word) : [] }))
    .sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : a.layer < b.layer ? -1 : 1));

  return {
    documentId: doc.id,
    version: doc.version,
    leaves,
    postings,
    latinWords,
    latinStems,
    vocabulary,
  };
}
