import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A real CSL style and locale, as published by the CSL project, loaded from an npm package at
 * test time: rehype-citation ships the Chicago author-date style and the en-US locale as ES
 * modules (its package exports do not list them, so they are imported by file).
 */
const dist = path.dirname(createRequire(import.meta.url).resolve('rehype-citation'));
const load = (file: string) => import(pathToFileURL(path.join(dist, file)).href) as Promise<Record<string, unknown>>;

export async function chicagoAuthorDate(): Promise<{ style: string; locale: string }> {
  const style = (await load('styles/chicago.js')).default as string;
  const { locales } = (await load('src/citation-js/plugin-csl/locales.js')) as { locales: { get(lang: string): string } };
  return { style, locale: locales.get('en-US') };
}
