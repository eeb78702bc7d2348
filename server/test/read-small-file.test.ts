import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSmallFile } from '../src/read-small-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'read-small-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('readSmallFile', () => {
  it.each([
    ['empty', 0],
    ['smaller than the hint', 100],
    ['exactly the hint', 4096],
    ['a few times the hint', 3 * 4096 + 17],
  ])('reads a file %s whole, into a buffer of its own (from the hint up: smaller ones share Node’s pool)', async (name, size) => {
    const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 31) % 256));
    const file = path.join(dir, `${name}.bin`);
    await writeFile(file, bytes);
    const read = await readSmallFile(file, 4096);
    expect(read.equals(bytes)).toBe(true);
    // Kept in a cache, a view of a larger buffer would hold the rest of it too.
    if (size >= 4096) expect(read.buffer.byteLength).toBe(size);
  });

  it('rejects as open does for a file that is not there', async () => {
    await expect(readSmallFile(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
