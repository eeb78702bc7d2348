/**
 * Strikes the typeset text onto a transparent ink layer, character by character, and records
 * the exact ink box of every word, line and paragraph as it goes (that is the ALTO geometry).
 * A typewriter's look comes from its faults: each type bar sits slightly off its line,
 * each strike has its own pressure, and the paper creeps a little as the platen turns.
 */
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { enclose, pixelBox, type Rect } from './geometry.js';
import { seeded, signed, type Random } from './random.js';
import type { SetBlock } from './typeset.js';

export interface PageSetup {
  readonly width: number;
  readonly height: number;
  /** x of column 0 and baseline of row 0, in pixels. */
  readonly left: number;
  readonly top: number;
  /** Horizontal advance per character and vertical advance per row. */
  readonly pitch: number;
  readonly lineHeight: number;
  readonly fontFile: string;
  readonly fontSize: number;
}

export interface InkWord {
  readonly text: string;
  readonly box: Rect;
}
export interface InkLine {
  readonly box: Rect;
  /** The line's baseline from its left to its right end, as ALTO 4.2+ BASELINE points. */
  readonly baseline: readonly [readonly [number, number], readonly [number, number]];
  readonly words: readonly InkWord[];
}
export interface InkBlock {
  readonly box: Rect;
  readonly lines: readonly InkLine[];
}

export interface InkLayer {
  /** Type ink coverage, one byte per pixel (255 = solid ink), width × height. */
  readonly type: Buffer;
  /** The folio stamp's coverage, a small patch placed at x, y. */
  readonly stamp: { readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly coverage: Buffer };
  readonly blocks: readonly InkBlock[];
}

const FAMILY = 'FacsimileType';
/** Outline stroke that thickens the type to a typewriter's weight. */
const STROKE = 2.4;
/** Ink spreads into the paper (stroke and blur); the box takes it in. */
const INK_PAD = 4;

function typeBarOffsets(seed: number): (ch: string) => { dx: number; dy: number; weight: number } {
  const cache = new Map<string, { dx: number; dy: number; weight: number }>();
  return (ch) => {
    let v = cache.get(ch);
    if (!v) {
      const r = seeded(seed ^ (ch.codePointAt(0) ?? 0) * 2654435761);
      v = { dx: signed(r) * 1.6, dy: signed(r) * 2.2, weight: 0.82 + 0.18 * r() };
      cache.set(ch, v);
    }
    return v;
  };
}

function inkBox(ctx: SKRSContext2D, ch: string, x: number, y: number): Rect {
  const m = ctx.measureText(ch);
  return pixelBox(
    x - m.actualBoundingBoxLeft,
    y - m.actualBoundingBoxAscent,
    x + m.actualBoundingBoxRight,
    y + m.actualBoundingBoxDescent,
    INK_PAD,
  );
}

/** Draws the leaf's text and the folio stamp; `seed` makes every run identical. */
export function strikeText(
  blocks: readonly SetBlock[],
  folio: number,
  setup: PageSetup,
  seed: number,
): InkLayer {
  GlobalFonts.registerFromPath(setup.fontFile, FAMILY);
  const canvas = createCanvas(setup.width, setup.height);
  const ctx = canvas.getContext('2d');
  // Ink is drawn as grey on white and overlaps by "darken", so a letter's fill and outline
  // never print twice as dark where they overlap.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, setup.width, setup.height);
  ctx.globalCompositeOperation = 'darken';
  ctx.font = `${setup.fontSize}px ${FAMILY}`;
  ctx.textBaseline = 'alphabetic';
  ctx.lineWidth = STROKE;
  ctx.lineJoin = 'round';
  const random: Random = seeded(seed);
  const bar = typeBarOffsets(1951);
  // The sheet sits a little askew in the machine and creeps as lines are fed.
  const skew = signed(random) * 0.0015;
  let creep = 0;

  const inkBlocks: InkBlock[] = blocks.map((block) => {
    const lines: InkLine[] = block.lines.map((line) => {
      creep += signed(random) * 0.9;
      const baseline0 = setup.top + line.row * setup.lineHeight + creep;
      const words: InkWord[] = line.words.map((word) => {
        const boxes: Rect[] = [];
        [...word.text].forEach((ch, i) => {
          const k = bar(ch);
          const x = setup.left + (word.col + i) * setup.pitch + k.dx + signed(random) * 0.7;
          const y = baseline0 + (x - setup.left) * skew + k.dy + signed(random) * 0.6;
          const alpha = Math.min(1, k.weight * (0.8 + 0.22 * random()));
          // A type bar rarely lands flat: one side of the letter prints lighter than the other.
          const tilt = signed(random) * 0.35;
          const ink = ctx.createLinearGradient(x, y, x + setup.pitch, y - setup.fontSize * 0.3);
          ink.addColorStop(0, grey(alpha * (1 - Math.max(0, tilt))));
          ink.addColorStop(1, grey(alpha * (1 + Math.min(0, tilt))));
          ctx.fillStyle = ink;
          ctx.strokeStyle = ink;
          ctx.fillText(ch, x, y);
          ctx.strokeText(ch, x, y); // the ribbon's ink spreads beyond the type's outline
          boxes.push(inkBox(ctx, ch, x, y));
        });
        return { text: word.text, box: enclose(boxes) };
      });
      const box = enclose(words.map((w) => w.box));
      const at = (x: number): [number, number] => [x, Math.round(baseline0 + (x - setup.left) * skew)];
      return { box, baseline: [at(box.x), at(box.x + box.w)], words };
    });
    return { box: enclose(lines.map((l) => l.box)), lines };
  });

  return {
    type: coverage(ctx.getImageData(0, 0, setup.width, setup.height).data),
    stamp: stampFolio(folio, setup, random),
    blocks: inkBlocks,
  };
}

/** Ink of the given strength as a grey on white. */
function grey(strength: number): string {
  const v = Math.round(255 * (1 - Math.max(0, Math.min(1, strength))));
  return `rgb(${v},${v},${v})`;
}

function coverage(rgba: Uint8ClampedArray): Buffer {
  const out = Buffer.alloc(rgba.length / 4);
  for (let i = 0; i < out.length; i += 1) out[i] = 255 - (rgba[i * 4] as number);
  return out;
}

/** The archive's foliation: a numbering-machine stamp at the top right (coloured by the paper). */
function stampFolio(folio: number, setup: PageSetup, random: Random): InkLayer['stamp'] {
  const width = 360;
  const height = 200;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.translate(60, 140);
  ctx.rotate(signed(random) * 0.03);
  ctx.font = `${Math.round(setup.fontSize * 1.2)}px ${FAMILY}`;
  ctx.fillStyle = grey(0.85);
  ctx.fillText(String(folio), 0, 0);
  return {
    x: Math.round(setup.width - 420 + signed(random) * 12),
    y: Math.round(120 + signed(random) * 12),
    width,
    height,
    coverage: coverage(ctx.getImageData(0, 0, width, height).data),
  };
}
