/**
 * The baseline of `npm run bench:tiles`: the simplest IIIF-ish tile server one could write
 * with Express and sharp, decoding the source JPEG for every request (no pyramid, no tile
 * store, no cache). It understands just the request shapes the benchmark sends.
 * Usage: tsx server/scripts/bench-naive-server.ts <image.jpg> <port>
 */
import express from 'express';
import sharp from 'sharp';

const [file, portArg] = process.argv.slice(2);
if (!file || !portArg) {
  process.stderr.write('usage: bench-naive-server.ts <image.jpg> <port>\n');
  process.exit(2);
}
const meta = await sharp(file).metadata();
const W = meta.width;
const H = meta.height;

function region(value: string): { x: number; y: number; w: number; h: number } {
  if (value === 'full') return { x: 0, y: 0, w: W, h: H };
  const [x, y, w, h] = value.split(',').map(Number) as [number, number, number, number];
  return { x, y, w: Math.min(w, W - x), h: Math.min(h, H - y) };
}

function size(value: string, r: { w: number; h: number }): { width: number; height: number } {
  if (value === 'max' || value === 'full') return { width: r.w, height: r.h };
  const confined = value.startsWith('!');
  const [w, h] = value.replace('!', '').split(',').map((v) => (v === '' ? NaN : Number(v))) as [number, number];
  if (confined) {
    const s = Math.min(w / r.w, h / r.h);
    return { width: Math.max(1, Math.round(r.w * s)), height: Math.max(1, Math.round(r.h * s)) };
  }
  if (Number.isNaN(h)) return { width: w, height: Math.max(1, Math.round((r.h * w) / r.w)) };
  return { width: w, height: h };
}

const app = express();
app.get('/iiif/3/:id/:region/:size/:rotation/:qf', async (req, res) => {
  try {
    const r = region(req.params.region);
    const s = size(req.params.size, r);
    const body = await sharp(file)
      .extract({ left: r.x, top: r.y, width: r.w, height: r.h })
      .resize(s.width, s.height, { fit: 'fill' })
      .jpeg()
      .toBuffer();
    res.type('image/jpeg').send(body);
  } catch (err) {
    res.status(400).send(String(err));
  }
});
app.get('/healthz', (_req, res) => {
  res.send('ok');
});
app.listen(Number(portArg), '127.0.0.1');
