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
  ])('reads a file %s whole, into a buffer of its own', async (name, size) => {
    const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 31) % 256));
    const file = path.join(dir, `${name}.bin`);
    await writeFile(file, bytes);
    const read = await readSmallFile(file, 4096);
    expect(read.equals(bytes)).toBe(true);
    // Kept in a cache, a view of a larger buffer would hold the rest of it too.
    expect(read.buffer.byteLength).toBe(size);
  });

  it('gives each read bytes of its own, however many run at once: the read buffers it reuses are never handed out', async () => {
    const files = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const file = path.join(dir, `concurrent-${i}.bin`);
        await writeFile(file, Buffer.alloc(1000 + i, i));
        return file;
      }),
    );
    const first = await Promise.all(files.map((f) => readSmallFile(f, 4096)));
    const again = await Promise.all(files.map((f) => readSmallFile(f, 4096)));
    for (const [i, read] of [...first, ...again].entries()) {
      expect(read.equals(Buffer.alloc(1000 + (i % 12), i % 12)), files[i % 12]).toBe(true);
    }
  });

  it('rejects as open does for a file that is not there', async () => {
    await expect(readSmallFile(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
