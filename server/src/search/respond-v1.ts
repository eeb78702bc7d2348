import type { HitView } from './hit-segments.js';
import { quote } from './hit-segments.js';
import { hitAnnotations, type HitTargets } from './hit-annotations.js';
import { queryUrl, type EchoedQuery, type PageSlice } from './paging.js';

export const searchContext1 = 'http://iiif.io/api/search/1/context.json';
export const presentationContext2 = 'http://iiif.io/api/presentation/2/context.json';

export interface Search1Input {
  readonly targets: HitTargets;
  readonly query: EchoedQuery;
  readonly ignored: readonly string[];
  readonly slice: PageSlice<HitView>;
  readonly totalHits: number;
  /** The motivation the annotations carry in the Presentation 2.1 world. */
  readonly motivation: string;
}

/**
 * A Content Search 1.0 response (§3.3–3.4): an `sc:AnnotationList` of the hit annotations
 * (`resources`), one `search:Hit` per match with `before`/`match`/`after` (a phrase over two
 * lines is one hit over two annotations, §3.4.4), and the result set as `within` (a Layer).
 */
export function searchResponse1(input: Search1Input): Record<string, unknown> {
  const { targets, query, ignored, slice } = input;
  const service = targets.service;
  const paged = slice.pages > 1;
  const resources: Record<string, unknown>[] = [];
  const hits: Record<string, unknown>[] = [];
  for (const view of slice.items) {
    const annotations = hitAnnotations(targets, view);
    for (const a of annotations) {
      resources.push({
        '@id': a.id,
        '@type': 'oa:Annotation',
        motivation: input.motivation,
        resource: { '@type': 'cnt:ContentAsText', chars: a.value, format: 'text/plain', language: a.language },
        on: a.target,
      });
    }
    const { prefix, exact, suffix } = quote(view.unit.text, view.start, view.end);
    hits.push({
      '@type': 'search:Hit',
      annotations: annotations.map((a) => a.id),
      match: exact,
      before: prefix,
      after: suffix,
    });
  }
  return {
    '@context': [presentationContext2, searchContext1],
    '@id': paged ? queryUrl(service, query, slice.page) : queryUrl(service, query),
    '@type': 'sc:AnnotationList',
    within: {
      '@type': 'sc:Layer',
      total: input.totalHits,
      ...(paged ? { first: queryUrl(service, query, 1), last: queryUrl(service, query, slice.pages) } : {}),
      ...(ignored.length > 0 ? { ignored } : {}),
    },
    ...(paged && slice.page < slice.pages ? { next: queryUrl(service, query, slice.page + 1) } : {}),
    ...(paged && slice.page > 1 ? { prev: queryUrl(service, query, slice.page - 1) } : {}),
    startIndex: slice.startIndex,
    resources,
    hits,
  };
}
