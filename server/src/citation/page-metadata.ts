import type { LanguageMap } from '../document/model.js';
import { escapeHtml as e, jsonForScript } from '../viewer/html.js';
import { bibtexMediaType } from './bibtex.js';
import { cslMediaType } from './csl.js';
import { type CitationFacts, type CitedVersion, versionIn, versionsOf } from './facts.js';
import type { CitationFormat } from './ids.js';
import { risMediaType } from './ris.js';

/** The media type of each citation file, without parameters (as `<link type>` wants it). */
export const citationMediaTypes: Readonly<Record<CitationFormat, string>> = {
  json: cslMediaType,
  bib: bibtexMediaType.split(';')[0]!,
  ris: risMediaType.split(';')[0]!,
};

/** What a reader sees the formats called. */
const formatNames: Readonly<Record<CitationFormat, string>> = { bib: 'BibTeX', ris: 'RIS', json: 'CSL-JSON' };
const formatOrder: readonly CitationFormat[] = ['bib', 'ris', 'json'];

/** Highwire Press dates: YYYY/MM/DD. */
const highwireDate = (facts: CitationFacts) => facts.date.iso.replace(/-/g, '/');

/**
 * Highwire Press `citation_*` tags (read by Google Scholar and Zotero) for the version in the
 * page's language: its title, authors and language, and the document's date. The archive and
 * shelfmark have no Highwire tag: they are in the JSON-LD and the citation files.
 */
export function citationMetaTags(facts: CitationFacts, language: string): string[] {
  const v = versionIn(facts, language);
  const meta = (name: string, content: string) => `<meta name="${name}" content="${e(content)}">`;
  return [
    meta('citation_title', v.title),
    ...v.authors.map((a) => meta('citation_author', a)),
    meta('citation_publication_date', highwireDate(facts)),
    meta('citation_date', highwireDate(facts)),
    meta('citation_language', v.language),
  ];
}

/** A language map as JSON-LD values tagged with their language ("none" untagged). */
function tagged(map: LanguageMap): unknown {
  const values = Object.entries(map).flatMap(([language, texts]) =>
    texts.map((text) => (language === 'none' ? text : { '@value': text, '@language': language })),
  );
  return values.length === 1 ? values[0] : values;
}

const agents = (names: readonly string[]) => names.map((name) => ({ name }));
const versionId = (facts: CitationFacts, v: CitedVersion) => `${facts.url}#${v.role === 'original' ? 'original' : `translation-${v.language}`}`;

/**
 * schema.org JSON-LD: the original as an ArchiveComponent (also a Message, which gives it a
 * recipient) held by the archive (ArchiveOrganization), inside the delo → opis → fond chain,
 * and each translation as a CreativeWork linked to it both ways (workTranslation /
 * translationOfWork). Agents carry names only: the record does not say what kind of agent
 * each is.
 */
export function documentJsonLd(facts: CitationFacts): Record<string, unknown> {
  const original = facts.original;
  // Outermost first in the record; nested so that the delo is part of the opis, which is part of the fond.
  const chain = facts.hierarchy.reduce<Record<string, unknown> | undefined>(
    (parent, label) => ({ '@type': 'ArchiveComponent', name: tagged(label), ...(parent && { isPartOf: parent }) }),
    undefined,
  );
  const shelfmarks = versionsOf(facts).flatMap((v) => (v.shelfmark !== undefined ? [v.shelfmark] : []));
  const originalNode = {
    '@type': ['ArchiveComponent', 'Message'],
    '@id': versionId(facts, original),
    name: original.title,
    inLanguage: original.language,
    dateCreated: facts.date.iso,
    ...(original.genre !== undefined && { genre: original.genre }),
    ...(original.authors.length > 0 && { creator: agents(original.authors) }),
    ...(original.recipients.length > 0 && { recipient: agents(original.recipients) }),
    ...(shelfmarks.length > 0 && { identifier: shelfmarks.length === 1 ? shelfmarks[0] : shelfmarks }),
    holdingArchive: { '@type': 'ArchiveOrganization', name: tagged(facts.repository) },
    ...(chain && { isPartOf: chain }),
    ...(original.summary !== undefined && { description: original.summary }),
    url: facts.url,
    license: facts.rights,
    ...(facts.translations.length > 0 && { workTranslation: facts.translations.map((t) => ({ '@id': versionId(facts, t) })) }),
  };
  const translationNodes = facts.translations.map((t) => ({
    '@type': 'CreativeWork',
    '@id': versionId(facts, t),
    name: t.title,
    inLanguage: t.language,
    ...(t.genre !== undefined && { genre: t.genre }),
    ...(t.translators.length > 0 && { translator: agents(t.translators) }),
    ...(t.summary !== undefined && { description: t.summary }),
    url: facts.url,
    translationOfWork: { '@id': originalNode['@id'] },
  }));
  return { '@context': 'https://schema.org', '@graph': [originalNode, ...translationNodes] };
}

/**
 * What the document page's `<head>` carries for software that reads pages: the citation
 * tags, the JSON-LD (a data block, which `script-src 'self'` does not block since it never
 * runs), the page as the URL to cite, and the citation files.
 */
export function citationHead(facts: CitationFacts, language: string, files: Readonly<Record<CitationFormat, string>>): string {
  const links = formatOrder.map(
    (format) =>
      `<link rel="alternate describedby" type="${e(citationMediaTypes[format])}" href="${e(files[format])}" title="${formatNames[format]}">`,
  );
  return [
    ...citationMetaTags(facts, language),
    `<link rel="cite-as" href="${e(facts.url)}">`,
    ...links,
    `<script type="application/ld+json">${jsonForScript(documentJsonLd(facts))}</script>`,
  ].join('\n    ');
}

/** The download links under "How to cite". */
export function citationDownloads(files: Readonly<Record<CitationFormat, string>>): string {
  return formatOrder
    .map((format) => `<a href="${e(files[format])}" type="${e(citationMediaTypes[format])}" download>${formatNames[format]}</a>`)
    .join(' · ');
}
