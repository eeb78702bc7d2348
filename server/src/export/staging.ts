import { createHash } from 'node:crypto';
import { chmod, copyFile, link, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The record of an export, kept in its folder: what each image's files were made from. */
export const STATE_FILE = '.iiif-export.json';
const STATE_FORMAT = 1;

export interface ExportState {
  readonly format: typeof STATE_FORMAT;
  /** By image id: the key of what its files were made from, and the files (edition paths). */
  readonly images: Readonly<Record<string, { readonly key: string; readonly files: readonly string[] }>>;
}

/** Refused before anything is written: the output folder is something else. */
export class OutputFolderError extends Error {
  override name = 'OutputFolderError';
}

export const contentKey = (parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32);

/**
 * The state of the edition in `dir`: null when there is none yet. A folder that exists, is not
 * empty and has no state file is not ours to replace, so it is refused rather than deleted.
 */
export async function readState(dir: string): Promise<ExportState | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') throw new OutputFolderError(`${dir} is a file, not a folder`);
    throw err;
  }
  if (names.length === 0) return null;
  if (!names.includes(STATE_FILE)) {
    throw new OutputFolderError(`${dir} is not empty and holds no edition (no ${STATE_FILE}): choose a new or empty folder`);
  }
  try {
    const state = JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8')) as ExportState;
    return state.format === STATE_FORMAT && state.images && typeof state.images === 'object' ? state : { format: STATE_FORMAT, images: {} };
  } catch {
    // A damaged record only costs a full export.
    return { format: STATE_FORMAT, images: {} };
  }
}

/**
 * A new edition built beside the old one (same parent, so same file system) and swapped in
 * whole: readers of the output folder see the old edition or the new one, never a mixture.
 */
export class Staging {
  private constructor(
    readonly outDir: string,
    readonly dir: string,
  ) {}

  static async open(outDir: string): Promise<Staging> {
    const parent = path.dirname(outDir);
    await mkdir(parent, { recursive: true });
    const dir = await mkdtemp(path.join(parent, `.${path.basename(outDir)}.tmp-`));
    // mkdtemp makes it private; the edition is for a web server's user to read.
    await chmod(dir, 0o755);
    return new Staging(outDir, dir);
  }

  private target(rel: string): string {
    return path.join(this.dir, ...rel.split('/'));
  }

  async write(rel: string, body: Buffer | string): Promise<void> {
    const file = this.target(rel);
    await mkdir(path.dirname(file), { recursive: true });
    // It may be a hard link into the edition being served: replace the link, never write through it.
    await rm(file, { force: true });
    await writeFile(file, body);
  }

  /** A second name for a file already written to the new edition (the same bytes, no more disk). */
  async alias(rel: string, existing: string): Promise<void> {
    const to = this.target(rel);
    await mkdir(path.dirname(to), { recursive: true });
    await rm(to, { force: true });
    await link(this.target(existing), to).catch(() => copyFile(this.target(existing), to));
  }

  /** Takes an unchanged file over from the current edition: a hard link, a copy where links fail. */
  async keep(rel: string): Promise<boolean> {
    const from = path.join(this.outDir, ...rel.split('/'));
    const to = this.target(rel);
    if (!(await stat(from).then((s) => s.isFile(), () => false))) return false;
    await mkdir(path.dirname(to), { recursive: true });
    await link(from, to).catch(() => copyFile(from, to));
    return true;
  }

  async writeState(state: ExportState): Promise<void> {
    await this.write(STATE_FILE, JSON.stringify(state));
  }

  /**
   * Swaps the new edition in. Two renames: between them the folder is briefly absent (a 404 for
   * a moment), never half-written. The old edition is deleted afterwards.
   */
  async commit(): Promise<void> {
    const old = `${this.dir}-old`;
    let hadOld = true;
    try {
      await rename(this.outDir, old);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
      hadOld = false;
    }
    await rename(this.dir, this.outDir);
    if (hadOld) await rm(old, { recursive: true, force: true });
  }

  async abandon(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
