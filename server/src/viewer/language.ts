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
