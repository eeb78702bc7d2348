import type { Clause } from './parse-query.js';
import { expandWord } from './expand-terms.js';
import type { Postings, SearchIndex } from './search-index.js';

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
  const lists = clause.map((word) => [...expandWord(index, word)].map((key) => index.postings.get(key) ?? []));
  const hits: Hit[] = [];
  for (const postings of lists[0]!) {
    for (let at = 0; at < postings.length; at += 3) {
      const leaf = postings[at]!;
      const unit = postings[at + 1]!;
      const first = postings[at + 2]!;
      // A phrase's next word follows when one of its keys has a posting at the next token: the
      // postings answer it, so a search reads no unit's tokens to follow a phrase.
      let follows = true;
      for (let i = 1; i < clause.length && follows; i++) follows = lists[i]!.some((list) => hasPosting(list, leaf, unit, first + i));
      if (follows) hits.push({ leaf, unit, first, last: first + clause.length - 1 });
    }
  }
  return hits;
}

/** Whether a key's postings (leaf, unit, token triples in reading order) hold this token: a binary search. */
export function hasPosting(postings: Postings, leaf: number, unit: number, token: number): boolean {
  let low = 0;
  let high = postings.length / 3 - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = 3 * mid;
    const cmp = postings[at]! - leaf || postings[at + 1]! - unit || postings[at + 2]! - token;
    if (cmp === 0) return true;
    if (cmp < 0) low = mid + 1;
    else high = mid - 1;
  }
  return false;
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
