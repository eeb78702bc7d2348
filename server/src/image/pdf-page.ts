import type { ImageDescription } from './types.js';

/** The Producer of every PDF we write. */
export const PDF_PRODUCER = 'rgaspi-cable-21756-iiif, IIIF Image API service';

/**
 * A one-page PDF of a rendered JPEG: the page is the image's pixel size in points with the
 * image filling it, so it prints at 72 dpi and a viewer's "actual size" shows every pixel.
 * The JPEG is embedded as it is (DCTDecode), not decoded again. The metadata names what the
 * page shows and where its pixels come from (Subject: the canonical image URL). No dates are
 * written, so the same request always yields the same bytes. pdf-lib is loaded on the first
 * PDF asked for: it costs ~20 MiB of memory that a service answering tiles never needs.
 */
export async function pdfPage(jpeg: Buffer, about: ImageDescription): Promise<Buffer> {
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.create({ updateMetadata: false });
  const image = await doc.embedJpg(jpeg);
  const page = doc.addPage([image.width, image.height]);
  page.drawImage(image, { x: 0, y: 0, width: image.width, height: image.height });
  doc.setTitle(about.title, { showInWindowTitleBar: true });
  if (about.canonicalUrl) doc.setSubject(about.canonicalUrl);
  doc.setProducer(PDF_PRODUCER);
  return Buffer.from(await doc.save());
}
