import { assetTags, type PageAssets } from './assets.js';
import { leafImagePreload, leafImageTag, type LeafImage } from './first-leaf.js';
import { escapeHtml as e, jsonForScript } from './html.js';
import type { PageLanguage } from './language.js';
import { pageStrings } from './page-strings.js';

export interface EmbedPageInput {
  title: string;
  lang: PageLanguage;
  manifestId: string;
  pageUrl: string;
  assets: PageAssets;
  preload?: readonly string[];
  /** The leaf the viewer opens at, drawn as an `<img>` in the first paint. */
  firstLeaf?: LeafImage;
  /** The document page in this language, where "skip to the text" leads; default: `pageUrl?lang=`. */
  textPageUrl?: string;
}

/** How wide the leaf is drawn in the embed's image area (page.css `body.embed .first-leaf`). */
const embedImageSizes = (ratio: string) =>
  `(max-width: 480px) min(calc(100vw - 12px), calc((max(100vh, 440px) - 110px) * ${ratio})), ` +
  `min(calc(100vw - 12px), calc((max(100vh, 440px) - 62px) * ${ratio}))`;

/**
 * The viewer alone, for iframes. `manifest`, `canvas`, `xywh` and `iiif-content` are read by the
 * browser code from the URL; the server only passes its defaults (as JSON data, not script).
 *
 * The embed has no reading view of its own, so its "skip to the document text" opens the viewer's
 * transcript panel (the leaf's lines beside the translation) and puts focus on its first line;
 * until the viewer runs (or without JavaScript) it is a link to the text on the document page.
 */
export function embedPage({ title, lang, manifestId, pageUrl, assets, preload = [], firstLeaf, textPageUrl = `${pageUrl}?lang=${lang}` }: EmbedPageInput): string {
  const config = { manifestId, pageUrl, language: lang, embedded: true };
  const s = pageStrings[lang];
  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    ${firstLeaf ? leafImagePreload(firstLeaf, embedImageSizes) : ''}
    <title>${e(title)}</title>
    <link rel="canonical" href="${e(pageUrl)}">
    <link rel="icon" type="image/svg+xml" href="${e(assets.icon)}">
    ${assetTags(assets, preload)}
    <script type="application/json" id="viewer-config">${jsonForScript(config)}</script>
  </head>
  <body class="embed">
    <div class="skip-links">
      <a href="${e(`${textPageUrl}#reading-view`)}" data-skip="transcript" target="_blank" rel="noopener">${e(s.skipToText)}</a>
      <a href="#viewer" data-skip="viewer">${e(s.skipToViewer)}</a>
    </div>
    <main id="viewer" aria-label="${e(title)}"></main>${firstLeaf ? `\n    <div class="first-leaf">${leafImageTag(firstLeaf, embedImageSizes)}</div>` : ''}
    <div id="viewer-problem" role="status"></div>
  </body>
</html>
`;
}
