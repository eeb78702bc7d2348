import { describe, expect, it } from 'vitest';
import { ENUM_GREYSCALE, ENUM_SRGB, jp2File } from '../../src/image/jp2-boxes.js';
import { fileType, readBoxes, readImageHeader } from '../helpers/jp2.js';

/** A stand-in codestream: SOC and SIZ markers, then filler (the box writer never looks inside). */
const codestream = Buffer.concat([Buffer.from([0xff, 0x4f, 0xff, 0x51]), Buffer.alloc(100, 0xab)]);

describe('the JP2 box writer (ISO/IEC 15444-1 Annex I)', () => {
  const file = jp2File(codestream, { width: 640, height: 480, components: 3 });

  it('writes signature, file type, header and codestream boxes in that order, each as long as it says', () => {
    const boxes = readBoxes(file);
    expect(boxes.map((b) => b.type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
    expect(boxes.map((b) => b.length)).toEqual([12, 20, 8 + 22 + 15, 8 + codestream.length]);
    expect(boxes.reduce((n, b) => n + b.length, 0)).toBe(file.length);
  });

  it('starts with the 12-byte signature box and brands the file "jp2 "', () => {
    expect(file.subarray(0, 12)).toEqual(Buffer.from([0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]));
    const ftyp = readBoxes(file)[1]!.content;
    expect(ftyp.toString('latin1', 0, 4)).toBe('jp2 ');
    expect(ftyp.readUInt32BE(4)).toBe(0);
    expect(ftyp.toString('latin1', 8)).toBe('jp2 ');
  });

  it('puts ihdr (size, components, 8-bit depth, compression 7) then colr (enumerated sRGB) in jp2h', () => {
    const header = readBoxes(readBoxes(file)[2]!.content);
    expect(header.map((b) => b.type)).toEqual(['ihdr', 'colr']);
    expect(readImageHeader(header[0]!.content)).toEqual({
      height: 480,
      width: 640,
      components: 3,
      bpc: 7,
      compression: 7,
      unknownColourspace: 0,
      ipr: 0,
    });
    const colr = header[1]!.content;
    expect([colr.readUInt8(0), colr.readInt8(1), colr.readUInt8(2), colr.readUInt32BE(3)]).toEqual([1, 0, 0, ENUM_SRGB]);
  });

  it('marks a one-component image as greyscale', () => {
    const grey = jp2File(codestream, { width: 1, height: 7, components: 1 });
    const [ihdr, colr] = readBoxes(readBoxes(grey)[2]!.content);
    expect(readImageHeader(ihdr!.content)).toMatchObject({ width: 1, height: 7, components: 1 });
    expect(colr!.content.readUInt32BE(3)).toBe(ENUM_GREYSCALE);
  });

  it('carries the codestream unchanged in jp2c', () => {
    expect(readBoxes(file)[3]!.content).toEqual(codestream);
  });

  it('is what file(1) calls a JP2 file', () => {
    expect(fileType(file)).toMatch(/JPEG 2000.*\(JP2\)/);
  });

  it('refuses an impossible size', () => {
    expect(() => jp2File(codestream, { width: 0, height: 1, components: 3 })).toThrow(RangeError);
    expect(() => jp2File(codestream, { width: 1.5, height: 1, components: 3 })).toThrow(RangeError);
  });
});
