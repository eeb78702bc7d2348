/**
 * The JP2 file format (ISO/IEC 15444-1 Annex I) around a raw JPEG 2000 codestream: the
 * encoder writes only the codestream, while `image/jp2` names the boxed file that viewers
 * and `file(1)` recognise. Only the required boxes are written, in the required order.
 */

export interface Jp2Header {
  readonly width: number;
  readonly height: number;
  /** 1 (greyscale) or 3 (sRGB), 8 bits unsigned each. */
  readonly components: 1 | 3;
}

/** I.5.1: the signature box's content, CR LF 0x87 LF, which catches text-mode transfer damage. */
const SIGNATURE = [0x0d, 0x0a, 0x87, 0x0a];
/** I.5.3.1: compression type 7 is the only value the standard defines (JPEG 2000 codestream). */
const COMPRESSION_JPEG2000 = 7;
/** I.5.3.3 Table I.10: the enumerated colourspaces we write. */
export const ENUM_SRGB = 16;
export const ENUM_GREYSCALE = 17;

function box(type: string, content: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + content.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, content]);
}

/** I.5.3.1 Image Header box: size, component count and depth of the codestream's image. */
function imageHeader({ width, height, components }: Jp2Header): Buffer {
  const c = Buffer.alloc(14);
  c.writeUInt32BE(height, 0);
  c.writeUInt32BE(width, 4);
  c.writeUInt16BE(components, 8);
  c.writeUInt8(8 - 1, 10); // BPC: bit depth minus one, unsigned
  c.writeUInt8(COMPRESSION_JPEG2000, 11);
  c.writeUInt8(0, 12); // UnkC: the colourspace is known (the colr box says which)
  c.writeUInt8(0, 13); // IPR: no intellectual property box
  return box('ihdr', c);
}

/** I.5.3.3 Colour Specification box, method 1 (enumerated colourspace). */
function colourSpecification(components: 1 | 3): Buffer {
  const c = Buffer.alloc(7);
  c.writeUInt8(1, 0); // METH: enumerated
  c.writeInt8(0, 1); // PREC: reserved, 0
  c.writeUInt8(0, 2); // APPROX: reserved, 0
  c.writeUInt32BE(components === 1 ? ENUM_GREYSCALE : ENUM_SRGB, 3);
  return box('colr', c);
}

/** A complete JP2 file: signature, file type, header superbox (ihdr, colr), then the codestream. */
export function jp2File(codestream: Uint8Array, header: Jp2Header): Buffer {
  const { width, height, components } = header;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0xffffffff || height > 0xffffffff) {
    throw new RangeError(`invalid JP2 image size ${width}×${height}`);
  }
  // Codestream boxes of 4 GiB and more need the extended length; our limits never get near.
  if (codestream.length > 0xffffffff - 8) throw new RangeError('codestream too large for a JP2 box');
  const ftyp = Buffer.alloc(12);
  ftyp.write('jp2 ', 0, 'latin1'); // BR: brand
  ftyp.writeUInt32BE(0, 4); // MinV
  ftyp.write('jp2 ', 8, 'latin1'); // CL: compatible with plain JP2 readers
  return Buffer.concat([
    box('jP  ', Buffer.from(SIGNATURE)),
    box('ftyp', ftyp),
    box('jp2h', Buffer.concat([imageHeader(header), colourSpecification(components)])),
    box('jp2c', Buffer.from(codestream.buffer, codestream.byteOffset, codestream.length)),
  ]);
}
