import type { Box, Leaf, TextLine } from '../document/model.js';
import { pageRegionOf } from '../presentation/leaf-regions.js';
import type { Analyzer } from './analyzer.js';
import { foldText } from './fold.js';
import type { BuiltTextUnit, IndexedToken, Segment } from './search-index.js';
import { endsWithBreakHyphen, joinedWord, tokenize } from './tokenize.js';

interface PlacedWord {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly box: Box | null;
  readonly line: number;
  readonly lastOnLine: boolean;
}

/** The leaf's words in reading order, with their offsets in the leaf text (words joined by spaces). */
function placeWords(lines: readonly TextLine[]): { text: string; words: PlacedWord[] } {
  const words: PlacedWord[] = [];
  let text = '';
  lines.forEach((line, lineIndex) => {
    // Plain text has no ALTO words: its space-separated words get the line's box (or none).
    const source =
      line.words.length > 0
        ? line.words.map((w) => ({ text: w.text, box: w.box as Box | null }))
        : line.text.split(/\s+/).map((text) => ({ text, box: line.box }));
    source.forEach((w, i) => {
      if (w.text.trim() === '') return;
      if (text !== '') text += ' ';
      words.push({
        start: text.length,
        end: text.length + w.text.length,
        text: w.text,
        box: w.box,
        line: lineIndex,
        lastOnLine: i === source.length - 1,
      });
      text += w.text;
    });
  });
  return { text, words };
}

export function russianUnit(leaf: Leaf, analyzer: Analyzer): BuiltTextUnit {
  const lines = leaf.transcription.blocks.flatMap((b) => b.lines);
  const { text, words } = placeWords(lines);
  const tokens: IndexedToken[] = [];
  const segment = (w: PlacedWord): Segment => ({ start: w.start, end: w.end, box: w.box });
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

export function englishUnits(leaf: Leaf, analyzer: Analyzer): BuiltTextUnit[] {
  const translation = leaf.translation;
  if (!translation) return [];
  return translation.paragraphs.map((p) => {
    // The region the manifest's translation annotation targets (in page pixels; placed later).
    const region = pageRegionOf(leaf, p.targets) ?? null;
    const tokens = tokenize(p.text).map(
      (t): IndexedToken => ({
        keys: analyzer.keys(t.text),
        surface: joinedWord(foldText(t.text)),
        start: t.start,
        end: t.end,
        parts: [{ start: t.start, end: t.end, box: region }],
        lines: [0],
      }),
    );
    return { layer: 'en', language: translation.language, text: p.text, tokens, region, ref: p.id };
  });
}
