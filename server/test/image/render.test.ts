import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boxOnLevel,
  chooseLevel,
  readLevels,
  readSourceMetadata,
  renderPlan,
  SourceTooLargeError,
  UnreadableImageError,
  writePyramid,
  type PixelInput,
} from '../../src/image/render.js';
import type { Format, ImagePlan } from '../../src/image/types.js';
import { colourDistance, decode, palette, patternColour, writePattern, type Pattern } from '../helpers/pattern.js';

// 4 × 3 blocks of 100 px: block (c, r) has palette[r * 4 + c].
const pattern: Pattern = { width: 400, height: 300, columns: 4, rows: 3 };
const [red, green, , yellow, cyan, magenta, , , orange, purple, grey, brown] = palette;

let dir: string;
let source: PixelInput;
let pyramid: PixelInput;

function plan(over: Partial<ImagePlan> = {}): ImagePlan {
  return {
    region: { x: 0, y: 0, w: 400, h: 300 },
    width: 400,
    height: 300,
    mirror: false,
    rotation: 0,
    quality: 'default',
    format: 'png',
    ...over,
  };
}

const near = (a: readonly number[], b: readonly number[], tolerance = 24) => colourDistance(a, b) <= tolerance;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'iiif-render-'));
  const file = path.join(dir, 'pattern.png');
  await writePattern(file, pattern);
  source = { path: file, width: 400, height: 300, levels: [{ page: 0, width: 400, height: 300 }], isSource: true, inputPixels: 1e8 };
  const pyr = path.join(dir, 'pyramid.tif');
  const { levels } = await writePyramid(source, pyr, 64);
  pyramid = { path: pyr, width: 400, height: 300, levels, isSource: false, inputPixels: 1e8 };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderPlan: region and size', () => {
  it('cuts the requested region at full size', async () => {
    const out = await decode(await renderPlan(source, plan({ region: { x: 100, y: 200, w: 100, h: 100 }, width: 100, height: 100 }), 10));
    expect([out.width, out.height]).toEqual([100, 100]);
    for (const [x, y] of [[1, 1], [50, 50], [98, 98]] as const) expect(out.pixel(x, y).slice(0, 3)).toEqual([...purple!]);
  });

  it('scales a region spanning blocks to the exact output size, blocks in place', async () => {
    const out = await decode(
      await renderPlan(source, plan({ region: { x: 50, y: 50, w: 200, h: 200 }, width: 40, height: 60, format: 'png' }), 10),
    );
    expect([out.width, out.height]).toEqual([40, 60]);
    // Output pixel (x, y) shows source pixel (50 + 5x, 50 + 3.33y).
    expect(near(out.pixel(3, 3), red!)).toBe(true); // (65, 60): block (0, 0)
    expect(near(out.pixel(20, 3), green!)).toBe(true); // (150, 60): block (1, 0)
    expect(near(out.pixel(3, 30), cyan!)).toBe(true); // (65, 150): block (0, 1)
    expect(near(out.pixel(20, 30), magenta!)).toBe(true); // (150, 150): block (1, 1)
    expect(near(out.pixel(37, 57), grey!)).toBe(true); // (235, 240): block (2, 2)
  });

  it('upscales when the plan asks for it', async () => {
    const out = await decode(await renderPlan(source, plan({ region: { x: 300, y: 200, w: 100, h: 100 }, width: 250, height: 250 }), 10));
    expect([out.width, out.height]).toEqual([250, 250]);
    expect(near(out.pixel(125, 125), brown!)).toBe(true);
  });

  it('renders the same pixels from the pyramid derivative as from the source', async () => {
    for (const p of [
      plan({ width: 50, height: 38 }),
      plan({ region: { x: 64, y: 128, w: 128, h: 128 }, width: 32, height: 32 }),
      plan({ region: { x: 210, y: 10, w: 80, h: 80 }, width: 80, height: 80 }),
    ]) {
      const a = await decode(await renderPlan(source, p, 10));
      const b = await decode(await renderPlan(pyramid, p, 10));
      expect([b.width, b.height]).toEqual([a.width, a.height]);
      for (const [x, y] of [[2, 2], [a.width >> 1, a.height >> 1], [a.width - 3, a.height - 3]] as const) {
        expect(colourDistance(a.pixel(x, y), b.pixel(x, y))).toBeLessThanOrEqual(40);
      }
    }
  });
});

describe('renderPlan: mirroring and rotation', () => {
  it('mirrors before rotating (!0 swaps left and right)', async () => {
    const out = await decode(await renderPlan(source, plan({ mirror: true }), 10));
    expect(out.pixel(10, 10).slice(0, 3)).toEqual([...yellow!]);
    expect(out.pixel(390, 10).slice(0, 3)).toEqual([...red!]);
    expect(out.pixel(10, 290).slice(0, 3)).toEqual([...brown!]);
  });

  it('rotates 90° clockwise: the bottom-left block comes to the top left, size swapped', async () => {
    const out = await decode(await renderPlan(source, plan({ rotation: 90 }), 10));
    expect([out.width, out.height]).toEqual([300, 400]);
    expect(out.pixel(10, 10).slice(0, 3)).toEqual([...orange!]); // block (0, 2)
    expect(out.pixel(290, 10).slice(0, 3)).toEqual([...red!]); // block (0, 0)
    expect(out.pixel(10, 390).slice(0, 3)).toEqual([...brown!]); // block (3, 2)
  });

  it('rotates 180° and 270°', async () => {
    const r180 = await decode(await renderPlan(source, plan({ rotation: 180 }), 10));
    expect(r180.pixel(10, 10).slice(0, 3)).toEqual([...brown!]);
    const r270 = await decode(await renderPlan(source, plan({ rotation: 270 }), 10));
    expect([r270.width, r270.height]).toEqual([300, 400]);
    expect(r270.pixel(10, 10).slice(0, 3)).toEqual([...yellow!]); // block (3, 0)
  });

  it('mirrors then rotates (!90)', async () => {
    const out = await decode(await renderPlan(source, plan({ mirror: true, rotation: 90 }), 10));
    expect(out.pixel(10, 10).slice(0, 3)).toEqual([...brown!]); // mirrored (3,2) → rotated to top left
  });

  it('rotates by an arbitrary angle into the bounding box, corners transparent in PNG', async () => {
    const out = await decode(await renderPlan(source, plan({ rotation: 30, format: 'png' }), 10));
    const w = Math.round(400 * Math.cos(Math.PI / 6) + 300 * Math.sin(Math.PI / 6));
    const h = Math.round(400 * Math.sin(Math.PI / 6) + 300 * Math.cos(Math.PI / 6));
    expect(Math.abs(out.width - w)).toBeLessThanOrEqual(1);
    expect(Math.abs(out.height - h)).toBeLessThanOrEqual(1);
    expect(out.channels).toBe(4);
    expect(out.pixel(1, 1)[3]).toBe(0);
    expect(out.pixel(out.width - 2, out.height - 2)[3]).toBe(0);
    // The centre of the image stays at the centre: the corner shared by blocks (1,1), (2,1)…
    // so sample the middle of block (1, 1) rotated about the centre instead.
    const angle = Math.PI / 6;
    const [dx, dy] = [150 - 200, 150 - 150];
    const x = Math.round(out.width / 2 + dx * Math.cos(angle) - dy * Math.sin(angle));
    const y = Math.round(out.height / 2 + dx * Math.sin(angle) + dy * Math.cos(angle));
    expect(near(out.pixel(x, y), magenta!)).toBe(true);
    expect(out.pixel(x, y)[3]).toBe(255);
  });

  it('fills rotated corners with white in JPEG', async () => {
    const out = await decode(await renderPlan(source, plan({ rotation: 45, format: 'jpg' }), 10));
    expect(out.channels).toBe(3);
    expect(near(out.pixel(2, 2), [255, 255, 255], 8)).toBe(true);
  });
});

describe('renderPlan: quality', () => {
  it('gray: every pixel neutral, brighter blocks lighter', async () => {
    const out = await decode(await renderPlan(source, plan({ quality: 'gray', format: 'png' }), 10));
    const yellowGrey = out.pixel(350, 50);
    const blueGrey = out.pixel(250, 50);
    for (const px of [yellowGrey, blueGrey, out.pixel(50, 50)]) {
      expect(px[0]).toBe(px[1] ?? px[0]);
      expect(px[0]).toBe(px[2] ?? px[0]);
    }
    expect(yellowGrey[0]!).toBeGreaterThan(blueGrey[0]! + 100);
  });

  it('bitonal: only black and white, split by brightness', async () => {
    const out = await decode(await renderPlan(source, plan({ quality: 'bitonal', format: 'png' }), 10));
    const values = new Set<number>();
    for (let y = 5; y < 300; y += 20) for (let x = 5; x < 400; x += 20) values.add(out.pixel(x, y)[0]!);
    expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);
    expect(out.pixel(350, 50)[0]).toBe(255); // yellow
    expect(out.pixel(250, 50)[0]).toBe(0); // blue
    expect(out.pixel(250, 150)[0]).toBe(255); // white block (2, 1)
    expect(out.pixel(150, 250)[0]).toBe(0); // purple block (1, 2)
  });
});

describe('renderPlan: formats', () => {
  const formats: [Format, string][] = [
    ['jpg', 'jpeg'],
    ['png', 'png'],
    ['webp', 'webp'],
    ['tif', 'tiff'],
    ['gif', 'gif'],
  ];
  it.each(formats)('%s is encoded as %s with the planned size', async (format, decoder) => {
    const body = await renderPlan(source, plan({ width: 80, height: 60, format }), 10);
    const meta = await sharp(body).metadata();
    expect(meta.format).toBe(decoder);
    expect([meta.width, meta.height]).toEqual([80, 60]);
    const out = await decode(body);
    expect(near(out.pixel(70, 5), patternColour(pattern, 350, 25), 40)).toBe(true);
  });
});

describe('sources of every kind', () => {
  it('reads a 16-bit TIFF as 8-bit sRGB', async () => {
    const file = path.join(dir, 'deep.tif');
    await writeFile(file, tiff16(await sharp(path.join(dir, 'pattern.png')).raw().toBuffer(), 400, 300));
    expect((await sharp(file).metadata()).depth).toBe('ushort');
    const input: PixelInput = { ...source, path: file };
    const body = await renderPlan(input, plan({ format: 'png' }), 10);
    const meta = await sharp(body).metadata();
    expect(meta.depth).toBe('uchar');
    const out = await decode(body);
    expect(near(out.pixel(150, 50), green!)).toBe(true);
  });

  it('serves the first page of a multi-page TIFF', async () => {
    const file = path.join(dir, 'pages.tif');
    const first = await sharp(path.join(dir, 'pattern.png')).raw().toBuffer();
    const second = Buffer.alloc(first.length, 0);
    await sharp(Buffer.concat([first, second]), { raw: { width: 400, height: 600, channels: 3, pageHeight: 300 } })
      .tiff()
      .toFile(file);
    expect((await sharp(file).metadata()).pages).toBe(2);
    const meta = await readSourceMetadata(file, 1e8);
    expect([meta.width, meta.height]).toEqual([400, 300]);
    const out = await decode(await renderPlan({ ...source, path: file }, plan(), 10));
    expect(near(out.pixel(50, 50), red!, 4)).toBe(true);
  });

  it('applies EXIF orientation to size and pixels', async () => {
    const file = path.join(dir, 'rotated.jpg');
    // Stored sideways (300 × 400) with orientation 6: displayed as the upright pattern.
    await sharp(path.join(dir, 'pattern.png')).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toFile(file);
    const meta = await readSourceMetadata(file, 1e8);
    expect([meta.width, meta.height]).toEqual([400, 300]);
    const out = await decode(await renderPlan({ ...source, path: file }, plan({ format: 'png' }), 10));
    expect(near(out.pixel(50, 50), red!, 30)).toBe(true);
    expect(near(out.pixel(350, 250), brown!, 30)).toBe(true);
  });

  it('refuses a source above the input pixel limit without decoding it, and a damaged one as unreadable', async () => {
    await expect(readSourceMetadata(path.join(dir, 'pattern.png'), 1000)).rejects.toBeInstanceOf(SourceTooLargeError);
    const bad = path.join(dir, 'bad.png');
    const bytes = await readFile(path.join(dir, 'pattern.png'));
    await writeFile(bad, bytes.subarray(0, 200));
    await expect(renderPlan({ ...source, path: bad }, plan(), 10)).rejects.toBeInstanceOf(UnreadableImageError);
  });
});

describe('pyramid levels', () => {
  it('writes a pyramid of halving levels', async () => {
    const levels = await readLevels(pyramid.path, 1e8);
    expect(levels.map((l) => [l.width, l.height])).toEqual([
      [400, 300],
      [200, 150],
      [100, 75],
      [50, 37],
    ]);
  });

  it('picks the smallest level that still has the requested resolution', () => {
    const input = { width: 400, height: 300, levels: pyramid.levels };
    expect(chooseLevel(input, 1, 1).page).toBe(0);
    expect(chooseLevel(input, 0.5, 0.5).page).toBe(1);
    expect(chooseLevel(input, 0.26, 0.26).page).toBe(1);
    expect(chooseLevel(input, 0.25, 0.25).page).toBe(2);
    // 50 × 37 is slightly below 1/8 in height: a 50 × 38 request reads the 100 × 75 level.
    expect(chooseLevel(input, 0.125, 38 / 300).page).toBe(2);
    expect(chooseLevel(input, 0.01, 0.01).page).toBe(3);
  });

  it('maps a box onto a level, widened to whole pixels', () => {
    expect(boxOnLevel({ x: 100, y: 50, w: 101, h: 99 }, { width: 400, height: 300 }, { page: 1, width: 200, height: 150 })).toEqual({
      x: 50,
      y: 25,
      w: 51,
      h: 50,
    });
  });
});

/**
 * A minimal uncompressed 16-bit RGB TIFF (sharp writes TIFF only at 8 bits): scanners
 * deliver such files, so the decoder path for them is tested with a real one.
 */
function tiff16(rgb8: Buffer, width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 6);
  for (let i = 0; i < width * height * 3; i++) pixels.writeUInt16LE(rgb8[i]! * 257, i * 2);
  const entries: [number, number, number, number][] = [
    // tag, type (3 SHORT, 4 LONG), count, value or offset
    [256, 4, 1, width],
    [257, 4, 1, height],
    [258, 3, 3, 0], // BitsPerSample: offset patched below
    [259, 3, 1, 1],
    [262, 3, 1, 2],
    [273, 4, 1, 0], // StripOffsets: patched below
    [277, 3, 1, 3],
    [278, 4, 1, height],
    [279, 4, 1, pixels.length],
    [284, 3, 1, 1],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const bitsOffset = 8 + ifdSize;
  const dataOffset = bitsOffset + 6;
  entries[2]![3] = bitsOffset;
  entries[5]![3] = dataOffset;
  const head = Buffer.alloc(dataOffset);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(count, at + 4);
    if (type === 3 && count === 1) head.writeUInt16LE(value, at + 8);
    else head.writeUInt32LE(value, at + 8);
  });
  for (let i = 0; i < 3; i++) head.writeUInt16LE(16, bitsOffset + i * 2);
  return Buffer.concat([head, pixels]);
}
