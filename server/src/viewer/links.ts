import type { ArchivalDocument } from '../document/model.js';
import { citationIds } from '../citation/ids.js';
import { documentIds, documentPage, embedPage, fileIds, imageService3 } from '../presentation/ids.js';
import { escapeHtml as e } from './html.js';

/**
 * Every URL the viewer pages print, from the public base URL (ids match the presentation
 * routes). `ownPage`: the document has its own page (`/documents/{doc}`, `/embed/{doc}`), as
 * each has when several are published; else its page is the site's root.
 */
export function pageLinks(base: string, doc: Pick<ArchivalDocument, 'id'>, ownPage = false) {
  const ids = documentIds(base, 3, doc.id);
  const files = fileIds(base, doc.id);
  const own = ownPage ? doc.id : undefined;
  return {
    page: documentPage(base, own),
    embed: embedPage(base, own),
    manifest: ids.manifest,
    canvas: ids.canvas,
    /** The transcription and translation AnnotationPages of a leaf. */
    layerPages: (leaf: string) => [ids.page('transcription', leaf), ids.page('translation', leaf)],
    oembed: (pageUrl: string) => `${base}/oembed?url=${encodeURIComponent(pageUrl)}&format=json`,
    /** The full image of a leaf through the Image API, for download. */
    leafImage: (image: string) => `${base}/iiif/3/${encodeURIComponent(image)}/full/max/0/default.jpg`,
    leafImageTemplate: `${base}/iiif/3/{image}/full/max/0/default.jpg`,
    info: (image: string) => `${imageService3(base, image)}/info.json`,
    text: files.text,
    file: files.file,
    /** The citation files (CSL-JSON, BibTeX, RIS). */
    cite: citationIds(base, doc.id),
  };
}

export type PageLinks = ReturnType<typeof pageLinks>;

/** The `<iframe>` that embeds the viewer (the embed snippet and oEmbed's `html`). */
export function iframeHtml(src: string, title: string, width: number | string, height: number): string {
  return `<iframe src="${e(src)}" width="${e(String(width))}" height="${height}" style="border:0;max-width:100%" allow="fullscreen; clipboard-write" allowfullscreen loading="lazy" title="${e(title)}"></iframe>`;
}
