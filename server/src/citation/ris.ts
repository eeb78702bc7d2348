import type { CitationFacts, CitedVersion } from './facts.js';
import { versionsOf } from './facts.js';

export const risMediaType = 'application/x-research-info-systems; charset=utf-8';

/** RIS ends lines with CR LF. */
const eol = '\r\n';

/** One tag line: two-letter tag, two spaces, hyphen, space; a value is one line. */
const line = (tag: string, value: string) => `${tag}  - ${value.replace(/\s+/g, ' ').trim()}${eol}`;

const pad = (n: number) => String(n).padStart(2, '0');

function record(facts: CitationFacts, v: CitedVersion): string {
  const others = versionsOf(facts).filter((o) => o !== v);
  const { year, month, day } = facts.date;
  const lines = [
    // PCOMM (personal communication): letters and cables, with A2 as the recipient.
    line('TY', 'PCOMM'),
    line('ID', v.key),
    line('TI', v.title),
    // The original carries the translations' titles (TT); a translation, the original's (OP).
    ...(v.role === 'original' ? others.map((o) => line('TT', o.title)) : [line('OP', facts.original.title)]),
    ...v.authors.map((name) => line('AU', name)),
    ...v.recipients.map((name) => line('A2', name)),
    ...v.translators.map((name) => line('A4', name)),
    line('PY', String(year)),
    line('DA', `${year}/${pad(month)}/${pad(day)}/`),
    ...(v.genre !== undefined ? [line('M3', v.genre)] : []),
    ...(v.archive !== undefined ? [line('DP', v.archive)] : []),
    ...(v.shelfmark !== undefined ? [line('AV', v.shelfmark)] : []),
    line('LA', v.language),
    line('UR', facts.url),
    ...(v.summary !== undefined ? [line('AB', v.summary)] : []),
    `ER  - ${eol}`,
  ];
  return lines.join('');
}

/**
 * One RIS record per language version, original first. Tags as reference managers read them
 * for archival items: DP the archive, AV the shelfmark (archive location), M3 the kind of
 * document, A4 the translator.
 */
export function ris(facts: CitationFacts): string {
  return versionsOf(facts)
    .map((v) => record(facts, v))
    .join(eol);
}
