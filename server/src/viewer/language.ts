import type { Request } from 'express';
import type { LanguageMap } from '../document/model.js';

export type PageLanguage = 'ru' | 'en';

/** `?lang=ru|en` first, then Accept-Language, then Russian (the document's language). */
export function pageLanguage(req: Request): PageLanguage {
  const asked = typeof req.query.lang === 'string' ? req.query.lang.toLowerCase().split('-')[0] : undefined;
  if (asked === 'ru' || asked === 'en') return asked;
  const accepted = req.acceptsLanguages('ru', 'en');
  return accepted === 'en' ? 'en' : 'ru';
}

/** The value of a IIIF language map in `lang`, falling back to the other language, then to any. */
export function pick(map: LanguageMap, lang: PageLanguage): string {
  const other = lang === 'ru' ? 'en' : 'ru';
  return (map[lang] ?? map[other] ?? map.none ?? Object.values(map)[0] ?? []).join(' ');
}

/** Like `pick`, with the language the value is in ("" when the map says "none" or nothing). */
export function pickTagged(map: LanguageMap, lang: PageLanguage): { text: string; lang: string } {
  const other = lang === 'ru' ? 'en' : 'ru';
  for (const tag of [lang, other]) if (map[tag]) return { text: map[tag].join(' '), lang: tag };
  return { text: pick(map, lang), lang: '' };
}

/**
 * The language of a text that comes without one (a citation quoted as published), told by its
 * script: Cyrillic is Russian, Latin letters English — the two languages of these documents.
 */
export function scriptLanguage(text: string): PageLanguage | '' {
  const cyrillic = (text.match(/\p{Script=Cyrillic}/gu) ?? []).length;
  const latin = (text.match(/\p{Script=Latin}/gu) ?? []).length;
  if (!cyrillic && !latin) return '';
  return cyrillic >= latin ? 'ru' : 'en';
}

const runs: Record<PageLanguage, RegExp> = {
  // Two or more words in a row in the other language's script: "Leon Levy Foundation" in Russian text.
  ru: /\p{Script=Latin}[\p{Script=Latin}'’.-]*(?:[ \u00a0]+\p{Script=Latin}[\p{Script=Latin}'’.-]*)+/gu,
  en: /\p{Script=Cyrillic}[\p{Script=Cyrillic}'’.-]*(?:[ \u00a0]+\p{Script=Cyrillic}[\p{Script=Cyrillic}'’.-]*)+/gu,
};

/**
 * Escapes `text` for HTML, wrapping runs of words in the other language (by script) in
 * `<span lang>`, so that a screen reader reads a quoted name with the right voice.
 */
export function markOtherLanguage(text: string, textLang: PageLanguage, escape: (s: string) => string): string {
  const other: PageLanguage = textLang === 'ru' ? 'en' : 'ru';
  let out = '';
  let at = 0;
  for (const m of text.matchAll(runs[textLang])) {
    out += `${escape(text.slice(at, m.index))}<span lang="${other}">${escape(m[0])}</span>`;
    at = m.index + m[0].length;
  }
  return out + escape(text.slice(at));
}
