import type { UiLanguage } from './locale.js';

/** What the server tells the page, as JSON in `<script type="application/json" id="viewer-config">` (no inline code). */
export interface PageConfig {
  /** Our document's manifest: opened unless the URL names another. */
  manifestId: string;
  /** Absolute URL that share links point at (the document page). */
  pageUrl: string;
  /** The language the server rendered the page in. */
  language: UiLanguage;
  embedded: boolean;
}

export function readPageConfig(doc: Document): PageConfig {
  const text = doc.getElementById('viewer-config')?.textContent;
  if (!text) throw new Error('viewer-config is missing');
  return JSON.parse(text) as PageConfig;
}
