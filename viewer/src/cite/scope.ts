import { parseXywh } from '../geometry.js';
import type { CitationTexts, PageCitation } from '../page-config.js';
import { contentStateLink, type LinkContext } from '../share/links.js';

/** Where the server's line citations leave room for the line's Content State link. */
const linkSlot = '{link}';

export type CiteScope = 'document' | 'leaf' | 'line';

export interface CiteProps {
  citation: PageCitation | null;
  context: LinkContext | null;
  manifestId?: string;
  canvasId?: string;
  /** The line chosen in the transcript panel, if any. */
  lineCanvas?: string;
  lineXywh?: string | null;
}

/** The texts and Content State link of one scope; null when that scope has nothing to cite. */
export function citeScope(p: CiteProps, scope: CiteScope): { texts: CitationTexts; link?: string } | null {
  const { citation, context, manifestId } = p;
  if (!citation || !context || !manifestId) return null;
  if (scope === 'document') return { texts: citation.document };
  const canvasId = scope === 'leaf' ? p.canvasId : p.lineCanvas;
  const leaf = canvasId ? citation.leaves[canvasId] : undefined;
  if (!leaf || !canvasId) return null;
  if (scope === 'leaf') return { texts: leaf, link: contentStateLink(context, { manifestId, canvasId, xywh: null }) };
  const link = contentStateLink(context, { manifestId, canvasId, xywh: p.lineXywh ? parseXywh(p.lineXywh) : null });
  const fill = (text: string) => text.split(linkSlot).join(link);
  return { texts: { chicago: fill(leaf.line.chicago), gost: fill(leaf.line.gost) }, link };
}

