import { union } from '../document/boxes.js';
import type { Hit } from './find-hits.js';
import type { SearchIndex, Segment, TextUnit } from './search-index.js';

/** A hit as annotations: one segment per line it spans (Russian) or its paragraph (English). */
export interface HitView {
  readonly leafId: string;
  readonly unit: TextUnit;
  /** Offsets of the whole match in the unit's text. */
  readonly start: number;
  readonly end: number;
  readonly segments: readonly Segment[];
}

export function viewHit(index: SearchIndex, hit: Hit): HitView {
  const leaf = index.leaves[hit.leaf]!;
  const unit = leaf.units[hit.unit]!;
  const tokens = unit.tokens.slice(hit.first, hit.last + 1);
  const start = tokens[0]!.start;
  const end = tokens[tokens.length - 1]!.end;
  if (unit.layer === 'en') {
    return { leafId: leaf.id, unit, start, end, segments: [{ start, end, box: unit.region }] };
  }
  // Consecutive parts on the same line become one box: a phrase is drawn line by line.
  const groups: { line: number; parts: Segment[] }[] = [];
  for (const token of tokens) {
    const lines = token.lines;
    token.parts.forEach((part, i) => {
      const line = lines[i]!;
      const group = groups[groups.length - 1];
      if (group && group.line === line) {
        group.parts.push(part);
      } else {
        groups.push({ line, parts: [part] });
      }
    });
  }
  const segments = groups.map(({ parts }): Segment => {
    return {
      // A word's part spans the whole word as written: trim it to the match.
      start: Math.max(Math.min(...parts.map((p) => p.start)), start),
      end: Math.min(Math.max(...parts.map((p) => p.end)), end),
      box: parts.some((p) => p.box === null) ? null : union(parts.map((p) => p.box)),
    };
  });
  return { leafId: leaf.id, unit, start, end, segments };
}

/** Characters of context on each side of a match in snippets. */
const contextLength = 64;

/**
 * The text around [start, end): a prefix and a suffix of about 64 characters each, cut at
 * word boundaries and keeping the separating space, as TextQuoteSelector and `before`/`after` want.
 */
export function quote(text: string, start: number, end: number): { prefix: string; exact: string; suffix: string } {
  let from = Math.max(0, start - contextLength);
  if (from > 0) {
    const space = text.indexOf(' ', from);
    from = space === -1 || space >= start ? start : space + 1;
  }
  let to = Math.min(text.length, end + contextLength);
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    to = space <= end ? end : space;
  }
  return { prefix: text.slice(from, start), exact: text.slice(start, end), suffix: text.slice(end, to) };
}
