/**
 * Which kind of transcription a file is, and how it is published. record.json may name the
 * format (`transcription.format`); when it does not, the file tells: `.txt` is plain text,
 * `.hocr`/`.html` is hOCR, and an `.xml` file is PAGE when its root element is `PcGts`, hOCR
 * when it is `html`, ALTO otherwise (the records written before PAGE and hOCR were read stay valid).
 */
import type { Transcription, TranscriptionFormat } from './model.js';

/** The local name of an XML document's root element, or undefined when there is none. */
export function rootElementName(xml: string): string | undefined {
  // The prolog holds only the declaration, processing instructions, comments, a doctype and space.
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>)*/i;
  const rest = xml.replace(/^\uFEFF/, '').replace(prolog, '');
  const tag = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(rest);
  return tag?.[1];
}

/** The format of a transcription file whose record does not name one. */
export function detectFormat(file: string, text: string): TranscriptionFormat {
  const extension = file.slice(file.lastIndexOf('.')).toLowerCase();
  if (extension === '.txt') return 'text';
  if (extension === '.hocr' || extension === '.html') return 'hocr';
  const root = rootElementName(text);
  if (root === 'PcGts') return 'page';
  if (root?.toLowerCase() === 'html') return 'hocr';
  return 'alto';
}

/** How a transcription file is published: its media type and, for the formats with geometry, its profile. */
export interface PublishedFormat {
  /** Served as the file's Content-Type (with `; charset=utf-8`) and given as its IIIF `format`. */
  readonly mediaType: string;
  /** The specification it follows, as IIIF `profile`; absent for plain text. */
  readonly profile?: string;
}

/** The namespace of the newest PAGE schema, for a PAGE transcription that names none. */
export const PAGE_2019 = 'http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15';
/** hOCR has no registered media type; this is the one IIIF clients (e.g. Mirador's text overlay) recognise. */
const HOCR_PROFILE = 'http://kba.github.io/hocr-spec/1.2/';

export function publishedFormat(transcription: Pick<Transcription, 'format' | 'profile'>): PublishedFormat {
  switch (transcription.format) {
    case 'alto':
      return { mediaType: 'application/xml', profile: 'http://www.loc.gov/standards/alto/' };
    case 'page':
      return { mediaType: 'application/vnd.prima.page+xml', profile: transcription.profile ?? PAGE_2019 };
    case 'hocr':
      // Not text/html: the file is data, and a browser must not run it as a page of this origin.
      return { mediaType: 'text/vnd.hocr+html', profile: HOCR_PROFILE };
    case 'text':
      return { mediaType: 'text/plain' };
  }
}
