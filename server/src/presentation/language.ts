import type { InternationalString } from '@iiif/presentation-3';
import type { LanguageMap } from '../document/model.js';

/**
 * The order of the languages in every language map we publish. A client that matches no
 * language shows the first one (Clover does, map by map): with one order everywhere, such a
 * client shows one language throughout rather than a mixture.
 */
export const languageOrder: readonly string[] = ['en', 'ru'];

const rank = (language: string) => {
  const i = languageOrder.indexOf(language);
  return i >= 0 ? i : language === 'none' ? languageOrder.length + 1 : languageOrder.length;
};

/** A language map with its keys in `languageOrder` (others after them, `none` last). */
function ordered(entries: Iterable<[string, readonly string[]]>): InternationalString {
  const out: InternationalString = {};
  const sorted = [...entries].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  for (const [key, values] of sorted) if (values.length > 0) out[key] = [...values];
  return out;
}

/** A mutable copy of a model language map, as the IIIF types want it. */
export const lang = (map: LanguageMap): InternationalString => ordered(Object.entries(map));

/** The same text in both languages, for our own interface strings (never archival text). */
export const bi = (ru: string, en: string): InternationalString => ordered([['ru', [ru]], ['en', [en]]]);

/** Per-language concatenation, e.g. a summary followed by the facsimile notice. */
export function concat(...maps: readonly LanguageMap[]): InternationalString {
  const merged = new Map<string, string[]>();
  for (const map of maps) {
    for (const [key, values] of Object.entries(map)) merged.set(key, [...(merged.get(key) ?? []), ...values]);
  }
  return ordered(merged);
}

/** The date in each language's long form, e.g. «13 июля 1951 г.» / "13 July 1951". */
export function longDate(iso: string): InternationalString {
  const date = new Date(`${iso}T00:00:00Z`);
  const format = (locale: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  return ordered([['ru', [format('ru')]], ['en', [format('en-GB')]]]);
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
