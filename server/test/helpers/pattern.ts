import sharp, { type Sharp } from 'sharp';

/** An RGB colour. */
export type Rgb = readonly [number, number, number];

/**
 * Saturated, mutually distant colours: after JPEG compression, resizing or a rotation each
 * block is still recognisable by its nearest palette colour.
 */
export const palette: readonly Rgb[] = [
  [230, 25, 25], // red
  [25, 200, 40], // green
  [30, 60, 230], // blue
  [245, 225, 20], // yellow
  [20, 220, 220], // cyan
  [220, 30, 220], // magenta
  [250, 250, 250], // white
  [10, 10, 10], // black
  [245, 140, 20], // orange
  [120, 40, 180], // purple
  [128, 128, 128], // grey
  [120, 70, 20], // brown
];

export interface Pattern {
  readonly width: number;
  readonly height: number;
  /** Blocks per row and per column. */
  readonly columns: number;
  readonly rows: number;
}

/** The colour of the block containing pixel (x, y) of the full image. */
export function patternColour(p: Pattern, x: number, y: number): Rgb {
  const column = Math.min(p.columns - 1, Math.floor((x * p.columns) / p.width));
  const row = Math.min(p.rows - 1, Math.floor((y * p.rows) / p.height));
  return palette[(row * p.columns + column) % palette.length]!;
}

/** A test pattern of distinct coloured blocks, as sharp input (encode it with .png(), .jpeg() …). */
export function patternImage(p: Pattern): Sharp {
  const data = Buffer.alloc(p.width * p.height * 3);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      data.set(patternColour(p, x, y), (y * p.width + x) * 3);
    }
  }
  return sharp(data, { raw: { width: p.width, height: p.height, channels: 3 } });
}

/** Writes the pattern to `file`; the format follows the extension. */
export async function writePattern(file: string, p: Pattern): Promise<void> {
  await patternImage(p).toFile(file);
}

export interface Decoded {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** The pixel at (x, y) as RGB(A) values. */
  pixel(x: number, y: number): number[];
}

/** Decodes any image body to raw pixels for sampling. */
export async function decode(body: Buffer | ArrayBuffer): Promise<Decoded> {
  const { data, info } = await sharp(Buffer.from(body as ArrayBuffer)).raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: info.channels,
    pixel: (x, y) => {
      const i = (y * info.width + x) * info.channels;
      return [...data.subarray(i, i + info.channels)];
    },
  };
}

/** The largest per-channel difference between two colours (RGB only). */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!), Math.abs(a[2]! - b[2]!));
}
