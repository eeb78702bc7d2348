import { citationFacts } from '../citation/facts.js';
import { documentCitation, leafCitation, lineCitation, lineLinkSlot } from '../citation/formatted.js';
import { citationDownloads, citationHead } from '../citation/page-metadata.js';
import type { ArchivalDocument, LanguageMap, TranscriptionFormat } from '../document/model.js';
import { contentStateForManifest } from './content-state.js';
import { leafImagePreload, leafImageTag, type LeafImage } from './first-leaf.js';
import { assetTags, type PageAssets } from './assets.js';
import { escapeHtml as e, jsonForScript } from './html.js';
import { markOtherLanguage, pick, pickTagged, scriptLanguage, type PageLanguage } from './language.js';
import { iframeHtml, type PageLinks } from './links.js';
import { pageStrings } from './page-strings.js';
import { readingView } from './reading-view.js';

export interface DocumentPageInput {
  doc: ArchivalDocument;
  links: PageLinks;
  lang: PageLanguage;
  assets: PageAssets;
  /** JSON the viewer will fetch first (manifest, info.json of the leaf it opens at). */
  preload?: readonly string[];
  /** The leaf the viewer opens at, drawn as an `<img>` in the first paint. */
  firstLeaf?: LeafImage;
  /**
   * The page in each language, for a host that cannot answer `?lang=` (a static edition). By
   * default the switch is `?lang=` on the current URL, which the viewer keeps up to date.
   */
  languageUrls?: Readonly<Record<PageLanguage, string>>;
}

/** The document page: title and summary in the reader's language, the viewer, and what a reader or a portal needs around it. */
export function documentPage({ doc, links, lang, assets, preload = [], firstLeaf, languageUrls }: DocumentPageInput): string {
  const s = pageStrings[lang];
  const r = doc.record;
  const title = pick(r.title, lang);
  const other: PageLanguage = lang === 'ru' ? 'en' : 'ru';
  const first = doc.leaves[0];
  const facts = citationFacts(doc, links.page);
  // The viewer's "Cite this" dialog gets its texts ready-made: formatting stays on the server, next to the record.
  const citation = {
    files: links.cite,
    document: documentCitation(facts),
    leaves: Object.fromEntries(
      doc.leaves.map((leaf) => {
        const labels = { en: leaf.label.en?.[0], ru: leaf.label.ru?.[0] };
        return [links.canvas(leaf.id), { label: pick(leaf.label, lang), ...leafCitation(facts, labels), line: lineCitation(facts, labels, lineLinkSlot) }];
      }),
    ),
  };
  const config = { manifestId: links.manifest, pageUrl: links.page, language: lang, embedded: false, citation, ...(languageUrls && { languageUrls }) };
  const snippet = iframeHtml(links.embed, title, '100%', 640);
  const dragState = JSON.stringify(contentStateForManifest(links.manifest));
  /** A value of a language map, marked with its language when it is not the page's (a fallback). */
  const text = (map: LanguageMap) => {
    const v = pickTagged(map, lang);
    if (v.lang && v.lang !== lang) return `<span lang="${v.lang}">${e(v.text)}</span>`;
    return v.lang === 'ru' || v.lang === 'en' ? markOtherLanguage(v.text, v.lang, e) : e(v.text);
  };
  const citationLang = scriptLanguage(r.source.citation);
  const switchTo = (to: PageLanguage) =>
    `href="${e(languageUrls ? languageUrls[to] : `?lang=${to}`)}" lang="${to}" hreflang="${to}"${languageUrls ? '' : ` data-lang-switch="${to}"`}${lang === to ? ' aria-current="true"' : ''}`;
  // Each transcription link is named by its file's format.
  const formatNames: Record<TranscriptionFormat, string> = { alto: s.alto, page: 'PAGE XML', hocr: 'hOCR', text: 'TXT' };
  const leaves = doc.leaves
    .map(
      (leaf) =>
        `<li data-canvas="${e(links.canvas(leaf.id))}" data-image="${e(leaf.image)}">${e(pick(leaf.label, lang))}: ` +
        `<a href="${e(links.leafImage(leaf.image))}" download>JPEG</a> · ` +
        `<a href="${e(links.file(leaf.transcription.file))}">${e(formatNames[leaf.transcription.format])}</a></li>`,
    )
    .join('\n          ');

  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    ${firstLeaf ? leafImagePreload(firstLeaf, documentImageSizes) : ''}
    <title>${e(title)} — ${e(r.reference[lang])}</title>
    <meta name="description" content="${e(pick(r.summary, lang))}">
    <link rel="alternate" type="application/json+oembed" href="${e(links.oembed(links.page))}" title="${e(title)}">
    <link rel="alternate" type="application/ld+json;profile=&quot;http://iiif.io/api/presentation/3/context.json&quot;" href="${e(links.manifest)}">
    <link rel="alternate" hreflang="${other}" href="${e(languageUrls ? languageUrls[other] : `${links.page}?lang=${other}`)}">
    <link rel="icon" type="image/svg+xml" href="${e(assets.icon)}">
    ${citationHead(facts, lang, links.cite)}
    ${assetTags(assets, preload)}
    <script type="application/json" id="viewer-config">${jsonForScript(config)}</script>
    <noscript><style>.viewer-frame { height: auto; min-height: 0; } .first-leaf { display: none; }</style></noscript>
  </head>
  <body>
    <div class="skip-links">
      <a href="#reading-view">${e(s.skipToText)}</a>
      <a href="#viewer" data-skip="viewer">${e(s.skipToViewer)}</a>
    </div>
    <header class="page-header">
      <div>
        <h1>${text(r.title)}</h1>
        <p class="summary">${text(r.summary)} <span class="ref">${e(r.reference[lang])}</span></p>
      </div>
      <nav class="lang-switch" aria-label="Language / Язык">
        <a ${switchTo('ru')}>Русский</a>
        <a ${switchTo('en')}>English</a>
      </nav>
    </header>
    <main>
      <div id="viewer-problem" role="status"></div>
      <section class="viewer-frame" aria-label="${e(s.viewerLabel)}"><div id="viewer"></div>${firstLeaf ? `<div class="first-leaf">${leafImageTag(firstLeaf, documentImageSizes)}</div>` : ''}<noscript><p class="noscript"><a href="#reading-view">${e(s.noScript)}</a></p></noscript></section>
      ${readingView(doc, links, lang)}
      <div class="page-details">
        <section>
          <h2>${e(s.about)}</h2>
          <dl>
            <dt>${e(s.date)}</dt><dd><time datetime="${e(r.date)}">${e(formatDate(r.date, lang))}</time></dd>
            <dt>${e(s.reference)}</dt><dd>${e(r.reference[lang])}</dd>
            <dt>${e(s.from)}</dt><dd>${text(r.creator)}</dd>
            <dt>${e(s.to)}</dt><dd>${text(r.recipient)}</dd>
            <dt>${e(s.repository)}</dt><dd>${text(r.repository.label)}</dd>
            <dt>${e(s.translator)}</dt><dd>${text(r.translator)}</dd>
          </dl>
          <p class="notice">${text(r.facsimileNotice)}</p>
        </section>
        <section>
          <h2>${e(s.cite)}</h2>
          <p class="citation">${e(r.reference[lang])} — ${e(links.page)}</p>
          <p class="cite-files">${citationDownloads(links.cite)}</p>
          <p class="citation">${e(s.citeSource)} ${text(r.source.label)}: <cite${citationLang && citationLang !== lang ? ` lang="${citationLang}"` : ''}>${e(r.source.citation)}</cite></p>
          <h2>${e(s.rights)}</h2>
          <p><a href="${e(r.rights.uri)}" rel="license">${e(r.rights.uri)}</a></p>
          <p class="notice">${text(r.attribution)}</p>
        </section>
        <section class="no-print">
          <h2>${e(s.downloads)}</h2>
          <ul>
            <li><a id="download-leaf" href="${e(first ? links.leafImage(first.image) : '#')}" data-template="${e(links.leafImageTemplate)}" download>${e(s.leafImage)}</a></li>
            <li><a href="${e(links.text('transcription'))}" hreflang="ru">${e(s.transcription)}</a></li>
            <li><a href="${e(links.text('translation'))}" hreflang="en">${e(s.translation)}</a></li>
            <li><a href="${e(links.file(`${doc.id}.pdf`))}" type="application/pdf">${e(s.pdf)}</a></li>
          </ul>
          <h2>${e(s.leaves)}</h2>
          <ul class="leaves">
          ${leaves}
          </ul>
        </section>
        <section class="no-print">
          <h2>${e(s.iiif)}</h2>
          <p><a id="iiif-drag" class="iiif-link" href="${e(`${links.manifest}?manifest=${encodeURIComponent(links.manifest)}`)}" data-content-state="${e(dragState)}" draggable="true">
            <img src="${e(assets.icon)}" alt="IIIF" width="32" height="29"> ${e(s.manifest)}</a></p>
          <p class="notice">${e(s.dragHint)}</p>
          <p><code>${e(links.manifest)}</code></p>
          <h2><label for="embed-snippet">${e(s.embed)}</label></h2>
          <textarea id="embed-snippet" class="snippet" readonly>${e(snippet)}</textarea>
          <button type="button" data-copy="embed-snippet" data-done="${e(s.copied)}">${e(s.copy)}</button>
        </section>
      </div>
    </main>
  </body>
</html>
`;
}

/**
 * How wide the leaf is drawn in the viewer's image area (page.css `.first-leaf`): the frame less
 * Mirador's top bar, side panel and thumbnail strip, the leaf fitted inside by width or height.
 */
const documentImageSizes = (ratio: string) =>
  `(max-width: 640px) min(calc(100vw - 12px), calc((max(100vh, 488px) - 279px) * ${ratio})), ` +
  `min(calc(100vw - 61px - min(440px, 40vw)), calc((max(100vh - 96px, 420px) - 192px) * ${ratio}))`;

function formatDate(iso: string, lang: PageLanguage): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}
