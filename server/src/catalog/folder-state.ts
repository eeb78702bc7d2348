import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FolderState } from './entry.js';

/**
 * A cheap fingerprint of a document folder: the name, size and modification time of each of
 * its files (not their bytes), so that telling whether it changed costs a few stats. Null when
 * the folder is gone.
 */
export async function folderState(dir: string): Promise<FolderState | null> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
  const hash = createHash('sha256');
  let modified = 0;
  const stats = await Promise.all(names.map((name) => stat(path.join(dir, name)).catch(() => null)));
  names.forEach((name, i) => {
    const s = stats[i];
    if (!s) return;
    modified = Math.max(modified, s.mtimeMs);
    hash.update(`${name}\0${s.size}\0${s.mtimeMs}\0`);
  });
  return { fingerprint: hash.digest('base64url').slice(0, 22), modified: Math.floor(modified) };
}
