/**
 * The sheet: off-white wartime paper with uneven tone, grain, a few fibres and a soft fold,
 * with the ink layer laid on it and written as a JPEG. All noise is seeded.
 */
import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { seeded, signed, type Random } from './random.js';
import type { InkLayer } from './type-ink.js';

const PAPER = [233, 226, 208] as const;
const TYPE_INK = [30, 28, 34] as const;
const STAMP_INK = [78, 58, 140] as const;

/** A smooth noise field in [-1, 1]: random values on a coarse grid, upsampled with a cubic kernel. */
async function smoothNoise(width: number, height: number, cell: number, random: Random): Promise<Buffer> {
  const gw = Math.max(2, Math.ceil(width / cell));
  const gh = Math.max(2, Math.ceil(height / cell));
  const grid = Buffer.alloc(gw * gh);
  for (let i = 0; i < grid.length; i += 1) grid[i] = Math.round(128 + signed(random) * 127);
  return sharp(grid, { raw: { width: gw, height: gh, channels: 1 } })
    .resize(width, height, { kernel: 'cubic', fit: 'fill' })
    .extractChannel(0) // else libvips hands back sRGB, three bytes per pixel
    .raw()
    .toBuffer();
}

/** Fibres and specks drawn as faint strokes; returns a grey level per pixel (128 = none). */
function fibres(width: number, height: number, random: Random): Buffer {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'rgb(128,128,128)';
  ctx.fillRect(0, 0, width, height);
  for (let i = 0; i < 900; i += 1) {
    const x = random() * width;
    const y = random() * height;
    const len = 12 + random() * 60;
    const angle = random() * Math.PI * 2;
    const dark = random() < 0.7;
    ctx.strokeStyle = dark ? 'rgba(70,70,70,0.22)' : 'rgba(200,200,200,0.25)';
    ctx.lineWidth = 1 + random() * 1.5;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.quadraticCurveTo(
      x + Math.cos(angle) * len * 0.5 + signed(random) * 8,
      y + Math.sin(angle) * len * 0.5 + signed(random) * 8,
      x + Math.cos(angle) * len,
      y + Math.sin(angle) * len,
    );
    ctx.stroke();
  }
  for (let i = 0; i < 220; i += 1) {
    ctx.fillStyle = `rgba(60,55,50,${(0.15 + random() * 0.3).toFixed(2)})`;
    ctx.beginPath();
    ctx.arc(random() * width, random() * height, 0.8 + random() * 2.2, 0, Math.PI * 2);
    ctx.fill();
  }
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const grey = Buffer.alloc(width * height);
  for (let i = 0; i < grey.length; i += 1) grey[i] = rgba[i * 4] as number;
  return grey;
}

/** Composes paper and ink and encodes the leaf as a baseline JPEG. */
export async function renderSheet(
  ink: InkLayer,
  width: number,
  height: number,
  seed: number,
  quality: number,
): Promise<Buffer> {
  const random = seeded(seed);
  const tone = await smoothNoise(width, height, 700, random);
  const mottle = await smoothNoise(width, height, 45, random);
  const fibre = fibres(width, height, random);
  // Ink soaks slightly into the paper.
  const soaked = await sharp(ink.type, { raw: { width, height, channels: 1 } })
    .blur(0.9)
    .extractChannel(0)
    .raw()
    .toBuffer();
  const stamp = ink.stamp;
  const fold = height * (0.5 + signed(random) * 0.01);
  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    const foldShade = Math.exp(-(((y - fold) / 9) ** 2)) * -7 + Math.exp(-(((y - fold - 14) / 18) ** 2)) * 3;
    const edgeY = Math.min(y, height - 1 - y);
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      const edge = Math.min(edgeY, x, width - 1 - x);
      const edgeShade = edge < 90 ? -(((90 - edge) / 90) ** 2) * 16 : 0;
      const grain = (random() + random() - 1) * 7;
      const shift =
        ((tone[i] as number) - 128) * 0.06 +
        ((mottle[i] as number) - 128) * 0.016 +
        ((fibre[i] as number) - 128) * 0.35 +
        grain +
        foldShade +
        edgeShade;
      // The ribbon's weave: ink coverage varies from pixel to pixel and patch to patch.
      const a = ((soaked[i] as number) / 255) * (0.8 + ((mottle[i] as number) / 255) * 0.12 + random() * 0.12);
      const sx = x - stamp.x;
      const sy = y - stamp.y;
      const inStamp = sx >= 0 && sy >= 0 && sx < stamp.width && sy < stamp.height;
      const s = inStamp ? ((stamp.coverage[sy * stamp.width + sx] as number) / 255) * (0.75 + random() * 0.25) : 0;
      for (let c = 0; c < 3; c += 1) {
        const paper = (PAPER[c] as number) + shift * (c === 2 ? 1.15 : 1);
        const typed = paper * (1 - a) + (TYPE_INK[c] as number) * a;
        const stamped = typed * (1 - s) + (STAMP_INK[c] as number) * s;
        out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(stamped)));
      }
    }
  }
  return sharp(out, { raw: { width, height, channels: 3 } })
    .withMetadata({ density: 400 })
    .jpeg({ quality, chromaSubsampling: '4:2:0', mozjpeg: true })
    .toBuffer();
}
