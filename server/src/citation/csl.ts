import type { CitationFacts, CitedVersion } from './facts.js';
import { versionsOf } from './facts.js';

/** A CSL-JSON name given as one literal: the record does not split names into family and given parts. */
interface CslName {
  literal: string;
}

/** The CSL-JSON variables we fill (CSL 1.0.2 data schema). */
export interface CslItem {
  id: string;
  /** A letter, cable or memorandum between people is CSL's `personal_communication`, with a `recipient`. */
  type: 'personal_communication';
  language: string;
  title: string;
  'original-title'?: string;
  author?: CslName[];
  recipient?: CslName[];
  translator?: CslName[];
  issued: { 'date-parts': [[number, number, number]] };
  genre?: string;
  archive?: string;
  archive_location?: string;
  URL: string;
  abstract?: string;
}

export const cslMediaType = 'application/vnd.citationstyles.csl+json';

const literal = (names: readonly string[]): CslName[] | undefined =>
  names.length > 0 ? names.map((name) => ({ literal: name })) : undefined;

function cslItem(facts: CitationFacts, v: CitedVersion): CslItem {
  const author = literal(v.authors);
  const recipient = literal(v.recipients);
  const translator = literal(v.translators);
  return {
    id: v.key,
    type: 'personal_communication',
    language: v.language,
    title: v.title,
    // A translation names the title it translates, so a style can print both.
    ...(v.role === 'translation' && { 'original-title': facts.original.title }),
    ...(author && { author }),
    ...(recipient && { recipient }),
    ...(translator && { translator }),
    issued: { 'date-parts': [[facts.date.year, facts.date.month, facts.date.day]] },
    ...(v.genre !== undefined && { genre: v.genre }),
    ...(v.archive !== undefined && { archive: v.archive }),
    ...(v.shelfmark !== undefined && { archive_location: v.shelfmark }),
    URL: facts.url,
    ...(v.summary !== undefined && { abstract: v.summary }),
  };
}

/**
 * One CSL-JSON item per language version: the original first, then each translation (with
 * its translator and the original's title). The accessed date is left to the reader's software.
 */
export function cslItems(facts: CitationFacts): CslItem[] {
  return versionsOf(facts).map((v) => cslItem(facts, v));
}

export const cslJson = (facts: CitationFacts): string => `${JSON.stringify(cslItems(facts), null, 2)}\n`;
