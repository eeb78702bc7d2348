import type { Completion } from './complete-terms.js';
import { queryUrl, type EchoedQuery } from './paging.js';
import { searchContext1 } from './respond-v1.js';
import { searchContext2 } from './respond-v2.js';

export interface AutocompleteInput {
  /** The autocomplete service's URL and the search service its terms are fed to. */
  readonly autocomplete: string;
  readonly search: string;
  readonly query: EchoedQuery;
  readonly min: number | null;
  readonly ignored: readonly string[];
  readonly terms: readonly Completion[];
}

function selfUrl(input: AutocompleteInput): string {
  const url = queryUrl(input.autocomplete, input.query);
  return input.min === null ? url : `${url}&min=${input.min}`;
}

/** Content Search 2.0 §5.2–5.3: a TermPage of terms with their `total` and `language`. */
export function autocompleteResponse2(input: AutocompleteInput): Record<string, unknown> {
  return {
    '@context': searchContext2,
    id: selfUrl(input),
    type: 'TermPage',
    ...(input.ignored.length > 0 ? { ignored: input.ignored } : {}),
    items: input.terms.map((t) => ({
      value: t.word,
      total: t.count,
      ...(t.language ? { language: t.language } : {}),
    })),
  };
}

/** Content Search 1.0 §4.3: a `search:TermList` of `match`, the search `url` and `count`. */
export function autocompleteResponse1(input: AutocompleteInput): Record<string, unknown> {
  return {
    '@context': searchContext1,
    '@id': selfUrl(input),
    '@type': 'search:TermList',
    ...(input.ignored.length > 0 ? { ignored: input.ignored } : {}),
    terms: input.terms.map((t) => ({
      match: t.word,
      url: queryUrl(input.search, { q: t.word, motivation: input.query.motivation }),
      count: t.count,
    })),
  };
}
