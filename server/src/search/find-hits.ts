import type { Clause } from './parse-query.js';
import { expandWord } from './expand-terms.js';
import { layerKey, type SearchIndex } from './search-index.js';

/** One match: a run of consecutive tokens of one text unit. */
export interface Hit {
  readonly leaf: number;
  readonly unit: number;
  readonly first: number;
  readonly last: number;
}

const order = (a: Hit, b: Hit) => a.leaf - b.leaf || a.unit - b.unit || a.first - b.first || a.last - b.last;

/**
 * Where one clause matches: every posting of a word, or every place its phrase is spelled out.
 * A token reached through several of its keys is listed once per key; findHits drops the repeats.
 */
function clauseHits(index: SearchIndex, clause: Clause): Hit[] {
  const expanded = clause.map((word) => expandWord(index, word));
  const hits: Hit[] = [];
  for (const key of expanded[0]!) {
    const postings = index.postings.get(key) ?? [];
    for (let at = 0; at < postings.length; at += 3) {
      const leaf = postings[at]!;
      const unitAt = postings[at + 1]!;
      const first = postings[at + 2]!;
      // A word is its posting: its unit's tokens are read only to follow a phrase.
      if (clause.length === 1) {
        hits.push({ leaf, unit: unitAt, first, last: first });
        continue;
      }
      const unit = index.leaves[leaf]!.units[unitAt]!;
      const last = first + clause.length - 1;
      if (last >= unit.tokens.length) continue;
      let follows = true;
      for (let i = 1; i < clause.length && follows; i++) {
        const token = unit.tokens[first + i]!;
        follows = token.keys.some((k) => expanded[i]!.has(layerKey(unit.layer, k)));
      }
      if (follows) hits.push({ leaf, unit: unitAt, first, last });
    }
  }
  return hits;
}

/**
 * Every match of the query on the canvases where all of its clauses match (several words =
 * all must occur on the same leaf, in either layer), in reading order: leaf, Russian before
 * English, then position.
 */
export function findHits(index: SearchIndex, clauses: readonly Clause[]): Hit[] {
  if (clauses.length === 0) return [];
  const perClause = clauses.map((c) => clauseHits(index, c));
  const leavesOf = (hits: Hit[]) => new Set(hits.map((h) => h.leaf));
  let leaves = leavesOf(perClause[0]!);
  for (const hits of perClause.slice(1)) {
    const these = leavesOf(hits);
    leaves = new Set([...leaves].filter((l) => these.has(l)));
  }
  const unique = new Map<string, Hit>();
  for (const hits of perClause) {
    for (const h of hits) if (leaves.has(h.leaf)) unique.set(`${h.leaf}/${h.unit}/${h.first}/${h.last}`, h);
  }
  return [...unique.values()].sort(order);
}
