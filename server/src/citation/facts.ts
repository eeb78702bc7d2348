import type { ArchivalDocument, LanguageMap } from '../document/model.js';

/**
 * What a citation of a document says, read from its record and nothing else, once per
 * language version: the original (the language of its transcription) and each translation.
 * Every formatter (CSL-JSON, BibTeX, RIS, the page's meta tags and JSON-LD) starts from this,
 * so they cannot disagree. A value the record does not give is left out, never made up.
 */
export interface CitedVersion {
  /** Citation key and CSL id: `<document>-<language>`. */
  readonly key: string;
  /** BCP 47 tag of this version's text. */
  readonly language: string;
  readonly role: 'original' | 'translation';
  readonly title: string;
  readonly authors: readonly string[];
  readonly recipients: readonly string[];
  /** Who translated it: empty for the original. */
  readonly translators: readonly string[];
  readonly genre?: string;
  /** The holding archive's name in this language. */
  readonly archive?: string;
  /** The shelfmark with the leaves, e.g. "RGASPI, f. 558, op. 11, d. 340, ll. 43–45". */
  readonly shelfmark?: string;
  readonly summary?: string;
}

export interface CitationDate {
  /** As in the record: YYYY-MM-DD. */
  readonly iso: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface CitationFacts {
  readonly documentId: string;
  /** The page a reader should be sent to. */
  readonly url: string;
  readonly date: CitationDate;
  readonly original: CitedVersion;
  readonly translations: readonly CitedVersion[];
  /** fond → opis → delo, outermost first, with their labels by language. */
  readonly hierarchy: readonly LanguageMap[];
  readonly repository: LanguageMap;
  readonly rights: string;
}

/** The values in `language`, or language-neutral ones ("none"); undefined when there are none. */
function valuesIn(map: LanguageMap | undefined, language: string): readonly string[] | undefined {
  const values = map?.[language] ?? map?.none;
  return values && values.length > 0 ? values : undefined;
}

/** A name is the same person in any script: when this language has none, any other will do. */
function names(map: LanguageMap, language: string): readonly string[] {
  return valuesIn(map, language) ?? Object.values(map).find((v) => v.length > 0) ?? [];
}

function parseDate(iso: string): CitationDate {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { iso, year, month, day };
}

/** The record's shelfmark is given in Russian and English only. */
function shelfmarkIn(reference: { readonly ru: string; readonly en: string }, language: string): string | undefined {
  return language === 'ru' || language === 'en' ? reference[language] : undefined;
}

export function citationFacts(doc: ArchivalDocument, url: string): CitationFacts {
  const r = doc.record;
  const version = (language: string, role: CitedVersion['role']): CitedVersion => {
    const title = valuesIn(r.title, language)?.[0] ?? names(r.title, language)[0] ?? doc.id;
    const genre = valuesIn(r.genre, language)?.[0];
    const archive = valuesIn(r.repository.label, language)?.[0];
    const shelfmark = shelfmarkIn(r.reference, language);
    const summary = valuesIn(r.summary, language)?.[0];
    return {
      key: `${doc.id}-${language}`,
      language,
      role,
      title,
      authors: names(r.creator, language),
      recipients: names(r.recipient, language),
      translators: role === 'translation' ? names(r.translator, language) : [],
      ...(genre !== undefined && { genre }),
      ...(archive !== undefined && { archive }),
      ...(shelfmark !== undefined && { shelfmark }),
      ...(summary !== undefined && { summary }),
    };
  };
  const originalLanguage = doc.leaves[0]?.transcription.language ?? 'und';
  const translationLanguages = [
    ...new Set(doc.leaves.flatMap((leaf) => (leaf.translation ? [leaf.translation.language] : []))),
  ].filter((language) => language !== originalLanguage);
  return {
    documentId: doc.id,
    url,
    date: parseDate(r.date),
    original: version(originalLanguage, 'original'),
    translations: translationLanguages.map((language) => version(language, 'translation')),
    hierarchy: r.hierarchy.map((unit) => unit.label),
    repository: r.repository.label,
    rights: r.rights.uri,
  };
}

/** The original first, then the translations. */
export const versionsOf = (facts: CitationFacts): readonly CitedVersion[] => [facts.original, ...facts.translations];

/** The version in `language`, else the original. */
export function versionIn(facts: CitationFacts, language: string): CitedVersion {
  return versionsOf(facts).find((v) => v.language === language) ?? facts.original;
}
