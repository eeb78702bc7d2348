import type { ArchivalDocument } from '../document/model.js';
import { documentIds } from '../presentation/ids.js';
import { plainText } from '../presentation/publish.js';
import { searchIds } from '../search/search-ids.js';

/** The search service named for an edition does not answer for it. */
export class SearchServiceError extends Error {
  override name = 'SearchServiceError';
}

/**
 * Asks the search service for a word of the document and checks that it answers, with hits on
 * the edition's canvases: a static manifest must not declare a service that is not there, nor
 * one whose hits point at another copy's canvases (it then runs with another PUBLIC_BASE_URL).
 */
export async function checkSearchService(searchUrl: string, base: string, document: ArchivalDocument, timeoutMs = 10_000): Promise<void> {
  const word = /\p{L}{4,}/u.exec(plainText(document, 'transcription'))?.[0];
  if (!word) return; // nothing to search for: no text, no hits to check
  const url = `${searchIds(searchUrl, document.id).v2.search}?q=${encodeURIComponent(word)}`;
  let body: string;
  try {
    const res = await fetch(url, { headers: { Accept: 'application/ld+json, application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    body = await res.text();
    if (res.status !== 200) throw new SearchServiceError(`the search service answered ${res.status} to ${url}`);
  } catch (err) {
    if (err instanceof SearchServiceError) throw err;
    throw new SearchServiceError(`the search service did not answer ${url}: ${(err as Error).message}`);
  }
  const canvases = `${documentIds(base, 3, document.id).root}/canvas/`;
  if (!body.includes(canvases)) {
    throw new SearchServiceError(
      `the hits of ${url} do not target the edition's canvases (${canvases}…): run that service with PUBLIC_BASE_URL=${base}`,
    );
  }
}
