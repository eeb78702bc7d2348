import type { InternationalString } from '@iiif/presentation-3';
import type { LanguageMap } from '../document/model.js';

/** A mutable copy of a model language map, as the IIIF types want it. */
export function lang(map: LanguageMap): InternationalString {
  const out: InternationalString = {};
  for (const [key, values] of Object.entries(map)) if (values.length > 0) out[key] = [...values];
  return out;
}

/** The same text in both languages, for our own interface strings (never archival text). */
export const bi = (ru: string, en: string): InternationalString => ({ ru: [ru], en: [en] });

/** Per-language concatenation, e.g. a summary followed by the facsimile notice. */
export function concat(...maps: readonly LanguageMap[]): InternationalString {
  const out: InternationalString = {};
  for (const map of maps) {
    for (const [key, values] of Object.entries(map)) out[key] = [...(out[key] ?? []), ...values];
  }
  return out;
}

/** The date in each language's long form, e.g. «13 июля 1951 г.» / "13 July 1951". */
export function longDate(iso: string): InternationalString {
  const date = new Date(`${iso}T00:00:00Z`);
  const format = (locale: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  return { ru: [format('ru')], en: [format('en-GB')] };
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for the small HTML subset IIIF allows in metadata values. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => entities[c]!);

/** A Presentation 2.1 multilingual value: `[{ "@value", "@language" }]`. */
export function v2Values(map: InternationalString): { '@value': string; '@language'?: string }[] {
  return Object.entries(map).flatMap(([language, values]) =>
    (values ?? []).map((value) => (language === 'none' ? { '@value': value } : { '@value': value, '@language': language })),
  );
}
