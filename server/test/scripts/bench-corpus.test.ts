import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFor, resetCorpus, sameFile, type Corpus } from '../../scripts/bench-corpus/generate-corpus.js';
import type { Latency, Measured } from '../../scripts/bench-corpus/measure.js';
import { slopeLines, targetLines, type Row } from '../../scripts/bench-corpus/report.js';
import { projectRoot } from '../../src/config.js';
import { loadDocument } from '../../src/document/load-document.js';

const source = {
  manifestsDir: path.join(projectRoot, 'manifests'),
  document: 'rgaspi-f558-op11-d340-l43-45',
  imagesDir: path.join(projectRoot, 'images'),
};

let root: string;
let corpus: Corpus;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bench-corpus-test-'));
  corpus = await corpusFor(source, { documents: 5, perDelo: 2, root });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the corpus benchmark’s synthetic archive', () => {
  it('holds N documents that load, each with its own id and image stems, spread over delos of one opis', async () => {
    expect(corpus.reused).toBe(false);
    expect(corpus.documents).toHaveLength(5);
    expect(corpus.delos).toEqual(['rgaspi-f558-op11-d1000', 'rgaspi-f558-op11-d1001', 'rgaspi-f558-op11-d1002']);
    expect(corpus.leaves).toBe(15);
    const stems = new Set<string>();
    const perDelo = new Map<string, number>();
    for (const id of corpus.documents) {
      const document = await loadDocument(path.join(corpus.manifestsDir, id));
      expect(document.id).toBe(id);
      expect(document.record.hierarchy.map((u) => u.id)).toEqual(['rgaspi-f558', 'rgaspi-f558-op11', expect.stringMatching(/^rgaspi-f558-op11-d10\d\d$/)]);
      const delo = document.record.hierarchy[2]!;
      expect(id.startsWith(`${delo.id}-`)).toBe(true);
      expect(delo.label.en).toEqual([`RGASPI, f. 558, op. 11, d. ${delo.id.slice(-4)}`]);
      perDelo.set(delo.id, (perDelo.get(delo.id) ?? 0) + 1);
      for (const leaf of document.leaves) {
        expect(stems.has(leaf.image)).toBe(false);
        stems.add(leaf.image);
      }
    }
    expect([...perDelo.values()]).toEqual([2, 2, 1]);
    // Every stem is an image file, and that file is the original's bytes (a hard link).
    const images = await readdir(corpus.imagesDir);
    expect(images.map((f) => path.parse(f).name).sort()).toEqual([...stems].sort());
    const first = corpus.documents[0]!;
    expect(await sameFile(path.join(corpus.imagesDir, `${first}-l43.jpg`), path.join(source.imagesDir, 'rgaspi-f558-op11-d340-l043.jpg'))).toBe(true);
    expect(await sameFile(path.join(corpus.manifestsDir, first, 'l043.alto.xml'), path.join(source.manifestsDir, source.document, 'l043.alto.xml'))).toBe(true);
  });

  it('is taken from the cache the next time, and regenerated when asked', async () => {
    const again = await corpusFor(source, { documents: 5, perDelo: 2, root });
    expect(again).toMatchObject({ reused: true, dir: corpus.dir, documents: corpus.documents, delos: corpus.delos });
    const fresh = await corpusFor(source, { documents: 5, perDelo: 2, root, fresh: true });
    expect(fresh).toMatchObject({ reused: false, dir: corpus.dir });
    // A different size is another corpus; the first stays.
    const other = await corpusFor(source, { documents: 2, perDelo: 2, root });
    expect(other.dir).not.toBe(corpus.dir);
    expect((await readdir(root)).sort()).toEqual([path.basename(other.dir), path.basename(corpus.dir)].sort());
  });

  it('drops what a run wrote into its manifests folder, and nothing else', async () => {
    await writeFile(path.join(corpus.manifestsDir, 'catalog.bin'), 'x');
    await mkdir(path.join(corpus.manifestsDir, '.index'));
    expect((await resetCorpus(corpus)).sort()).toEqual(['.index', 'catalog.bin']);
    expect((await readdir(corpus.manifestsDir)).sort()).toEqual(['schema', ...corpus.documents].sort());
    expect(JSON.parse(await readFile(path.join(corpus.manifestsDir, corpus.documents[0]!, 'record.json'), 'utf8'))).toHaveProperty('leaves');
  });
});

const latency = (p50: number, p99: number): Latency => ({ count: 100, p50, p99 });
function row(documents: number, readyMs: number, rss: number, manifestWarmP99: number): Row {
  const all = { manifest: latency(1, 2), annotationPage: latency(1, 2), collection: latency(1, 2), search: latency(2, 4) };
  const measured: Measured = {
    cold: all,
    warm: { ...all, manifest: latency(1, manifestWarmP99) },
    walked: 1000,
    rssAfterWalk: rss,
    floor: latency(0.5, 3),
    walkFloor: latency(1, 4),
    failures: [],
  };
  return { documents, leaves: documents * 3, catalog: 'n/a (no catalog step)', outcome: 'ok', readyMs, rssReady: rss, rssPeak: rss, measured };
}

describe('the corpus benchmark’s verdicts', () => {
  it('checks each target at N = 10,000 and names the failing ones', () => {
    const lines = targetLines([row(100, 500, 120, 2), row(10_000, 2500, 320, 6)]);
    expect(lines[0]).toBe('targets at N = 10,000:');
    expect(lines.find((l) => l.includes('ready'))).toMatch(/PASS$/);
    expect(lines.find((l) => l.includes('RSS after the walk'))).toMatch(/320 MiB\s+FAIL$/);
    expect(lines.find((l) => l.includes('search warm p99'))).toMatch(/PASS  \(1\.3× the floor's p99\)$/);
    // The floors of the machine are printed with the verdicts, and each latency is set against
    // its phase's: the walk's for a cold one, the warm phase's for a warm one.
    expect(lines.find((l) => l.includes('manifest warm p99'))).toMatch(/FAIL  \(2\.0× the floor's p99\)$/);
    expect(lines.find((l) => l.includes('manifest cold p99'))).toMatch(/PASS  \(0\.5× the floor's p99\)$/);
    expect(lines.find((l) => l.startsWith('  floor of the walk:'))).toMatch(/1\.00 \/ 4\.00 ms/);
    expect(lines.find((l) => l.startsWith('  floor of the warm phase:'))).toMatch(/0\.50 \/ 3\.00 ms/);
  });

  it('fails a run that never got ready on every target', () => {
    const timedOut: Row = { ...row(10_000, 0, 0, 0), readyMs: null, measured: null, outcome: 'timed out after 120 s' };
    expect(targetLines([timedOut]).slice(1).every((l) => l.endsWith('FAIL (timed out after 120 s)'))).toBe(true);
  });

  it('compares every figure at the largest N with N = 100 and fails growth beyond 1.5×', () => {
    const lines = slopeLines([row(1, 100, 100, 2), row(100, 1000, 200, 2), row(10_000, 2000, 290, 2)]);
    expect(lines[0]).toBe('slope N = 10,000 / N = 100 (within 1.5×):');
    expect(lines.find((l) => l.includes('ready'))).toMatch(/2\.00×\s+FAIL$/);
    expect(lines.find((l) => l.includes('RSS after the walk'))).toMatch(/1\.45×\s+PASS$/);
    expect(lines.find((l) => l.includes('search warm p99'))).toMatch(/1\.00×\s+PASS$/);
    expect(slopeLines([row(1, 100, 100, 2)])).toEqual(['slope: needs N = 100 and a larger N']);
    // One delo at N = 100 is one cold sample: its "p99" is that sample, not a figure to compare.
    const small = row(100, 1000, 200, 2);
    const oneDelo: Row = { ...small, measured: { ...small.measured!, cold: { ...small.measured!.cold, collection: { count: 1, p50: 20, p99: 20 } } } };
    const compared = slopeLines([oneDelo, row(10_000, 2000, 290, 2)]);
    expect(compared.find((l) => l.includes('delo collection cold p99'))).toMatch(/n\/a \(1 samples: a p99 needs 100\)$/);
    expect(compared.find((l) => l.includes('delo collection cold p50'))).toMatch(/PASS$|FAIL$/);
    const timedOut: Row = { ...row(10_000, 0, 0, 0), readyMs: null, measured: null, outcome: 'timed out after 120 s' };
    expect(slopeLines([row(100, 1000, 200, 2), timedOut]).at(-1)).toBe('  FAIL: N = 10,000 timed out after 120 s');
  });
});
