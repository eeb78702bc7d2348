import { assetTags, type PageAssets } from './assets.js';
import { escapeHtml as e, jsonForScript } from './html.js';
import type { PageLanguage } from './language.js';

export interface EmbedPageInput {
  title: string;
  lang: PageLanguage;
  manifestId: string;
  pageUrl: string;
  assets: PageAssets;
  preload?: readonly string[];
}

/**
 * The viewer alone, for iframes. `manifest`, `canvas`, `xywh` and `iiif-content` are read by the
 * browser code from the URL; the server only passes its defaults (as JSON data, not script).
 */
export function embedPage({ title, lang, manifestId, pageUrl, assets, preload = [] }: EmbedPageInput): string {
  const config = { manifestId, pageUrl, language: lang, embedded: true };
  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${e(title)}</title>
    <link rel="canonical" href="${e(pageUrl)}">
    <link rel="icon" type="image/svg+xml" href="/viewer/iiif-logo.svg">
    ${assetTags(assets, preload)}
    <script type="application/json" id="viewer-config">${jsonForScript(config)}</script>
  </head>
  <body class="embed">
    <main id="viewer" aria-label="${e(title)}"></main>
    <div id="viewer-problem" role="status"></div>
  </body>
</html>
`;
}
