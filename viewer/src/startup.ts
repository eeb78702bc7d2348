import {
  isObject,
  parseContentStateParam,
  targetFromContentState,
  type Json,
  type ViewTarget,
} from './content-state.js';
import { parseXywh } from './geometry.js';
import { pickLanguage, type UiLanguage } from './locale.js';
import type { PageConfig } from './page-config.js';

export interface StartView extends ViewTarget {
  language: UiLanguage;
  /** Set when `iiif-content` could not be read; the page says so and opens the default view. */
  problem?: string;
  /** `q`: open with the search panel showing this Content Search query. */
  searchQuery?: string;
}

/** The `q` of the page URL, trimmed and capped: the search the page opens with. */
export function searchQueryOf(params: URLSearchParams): string | undefined {
  const q = params.get('q')?.trim().slice(0, 500);
  return q ? q : undefined;
}

export type FetchJson = (url: string) => Promise<Json>;

/** Resolves a plain-URI content state: fetch it and look at what it is (§7.1). */
async function fromUri(uri: string, page: PageConfig, fetchJson: FetchJson): Promise<ViewTarget | null> {
  if (uri.includes('#')) return targetFromContentState(uri, page.manifestId);
  const json = await fetchJson(uri);
  if (isObject(json) && json.type === 'Manifest') {
    return { manifestId: uri };
  }
  return targetFromContentState(json, page.manifestId);
}

/**
 * What to open, from the page URL: `iiif-content` (IIIF Content State 1.0) wins; else `manifest`,
 * `canvas` and `xywh`; the language from `lang`, then the page, then the browser.
 */
export async function startView(
  search: string,
  page: PageConfig,
  browserLanguages: readonly string[],
  fetchJson: FetchJson,
): Promise<StartView> {
  const params = new URLSearchParams(search);
  const language = pickLanguage(params.get('lang'), [page.language, ...browserLanguages]);
  const searchQuery = searchQueryOf(params);
  const content = params.get('iiif-content');
  if (content) {
    try {
      const parsed = parseContentStateParam(content);
      const target =
        parsed.kind === 'uri' ? await fromUri(parsed.uri, page, fetchJson) : targetFromContentState(parsed.value, page.manifestId);
      if (target) return { ...target, language, ...(searchQuery && { searchQuery }) };
      return { manifestId: page.manifestId, language, problem: 'iiif-content names nothing this viewer can open' };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return { manifestId: page.manifestId, language, problem: `iiif-content: ${reason}` };
    }
  }
  const manifestId = (page.embedded && params.get('manifest')) || page.manifestId;
  const canvasId = params.get('canvas') ?? undefined;
  const xywh = canvasId ? parseXywh(params.get('xywh') ?? '') : null;
  return { manifestId, language, ...(canvasId && { canvasId }), ...(xywh && { xywh }), ...(searchQuery && { searchQuery }) };
}
