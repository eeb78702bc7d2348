import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStale } from '../../scripts/build-freshness.js';

describe('isStale (does a build output need rebuilding?)', () => {
  let dir = '';
  let output = '';
  let nested = '';
  const inputs = (): string[] => [path.join(dir, 'src'), path.join(dir, 'lock.json')];

  /** Sets a file's mtime to `seconds` after a fixed past instant. */
  const at = (file: string, seconds: number) => {
    const t = new Date(Date.UTC(2024, 0, 1) + seconds * 1000);
    return utimes(file, t, t);
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'freshness-'));
    await mkdir(path.join(dir, 'src', 'deep'), { recursive: true });
    nested = path.join(dir, 'src', 'deep', 'a.ts');
    output = path.join(dir, 'main.js');
    for (const f of [nested, path.join(dir, 'lock.json'), output]) await writeFile(f, 'x');
    for (const d of [path.join(dir, 'src', 'deep'), path.join(dir, 'src')]) await at(d, 0);
    await at(nested, 0);
    await at(path.join(dir, 'lock.json'), 0);
    await at(output, 10);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is fresh when the output is newer than every input', async () => {
    expect(await isStale(output, inputs())).toBe(false);
  });

  it('is stale when a file deep in an input folder is touched after the build', async () => {
    await at(nested, 20);
    expect(await isStale(output, inputs())).toBe(true);
  });

  it('is stale when a single input file is touched after the build', async () => {
    await at(path.join(dir, 'lock.json'), 20);
    expect(await isStale(output, inputs())).toBe(true);
  });

  it('is stale when the output is missing', async () => {
    await rm(output);
    expect(await isStale(output, inputs())).toBe(true);
  });
});
