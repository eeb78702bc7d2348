import type { HitView } from './hit-segments.js';
import { hitAnnotations, type HitTargets } from './hit-annotations.js';
import { queryUrl, type EchoedQuery, type PageSlice } from './paging.js';

export const searchContext2 = 'http://iiif.io/api/search/2/context.json';

export interface Search2Input {
  readonly targets: HitTargets;
  readonly query: EchoedQuery;
  readonly ignored: readonly string[];
  readonly slice: PageSlice<HitView>;
  /** Annotations before this page, for `startIndex`, and in the whole result, for `total`. */
  readonly annotationsBefore: number;
  readonly annotationsTotal: number;
}

const pageRef = (id: string) => ({ id, type: 'AnnotationPage' as const });

/**
 * A Content Search 2.0 response (§4.2): an AnnotationPage of `supplementing` annotations on
 * the hit's word boxes or paragraph region, with `contextualizing` snippets (§4.3.1), paged
 * through an embedded AnnotationCollection when there is more than one page (§4.2.2).
 */
export function searchResponse2(input: Search2Input): Record<string, unknown> {
  const { targets, query, ignored, slice } = input;
  const service = targets.service;
  const paged = slice.pages > 1;
  const items: Record<string, unknown>[] = [];
  const contexts: Record<string, unknown>[] = [];
  for (const view of slice.items) {
    for (const a of hitAnnotations(targets, view)) {
      items.push({
        id: a.id,
        type: 'Annotation',
        motivation: 'supplementing',
        body: { type: 'TextualBody', value: a.value, format: 'text/plain', language: a.language },
        target: a.target,
      });
      contexts.push({
        id: `${a.id}/context`,
        type: 'Annotation',
        motivation: 'contextualizing',
        target: {
          type: 'SpecificResource',
          source: a.id,
          selector: [
            {
              type: 'TextQuoteSelector',
              ...(a.prefix ? { prefix: a.prefix } : {}),
              exact: a.exact,
              ...(a.suffix ? { suffix: a.suffix } : {}),
            },
          ],
        },
      });
    }
  }
  return {
    '@context': searchContext2,
    id: paged ? queryUrl(service, query, slice.page) : queryUrl(service, query),
    type: 'AnnotationPage',
    ...(ignored.length > 0 ? { ignored } : {}),
    ...(paged
      ? {
          partOf: {
            id: queryUrl(service, query),
            type: 'AnnotationCollection',
            total: input.annotationsTotal,
            first: pageRef(queryUrl(service, query, 1)),
            last: pageRef(queryUrl(service, query, slice.pages)),
          },
          ...(slice.page < slice.pages ? { next: pageRef(queryUrl(service, query, slice.page + 1)) } : {}),
          ...(slice.page > 1 ? { prev: pageRef(queryUrl(service, query, slice.page - 1)) } : {}),
          startIndex: input.annotationsBefore,
        }
      : {}),
    items,
    ...(contexts.length > 0 ? { annotations: [{ type: 'AnnotationPage', items: contexts }] } : {}),
  };
}
