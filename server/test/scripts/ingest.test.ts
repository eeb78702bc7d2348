import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestAll } from '../../scripts/ingest.js';
import { gridTiles } from '../../src/image/tile-grid.js';
import { pixelFixture, type PixelFixture } from '../helpers/image-fixtures.js';
import { writePattern } from '../helpers/pattern.js';

let fx: PixelFixture;
beforeEach(async () => {
  fx = await pixelFixture();
});
afterEach(async () => {
  await fx.remove();
});

describe('npm run ingest (ingestAll)', () => {
  it('ingests every readable image, then skips it while its content is unchanged', async () => {
    await writePattern(path.join(fx.imagesDir, 'page.png'), { width: 200, height: 100, columns: 2, rows: 1 });
    const tiles = gridTiles(200, 100, 64).length;
    expect(await ingestAll(fx.config(), false)).toMatchObject({ images: 1, built: 1, skipped: 0, failed: 0, tiles });
    expect(await ingestAll(fx.config(), false)).toMatchObject({ images: 1, built: 0, skipped: 1, failed: 0, tiles });
  });

  it('counts a damaged source and one above the input pixel limit as failed, so the run exits non-zero', async () => {
    await writePattern(path.join(fx.imagesDir, 'good.png'), { width: 64, height: 64, columns: 1, rows: 1 });
    await writePattern(path.join(fx.imagesDir, 'huge.png'), { width: 200, height: 100, columns: 1, rows: 1 });
    await writeFile(path.join(fx.imagesDir, 'bad.jpg'), Buffer.from('this is not a JPEG'));
    const summary = await ingestAll(fx.config({ INPUT_PIXEL_LIMIT: '10000' }), false);
    expect(summary).toMatchObject({ images: 3, built: 1, failed: 2 });
  });
});
