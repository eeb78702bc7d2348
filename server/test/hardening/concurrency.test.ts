import { randomBytes } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { startFuzzTarget, type FuzzTarget } from './fuzz-target.js';

let target: FuzzTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

describe('concurrent requests on a fresh service', () => {
  // A regression test: requests arriving while the first one reads the image's metadata
  // once skipped that pending read and got a 404 for an image that exists.
  it('answers requests that arrive while an image is first being read', async () => {
    target = await startFuzzTarget({
      // Noise does not compress: a large file takes a while to hash, a window for the others.
      extraImages: (dir) =>
        sharp(randomBytes(2000 * 2000 * 3), { raw: { width: 2000, height: 2000, channels: 3 } })
          .png({ compressionLevel: 0 })
          .toFile(path.join(dir, 'noise.png'))
          .then(() => undefined),
    });
    const url = target.url;
    // The folder has been listed (another image was served), so the first request for
    // "noise" goes straight to reading it; the next ones arrive, 2 ms apart, while it does.
    expect((await fetch(`${url}/iiif/3/p1/info.json`)).status).toBe(200);
    const statuses: Promise<number>[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(fetch(`${url}/iiif/3/noise/info.json`).then((r) => r.status));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await Promise.all(statuses)).toEqual(Array(30).fill(200));
  });
});
