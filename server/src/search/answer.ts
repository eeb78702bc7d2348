import { BadRequestError } from '../errors.js';
import { completeTerms } from './complete-terms.js';
import { findHits } from './find-hits.js';
import type { HitTargets } from './hit-annotations.js';
import { viewHit, type HitView } from './hit-segments.js';
import { slicePage } from './paging.js';
import { parseQuery } from './parse-query.js';
import { motivationMatches, type SearchParams } from './read-params.js';
import { autocompleteResponse1, autocompleteResponse2 } from './respond-autocomplete.js';
import { searchResponse1 } from './respond-v1.js';
import { searchResponse2 } from './respond-v2.js';
import type { SearchEndpoint } from './search-ids.js';
import type { SearchIndex } from './search-index.js';

/** Content Search version. */
export type SearchVersion = 1 | 2;

/** Motivations of our annotations: `supplementing` in 3.0 terms, `sc:painting` for 2.1 clients. */
const motivations: Record<SearchVersion, readonly string[]> = {
  2: ['supplementing'],
  1: ['painting', 'sc:painting'],
};

const annotationCount = (views: readonly HitView[]) => views.reduce((n, v) => n + v.segments.length, 0);

/** The response to a search: every hit found, then the page asked for, in the version's shape. */
export function answerSearch(
  version: SearchVersion,
  index: SearchIndex,
  targets: HitTargets,
  params: SearchParams,
  pageSize: number,
): Record<string, unknown> {
  const clauses = params.q === null ? [] : parseQuery(params.q);
  const hits = motivationMatches(params.motivation, motivations[version]) ? findHits(index, clauses) : [];
  const views = hits.map((h) => viewHit(index, h));
  const slice = slicePage(views, params.page, pageSize);
  const query = { q: params.q ?? '', motivation: params.motivation };
  if (version === 1) {
    return searchResponse1({ targets, query, ignored: params.ignored, slice, totalHits: views.length, motivation: 'sc:painting' });
  }
  return searchResponse2({
    targets,
    query,
    ignored: params.ignored,
    slice,
    annotationsBefore: annotationCount(views.slice(0, slice.startIndex)),
    annotationsTotal: annotationCount(views),
  });
}

/** The response to an autocomplete request; `q` is required there (1.0 §4.2, 2.0 §5.1). */
export function answerAutocomplete(
  version: SearchVersion,
  index: SearchIndex,
  endpoint: SearchEndpoint,
  params: SearchParams,
): Record<string, unknown> {
  if (params.q === null) throw new BadRequestError('q is required');
  const terms = motivationMatches(params.motivation, motivations[version])
    ? completeTerms(index, params.q, params.min ?? 1)
    : [];
  const input = {
    autocomplete: endpoint.autocomplete,
    search: endpoint.search,
    query: { q: params.q, motivation: params.motivation },
    min: params.min,
    ignored: params.ignored,
    terms,
  };
  return version === 2 ? autocompleteResponse2(input) : autocompleteResponse1(input);
}
