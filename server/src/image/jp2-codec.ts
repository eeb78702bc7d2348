import { createRequire } from 'node:module';
// Type only: the worker never loads sharp.
import type { RawImage } from './render.js';

/**
 * OpenJPEG compiled to WebAssembly, as the encode worker uses it: raw 8-bit pixels in, a
 * lossy JPEG 2000 codestream out. Synchronous and CPU-bound, so it only ever runs in a
 * worker thread (jp2-pool.ts), never on the event loop.
 */

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

/** The part of the package's embind API that we call. */
interface J2KEncoder {
  getDecodedBuffer(frame: FrameInfo): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  setQuality(lossless: boolean, layers: number): void;
  setCompressionRatio(layer: number, ratio: number): void;
  setDecompositions(levels: number): void;
  encode(): void;
  delete(): void;
}

interface OpenJpegModule {
  J2KEncoder: new () => J2KEncoder;
}

type ModuleFactory = (overrides: { print: (text: string) => void; printErr: (text: string) => void }) => Promise<OpenJpegModule>;

// The package is CommonJS without type declarations; its loader finds the .wasm beside itself.
const factory = createRequire(import.meta.url)('@cornerstonejs/codec-openjpeg/wasmjs') as ModuleFactory;

/** Wavelet levels as opj_compress uses by default; fewer for images too small for five. */
const MAX_DECOMPOSITIONS = 5;
/**
 * WebAssembly memory only grows: after an image this large (raw bytes) the instance is
 * dropped, so an idle worker does not keep the peak of one big request for good.
 */
const KEEP_INSTANCE_UP_TO = 16 * 1024 * 1024;

let instance: Promise<OpenJpegModule> | null = null;

function codec(): Promise<OpenJpegModule> {
  // OpenJPEG reports warnings on stdout, where they would break the service's JSON log lines.
  instance ??= factory({ print: () => undefined, printErr: () => undefined });
  return instance;
}

/** The number of wavelet decompositions an image of this size allows (each halves it). */
export function decompositionsFor(width: number, height: number): number {
  return Math.max(0, Math.min(MAX_DECOMPOSITIONS, Math.floor(Math.log2(Math.min(width, height)))));
}

/**
 * Encodes with the irreversible 9/7 wavelet, one quality layer, rate-controlled to at most
 * about `targetBytes` (the encoder stops earlier when the image needs fewer).
 */
export async function encodeCodestream(image: RawImage, targetBytes: number): Promise<Uint8Array> {
  const { pixels, width, height, channels } = image;
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`expected ${width * height * channels} samples for ${width}×${height}×${channels}, got ${pixels.length}`);
  }
  const openjpeg = await codec();
  const encoder = new openjpeg.J2KEncoder();
  try {
    encoder.getDecodedBuffer({ width, height, bitsPerSample: 8, componentCount: channels, isSigned: false }).set(pixels);
    encoder.setDecompositions(decompositionsFor(width, height));
    encoder.setQuality(false, 1);
    // The rate is given as a compression ratio against the raw size; below 1 it means no limit.
    encoder.setCompressionRatio(0, Math.max(1, pixels.length / Math.max(1, targetBytes)));
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } catch (err) {
    // A C++ exception leaves the instance's heap in an unknown state: start afresh next time.
    instance = null;
    throw new Error(`JPEG 2000 encoding of ${width}×${height}×${channels} failed: ${describe(err)}`);
  } finally {
    try {
      encoder.delete();
    } catch {
      instance = null;
    }
    if (pixels.length > KEEP_INSTANCE_UP_TO) instance = null;
  }
}

/** Emscripten throws C++ exceptions as bare numbers (pointers); JavaScript errors keep their message. */
function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'number' ? 'OpenJPEG raised an exception' : String(err);
}
