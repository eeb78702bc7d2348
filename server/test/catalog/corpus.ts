import { link, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config.js';

export const sourceId = 'rgaspi-f558-op11-d340-l43-45';
const sourceDir = path.join(projectRoot, 'manifests', sourceId);

export interface TestCorpus {
  readonly root: string;
  readonly manifestsDir: string;
  readonly imagesDir: string;
  /** Document ids, sorted. */
  readonly ids: string[];
  /** The folder of a document. */
  dir(id: string): string;
  /** Adds one more copy of the cable, as `id`, in delo `delo` (a number). */
  add(id: string, delo?: number, title?: string): Promise<void>;
  remove(): Promise<void>;
}

/** The cable's record, as committed. */
async function sourceRecord(): Promise<Record<string, unknown> & { leaves: { image: string }[]; hierarchy: { id: string; label: Record<string, string[]> }[] }> {
  return JSON.parse(await readFile(path.join(sourceDir, 'record.json'), 'utf8')) as never;
}

/**
 * A MANIFESTS_DIR of `count` copies of the cable, each with its own id (`doc-000` …), image
 * stems and title, two hundred to a delo; the data files and images are hard links of the
 * committed ones, only record.json is written anew.
 */
export async function testCorpus(count: number, options: { perDelo?: number } = {}): Promise<TestCorpus> {
  const root = await mkdtemp(path.join(tmpdir(), 'iiif-corpus-'));
  const manifestsDir = path.join(root, 'manifests');
  const imagesDir = path.join(root, 'images');
  await mkdir(manifestsDir);
  await mkdir(imagesDir);
  const record = await sourceRecord();
  const files = (await readdir(sourceDir, { withFileTypes: true })).filter((e) => e.isFile() && e.name !== 'record.json').map((e) => e.name);
  const images = await readdir(path.join(projectRoot, 'images'));
  const ids: string[] = [];
  const perDelo = options.perDelo ?? 200;
  const add = async (id: string, delo = 1000 + Math.floor(ids.length / perDelo), title?: string) => {
    const dir = path.join(manifestsDir, id);
    await mkdir(dir);
    for (const name of files) await link(path.join(sourceDir, name), path.join(dir, name));
    const [fond, opis] = record.hierarchy;
    const leaves = record.leaves.map((leaf) => ({ ...leaf, image: `${id}-${leaf.image}` }));
    const copy = {
      ...record,
      $schema: undefined,
      title: { en: [title ?? `Document ${id}`], ru: [title ?? `Документ ${id}`] },
      hierarchy: [fond, opis, { id: `${opis!.id}-d${delo}`, label: { en: [`d. ${delo}`], ru: [`Д. ${delo}`] } }],
      leaves,
    };
    await writeFile(path.join(dir, 'record.json'), JSON.stringify(copy));
    for (const leaf of record.leaves) {
      const file = images.find((f) => path.parse(f).name === leaf.image)!;
      await link(path.join(projectRoot, 'images', file), path.join(imagesDir, `${id}-${leaf.image}${path.extname(file)}`));
    }
    ids.push(id);
    ids.sort();
  };
  for (let i = 0; i < count; i++) await add(`doc-${String(i).padStart(3, '0')}`);
  return {
    root,
    manifestsDir,
    imagesDir,
    ids,
    dir: (id) => path.join(manifestsDir, id),
    add,
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** Breaks a leaf's ALTO: a TextLine loses its HPOS (replacing the hard link, not the original). */
export async function breakAlto(corpus: TestCorpus, id: string, file = 'l044.alto.xml'): Promise<void> {
  const target = path.join(corpus.dir(id), file);
  const text = await readFile(target, 'utf8');
  await rm(target);
  await writeFile(target, text.replace(/(<TextLine\b[^>]*?) HPOS="[^"]*"/, '$1'));
}
