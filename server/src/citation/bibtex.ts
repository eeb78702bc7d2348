import type { CitationFacts, CitedVersion } from './facts.js';
import { versionsOf } from './facts.js';

export const bibtexMediaType = 'application/x-bibtex; charset=utf-8';

const specials: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  '&': '\\&',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** Text as a BibTeX field value: TeX's special characters escaped, whitespace collapsed to single spaces. UTF-8 stays as it is (biber, BibTeX 8-bit). */
export function escapeBibtex(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}%&$#_~^]/g, (c) => specials[c]!);
}

/**
 * Braces every word that has a capital letter, in any script, so that a style which changes
 * a title's case (sentence case, BibTeX's `change.case$`, biblatex's \MakeSentenceCase) keeps
 * proper names and Cyrillic capitals as written. Expects escaped text.
 */
export function protectCase(escaped: string): string {
  return escaped.replace(/(?<!\\)\p{L}[\p{L}\p{M}'’-]*/gu, (word) => (/\p{Lu}/u.test(word) ? `{${word}}` : word));
}

/** A name list: each name braced whole, since the record gives names as written, not split into family and given parts. */
const nameList = (names: readonly string[]) => names.map((n) => `{${escapeBibtex(n)}}`).join(' and ');

/** BibTeX keys allow no spaces, commas or braces. */
export const bibtexKey = (key: string) => key.replace(/[^A-Za-z0-9_:.\-]/g, '-');

/** babel/polyglossia names for `langid`; a language not listed here gets no langid. */
const babelNames: Readonly<Record<string, string>> = {
  ru: 'russian',
  en: 'english',
  uk: 'ukrainian',
  de: 'german',
  fr: 'french',
};

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

type Field = readonly [name: string, value: string, bare?: boolean];

function entry(facts: CitationFacts, v: CitedVersion): string {
  const original = facts.original;
  const others = versionsOf(facts).filter((o) => o !== v);
  const related = v.role === 'translation' ? [original] : others;
  const langid = babelNames[v.language];
  const origLangid = babelNames[original.language];
  const fields: (Field | false)[] = [
    v.authors.length > 0 && ['author', nameList(v.authors)],
    ['title', protectCase(escapeBibtex(v.title))],
    v.role === 'translation' && ['origtitle', protectCase(escapeBibtex(original.title))],
    v.translators.length > 0 && ['translator', nameList(v.translators)],
    // biblatex reads `date` (with the day); BibTeX styles read `year` and `month`.
    ['date', facts.date.iso],
    ['year', String(facts.date.year)],
    ['month', months[facts.date.month - 1]!, true],
    v.genre !== undefined && ['type', escapeBibtex(v.genre)],
    // `howpublished` is printed by every standard style for @misc: the shelfmark is what finds the document.
    v.shelfmark !== undefined && ['howpublished', escapeBibtex(v.shelfmark)],
    v.archive !== undefined && ['organization', escapeBibtex(v.archive)],
    langid !== undefined && ['langid', langid],
    v.role === 'translation' && origLangid !== undefined && ['origlanguage', origLangid],
    ['url', facts.url],
    related.length > 0 && ['related', related.map((o) => bibtexKey(o.key)).join(',')],
    related.length > 0 && ['relatedtype', v.role === 'translation' ? 'translationof' : 'translatedas'],
  ];
  const body = fields
    .filter((f): f is Field => f !== false)
    .map(([name, value, bare]) => `  ${name} = ${bare ? value : `{${value}}`}`)
    .join(',\n');
  return `@misc{${bibtexKey(v.key)},\n${body}\n}\n`;
}

/**
 * One `@misc` entry per language version, linked with biblatex's `related`/`relatedtype`
 * (the translation names the original's title in `origtitle`). `@misc` rather than
 * biblatex's `@letter`, which the standard styles do not know.
 */
export function bibtex(facts: CitationFacts): string {
  return versionsOf(facts)
    .map((v) => entry(facts, v))
    .join('\n');
}
