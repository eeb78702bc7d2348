import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** One box of a JP2 file (ISO/IEC 15444-1 I.4): its type, its content and where it starts. */
export interface Box {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly content: Buffer;
}

/** The boxes of a file or of a superbox's content, in order; throws on a length that does not fit. */
export function readBoxes(data: Buffer): Box[] {
  const boxes: Box[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + 8 > data.length) throw new Error(`truncated box header at ${offset}`);
    let length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (length === 1) {
      length = Number(data.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (length === 0) {
      length = data.length - offset;
    }
    if (length < header || offset + length > data.length) throw new Error(`box ${type} at ${offset} has a bad length ${length}`);
    boxes.push({ type, offset, length, content: data.subarray(offset + header, offset + length) });
    offset += length;
  }
  return boxes;
}

export interface ImageHeader {
  height: number;
  width: number;
  components: number;
  bpc: number;
  compression: number;
  unknownColourspace: number;
  ipr: number;
}

export function readImageHeader(ihdr: Buffer): ImageHeader {
  return {
    height: ihdr.readUInt32BE(0),
    width: ihdr.readUInt32BE(4),
    components: ihdr.readUInt16BE(8),
    bpc: ihdr.readUInt8(10),
    compression: ihdr.readUInt8(11),
    unknownColourspace: ihdr.readUInt8(12),
    ipr: ihdr.readUInt8(13),
  };
}

/** What `file(1)` says about some bytes. */
export function fileType(data: Buffer): string {
  const out = spawnSync('file', ['-b', '-'], { input: data });
  if (out.status !== 0) throw new Error(`file(1) failed: ${out.stderr.toString()}`);
  return out.stdout.toString().trim();
}

interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  delete(): void;
}
type DecoderFactory = (m: { print: () => void; printErr: () => void }) => Promise<{ J2KDecoder: new () => J2KDecoder }>;
const decoderFactory = createRequire(import.meta.url)('@cornerstonejs/codec-openjpeg/decodewasmjs') as DecoderFactory;

export interface DecodedJp2 {
  width: number;
  height: number;
  components: number;
  /** Interleaved 8-bit samples. */
  pixels: Buffer;
}

/** Decodes a JP2 file's codestream with the decoder shipped beside the encoder we use. */
export async function decodeJp2(file: Buffer): Promise<DecodedJp2> {
  const codestream = readBoxes(file).find((b) => b.type === 'jp2c');
  if (!codestream) throw new Error('no jp2c box');
  const codec = await decoderFactory({ print: () => undefined, printErr: () => undefined });
  const decoder = new codec.J2KDecoder();
  try {
    decoder.getEncodedBuffer(codestream.content.length).set(codestream.content);
    decoder.decode();
    const frame = decoder.getFrameInfo();
    return {
      width: frame.width,
      height: frame.height,
      components: frame.componentCount,
      pixels: Buffer.from(decoder.getDecodedBuffer()),
    };
  } finally {
    decoder.delete();
  }
}
