/**
 * Where a document's citation files are served: beside its page, under `/documents/{doc}/`,
 * the path each document's own page will have, so the URLs stay when that page comes.
 */
export const citationFormats = ['json', 'bib', 'ris'] as const;
export type CitationFormat = (typeof citationFormats)[number];

export const isCitationFormat = (value: string): value is CitationFormat =>
  (citationFormats as readonly string[]).includes(value);

export const documentRoot = (base: string, documentId: string) => `${base}/documents/${encodeURIComponent(documentId)}`;

/** The three citation files of one document, by format. */
export function citationIds(base: string, documentId: string): Readonly<Record<CitationFormat, string>> {
  const root = documentRoot(base, documentId);
  return { json: `${root}/cite.json`, bib: `${root}/cite.bib`, ris: `${root}/cite.ris` };
}
