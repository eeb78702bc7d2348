import type { ArchivalDocument } from '../document/model.js';
import type { ManifestServices } from '../presentation/build-input.js';
import { searchIds, type SearchEndpoint } from './search-ids.js';
import { searchContext1 } from './respond-v1.js';

export const searchProfile1 = 'http://iiif.io/api/search/1/search';
export const autocompleteProfile1 = 'http://iiif.io/api/search/1/autocomplete';

/** Content Search 2.0 §3: SearchService2 with its nested AutoCompleteService2. */
export function searchService2(endpoint: SearchEndpoint): Record<string, unknown> {
  return {
    id: endpoint.search,
    type: 'SearchService2',
    service: [{ id: endpoint.autocomplete, type: 'AutoCompleteService2' }],
  };
}

/**
 * Content Search 1.0 in a Presentation 3.0 `service` array: the older `@id`/`@type` names
 * (Presentation 3.0 §service), found by Mirador and UV through the 1.0 profile.
 */
export function searchService1In3(endpoint: SearchEndpoint): Record<string, unknown> {
  return {
    '@id': endpoint.search,
    '@type': 'SearchService1',
    profile: searchProfile1,
    service: [{ '@id': endpoint.autocomplete, '@type': 'AutoCompleteService1', profile: autocompleteProfile1 }],
  };
}

/** Content Search 1.0 §3.1 and §4.1, as a Presentation 2.1 manifest carries it. */
export function searchService1In2(endpoint: SearchEndpoint): Record<string, unknown> {
  return {
    '@context': searchContext1,
    '@id': endpoint.search,
    profile: searchProfile1,
    service: { '@id': endpoint.autocomplete, profile: autocompleteProfile1 },
  };
}

/** The search services of a document's manifests; plugs into the manifest builders' services hook. */
export function searchManifestServices(document: ArchivalDocument, base: string): ManifestServices {
  const ids = searchIds(base, document.id);
  return {
    v3: [searchService2(ids.v2), searchService1In3(ids.v1)],
    v2: [searchService1In2(ids.v1ForPresentation2)],
  };
}
