import type { CatalogEntry } from '../catalog/entry.js';
import type { ArchivalUnit, LanguageMap } from '../document/model.js';
import { documentPage, imageService3 } from '../presentation/ids.js';
import type { PageAssets } from './assets.js';
import { escapeHtml as e } from './html.js';
import { pickTagged, type PageLanguage } from './language.js';

/** Documents on one browse page: a page stays small however large the archive is. */
export const browsePageSize = 100;

/** Thumbnails fit this box; the image service keeps the leaf's proportions inside it. */
export const browseThumbnail = { width: 96, height: 128 } as const;
const thumb = browseThumbnail;

const strings = {
  ru: {
    title: 'Архивные документы',
    intro: 'Документы по фондам, описям и делам. Откройте документ, чтобы увидеть его страницы, текст и перевод.',
    skip: 'Перейти к списку документов',
    list: 'Документы',
    thumbnail: (title: string) => `Первый лист: ${title}`,
    pages: 'Страницы списка',
    page: (n: number) => `Страница ${n}`,
    of: (from: number, to: number, total: number) => `Документы ${from}–${to} из ${total}`,
    previous: 'Предыдущая',
    next: 'Следующая',
    leaves: (n: number) => `${n} ${plural(n, ['лист', 'листа', 'листов'])}`,
  },
  en: {
    title: 'Archival documents',
    intro: 'Documents by fond, opis and delo. Open a document to see its leaves, text and translation.',
    skip: 'Skip to the list of documents',
    list: 'Documents',
    thumbnail: (title: string) => `First leaf: ${title}`,
    pages: 'List pages',
    page: (n: number) => `Page ${n}`,
    of: (from: number, to: number, total: number) => `Documents ${from}–${to} of ${total}`,
    previous: 'Previous',
    next: 'Next',
    leaves: (n: number) => `${n} ${n === 1 ? 'leaf' : 'leaves'}`,
  },
} as const;

function plural(n: number, forms: readonly [string, string, string]): string {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return forms[2];
  if (units === 1) return forms[0];
  if (units >= 2 && units <= 4) return forms[1];
  return forms[2];
}

/** Browse order: by fond, opis and delo, then by date, then by id. */
export function browseOrder(entries: readonly CatalogEntry[]): CatalogEntry[] {
  const key = (e: CatalogEntry) => [...e.hierarchy.map((u) => u.id), '\uffff', e.date, e.id].join('\u0000');
  const keyed = entries.map((entry) => ({ entry, key: key(entry) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.entry);
}

export interface BrowsePageInput {
  /** Every listed document, in browse order (browseOrder). */
  readonly ordered: readonly CatalogEntry[];
  /** From 1. */
  readonly page: number;
  readonly base: string;
  readonly lang: PageLanguage;
  /** The page's stylesheets and icon (the document page's). */
  readonly assets: Pick<PageAssets, 'styles' | 'icon'>;
  /**
   * URLs for a host that cannot answer a query (a static edition): browse page `n` in a
   * language, a document's page, a thumbnail of an image. Default: the service's `?page=&lang=`,
   * `documentPage`, and a size of the image service fitted to the thumbnail box.
   */
  readonly urls?: {
    readonly browse: (page: number, lang: PageLanguage) => string;
    readonly document: (id: string) => string;
    readonly thumbnail: (image: string) => string;
  };
}

function formatDate(iso: string, lang: PageLanguage): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

/** The number of browse pages for `total` documents. */
export const browsePages = (total: number) => Math.max(1, Math.ceil(total / browsePageSize));

/**
 * The browse page shown at `/` when several documents are published: fond → opis → delo →
 * documents, each with a thumbnail of its first leaf, its date and title in the reader's
 * language, linking to its page. Plain HTML: no script needed. Paged, so it stays small.
 */
export function browsePage({ ordered, page, base, lang, assets, urls }: BrowsePageInput): string {
  const s = strings[lang];
  const other: PageLanguage = lang === 'ru' ? 'en' : 'ru';
  const pages = browsePages(ordered.length);
  const from = (page - 1) * browsePageSize;
  const shown = ordered.slice(from, from + browsePageSize);
  /** A language map's value, marked with its language when it is not the page's. */
  const text = (map: LanguageMap) => {
    const v = pickTagged(map, lang);
    return v.lang && v.lang !== lang ? `<span lang="${e(v.lang)}">${e(v.text)}</span>` : e(v.text);
  };
  const pageUrl = (n: number, language = lang) =>
    urls ? urls.browse(n, language) : `${documentPage(base)}?${n > 1 ? `page=${n}&` : ''}lang=${language}`;
  const documentUrl = (id: string) => (urls ? urls.document(id) : documentPage(base, id));
  const thumbnailUrl = (image: string) =>
    urls ? urls.thumbnail(image) : `${imageService3(base, image)}/full/!${thumb.width},${thumb.height}/0/default.jpg`;

  // Open and close the fond/opis/delo levels as the ordered documents move through the tree.
  let open: ArchivalUnit[] = [];
  let html = '';
  const close = (depth: number) => {
    while (open.length > depth) {
      html += '</ul></li>\n';
      open = open.slice(0, -1);
    }
  };
  for (const entry of shown) {
    let same = 0;
    while (same < open.length && same < entry.hierarchy.length && open[same]!.id === entry.hierarchy[same]!.id) same++;
    close(same);
    for (const unit of entry.hierarchy.slice(same)) {
      const level = Math.min(open.length + 2, 6);
      html += `<li class="unit"><h${level} id="${e(`unit-${unit.id}`)}">${text(unit.label)}</h${level}>\n<ul class="${open.length === entry.hierarchy.length - 1 ? 'documents' : 'units'}">\n`;
      open = [...open, unit];
    }
    const title = pickTagged(entry.title, lang).text;
    const first = entry.leaves[0];
    const image = first
      ? `<img src="${e(thumbnailUrl(first.image))}" width="${thumb.width}" height="${thumb.height}" alt="${e(s.thumbnail(title))}" loading="lazy" decoding="async">`
      : '';
    html +=
      `<li class="document"><a href="${e(documentUrl(entry.id))}">${image}<span class="document-text">` +
      `<span class="document-title">${text(entry.title)}</span> ` +
      `<time datetime="${e(entry.date)}">${e(formatDate(entry.date, lang))}</time> ` +
      `<span class="document-leaves">${e(s.leaves(entry.leaves.length))}</span></span></a></li>\n`;
  }
  close(0);

  const nav =
    pages > 1
      ? `<nav class="browse-pages" aria-label="${e(s.pages)}"><p>${e(s.of(from + 1, from + shown.length, ordered.length))}</p><ul>` +
        (page > 1 ? `<li><a href="${e(pageUrl(page - 1))}" rel="prev">${e(s.previous)}</a></li>` : '') +
        Array.from({ length: pages }, (_, i) => i + 1)
          .filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2)
          .map((n) => (n === page ? `<li><span aria-current="page">${e(s.page(n))}</span></li>` : `<li><a href="${e(pageUrl(n))}">${e(s.page(n))}</a></li>`))
          .join('') +
        (page < pages ? `<li><a href="${e(pageUrl(page + 1))}" rel="next">${e(s.next)}</a></li>` : '') +
        '</ul></nav>'
      : '';

  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${e(s.title)}${pages > 1 ? ` — ${e(s.page(page))}` : ''}</title>
    <meta name="description" content="${e(s.intro)}">
    <link rel="canonical" href="${e(pageUrl(page))}">
    <link rel="alternate" hreflang="${other}" href="${e(pageUrl(page, other))}">
    <link rel="icon" type="image/svg+xml" href="${e(assets.icon)}">
    ${assets.styles.map((href) => `<link rel="stylesheet" href="${e(href)}">`).join('\n    ')}
    <style>
      .browse ul { list-style: none; padding-left: 0; }
      .browse .units > li, .browse .documents { margin-left: 1rem; }
      .browse .document a { display: flex; gap: 1rem; align-items: center; padding: 0.5rem 0; }
      .browse .document img { object-fit: contain; background: #eee; flex: none; }
      .browse .document-text { display: flex; flex-direction: column; }
      .browse .document-title { font-weight: 600; }
      .browse-pages ul { display: flex; flex-wrap: wrap; gap: 0.75rem; list-style: none; padding: 0; }
    </style>
  </head>
  <body>
    <div class="skip-links"><a href="#documents">${e(s.skip)}</a></div>
    <header class="page-header">
      <div>
        <h1>${e(s.title)}</h1>
        <p class="summary">${e(s.intro)}</p>
      </div>
      <nav class="lang-switch" aria-label="Language / Язык">
        <a href="${e(pageUrl(page, 'ru'))}" lang="ru" hreflang="ru"${lang === 'ru' ? ' aria-current="true"' : ''}>Русский</a>
        <a href="${e(pageUrl(page, 'en'))}" lang="en" hreflang="en"${lang === 'en' ? ' aria-current="true"' : ''}>English</a>
      </nav>
    </header>
    <main id="documents" class="browse" tabindex="-1">
      <h2 class="visually-hidden">${e(s.list)}</h2>
      <ul class="units">
${html}      </ul>
      ${nav}
    </main>
  </body>
</html>
`;
}
