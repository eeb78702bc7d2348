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
  /** Ready-made citations for "Cite this" (the document page only; the embed has none). */
  citation?: PageCitation;
  /**
   * The page in each language, where the host cannot answer `?lang=` (a static edition): the
   * other interface language opens that file instead of reloading this one.
   */
  languageUrls?: Record<UiLanguage, string>;
}

/** One scope's citation texts, formatted by the server from the record. */
export interface CitationTexts {
  chicago: string;
  gost: string;
}

export interface LeafCitation extends CitationTexts {
  /** The leaf's label in the page's language, as the record gives it. */
  label: string;
  /** A line of this leaf: `{link}` stands for the line's Content State link. */
  line: CitationTexts;
}

export interface PageCitation {
  files: { json: string; bib: string; ris: string };
  document: CitationTexts;
  /** By canvas id. */
  leaves: Record<string, LeafCitation>;
}

export function readPageConfig(doc: Document): PageConfig {
  const text = doc.getElementById('viewer-config')?.textContent;
  if (!text) throw new Error('viewer-config is missing');
  return JSON.parse(text) as PageConfig;
}
