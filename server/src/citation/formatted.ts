import type { CitationFacts, CitedVersion } from './facts.js';
import { versionIn } from './facts.js';

/** One scope's citation, ready to paste: Chicago (notes) for the English translation, GOST R 7.0.5–2008 for the Russian original. */
export interface FormattedCitation {
  readonly chicago: string;
  readonly gost: string;
}

/** A leaf's label by language, as the record gives it (e.g. { en: "l. 44", ru: "л. 44" }). */
export interface LeafLabels {
  readonly en?: string;
  readonly ru?: string;
}

const englishMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
// Genitive, as a Russian date is written ("13 июля 1951 г.").
const russianMonths = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

const englishDate = (facts: CitationFacts) => `${englishMonths[facts.date.month - 1]} ${facts.date.day}, ${facts.date.year}`;
const russianDate = (facts: CitationFacts) => `${facts.date.day} ${russianMonths[facts.date.month - 1]} ${facts.date.year} г.`;

/** Text closed with a period unless it already ends with punctuation of its own. */
const closed = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** "A", "A and B", "A, B and C". */
const joinNames = (names: readonly string[], and: string) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;

// The leaves part that ends a shelfmark: "ll. 43–45" (en) or "Л. 43–45." (ru).
const leavesPart = /(?<=^|[\s,.])(ll?|Лл?|лл?)\.\s*[\p{N}–\-, ]*?(\.?)$/u;

/**
 * The record's shelfmark with its leaves replaced by one leaf's label, e.g. "… Л. 44." or
 * "…, l. 44": the label is the record's own, capitalised only where the shelfmark's leaves part was.
 * Undefined when the shelfmark has no leaves part to replace.
 */
export function leafShelfmark(shelfmark: string, label: string): string | undefined {
  const m = leavesPart.exec(shelfmark);
  if (!m) return undefined;
  const upper = m[1]![0] !== m[1]![0]!.toLowerCase();
  const leaf = upper ? label.charAt(0).toUpperCase() + label.slice(1) : label;
  return `${shelfmark.slice(0, m.index)}${leaf}${m[2] ?? ''}`;
}

/** The English version if there is one (Chicago is an English style), else the original. */
const englishVersion = (facts: CitationFacts): CitedVersion => versionIn(facts, 'en');
const russianVersion = (facts: CitationFacts): CitedVersion => versionIn(facts, 'ru');

/**
 * True when the shelfmark already names the archive, by its name or the abbreviation the name
 * carries in parentheses ("RGASPI, f. 558, …"): then the archive is not named a second time.
 */
function namedBy(shelfmark: string | undefined, archive: string | undefined): boolean {
  if (!shelfmark || !archive) return false;
  const abbreviation = /\(([^()]+)\)\s*$/.exec(archive)?.[1];
  return [archive, abbreviation].some((name) => name !== undefined && shelfmark.startsWith(`${name},`));
}

function chicago(facts: CitationFacts, shelfmark: string | undefined, url: string): string {
  const v = englishVersion(facts);
  const parts = [
    v.authors.length > 0 ? joinNames(v.authors, 'and') : undefined,
    // Chicago puts the comma inside the quotation marks, so no separator follows the title.
    `“${v.title},” ${englishDate(facts)}`,
    namedBy(shelfmark, v.archive) ? undefined : v.archive,
    shelfmark,
    v.translators.length > 0 ? `translated by ${joinNames(v.translators, 'and')}` : undefined,
    url,
  ].filter((p): p is string => p !== undefined && p !== '');
  return `${parts.join(', ')}.`;
}

function gost(facts: CitationFacts, shelfmark: string | undefined, link?: string): string {
  const v = russianVersion(facts);
  const described = `${closed(v.title)} ${russianDate(facts)}`;
  const held = shelfmark ? ` // ${closed(shelfmark)}` : '';
  return `${described}${held}${link ? ` URL: ${link}` : ''}`;
}

/** The whole document: the record's shelfmark with all its leaves, and the document page. */
export function documentCitation(facts: CitationFacts): FormattedCitation {
  return {
    chicago: chicago(facts, englishVersion(facts).shelfmark, facts.url),
    gost: gost(facts, russianVersion(facts).shelfmark),
  };
}

function leafShelfmarks(facts: CitationFacts, leaf: LeafLabels) {
  const en = englishVersion(facts).shelfmark;
  const ru = russianVersion(facts).shelfmark;
  return {
    en: en && leaf.en ? (leafShelfmark(en, leaf.en) ?? en) : en,
    ru: ru && leaf.ru ? (leafShelfmark(ru, leaf.ru) ?? ru) : ru,
  };
}

/** One leaf: the shelfmark narrowed to that leaf; `url` is where the leaf is shown (the document page by default). */
export function leafCitation(facts: CitationFacts, leaf: LeafLabels, url: string = facts.url): FormattedCitation {
  const s = leafShelfmarks(facts, leaf);
  return { chicago: chicago(facts, s.en, url), gost: gost(facts, s.ru) };
}

/** One line of a leaf: the leaf's citation, pointing at the line through a IIIF Content State link. */
export function lineCitation(facts: CitationFacts, leaf: LeafLabels, contentStateLink: string): FormattedCitation {
  const s = leafShelfmarks(facts, leaf);
  return { chicago: chicago(facts, s.en, contentStateLink), gost: gost(facts, s.ru, contentStateLink) };
}

/** Stands for a line's Content State link in a line citation made before the line is chosen (the viewer fills it in). */
export const lineLinkSlot = '{link}';
