import { invalid } from './numbers.js';
import type { Format, Quality } from './types.js';

/** Every quality we render (3.0 §4.4); `default` is colour for our images. */
export const qualities: readonly Quality[] = ['default', 'color', 'gray', 'bitonal'];

/** Every format we write, with its media type (3.0 §4.5): every format the specification defines. */
export const mediaTypes: Readonly<Record<Format, string>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tif: 'image/tiff',
  gif: 'image/gif',
  jp2: 'image/jp2',
  pdf: 'application/pdf',
};
export const formats = Object.keys(mediaTypes) as Format[];

const qualityFormatPattern = /^([a-z]+)\.([a-z0-9]+)$/;

export function parseQualityFormat(value: string): { quality: Quality; format: Format } {
  const m = qualityFormatPattern.exec(value);
  if (!m) throw invalid('quality.format', value, 'expected {quality}.{format}, e.g. default.jpg');
  const quality = m[1]!;
  const format = m[2]!;
  if (!isQuality(quality)) throw invalid('quality', value, `expected one of ${qualities.join(', ')}`);
  if (!isFormat(format)) throw invalid('format', value, `expected one of ${formats.join(', ')}`);
  return { quality, format };
}

function isQuality(q: string): q is Quality {
  return (qualities as readonly string[]).includes(q);
}

function isFormat(f: string): f is Format {
  return Object.hasOwn(mediaTypes, f);
}
