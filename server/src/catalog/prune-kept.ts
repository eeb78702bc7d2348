/**
 * Deletes the files kept in CACHE_DIR (Presentation builds, search indexes) that no current
 * document is served from: those of data, images or versions since replaced. A file written
 * after `before` is left alone, so an instance sharing CACHE_DIR never loses what it has just
 * kept; whatever is deleted by mistake is only built again when asked for.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export interface Pruned {
  readonly files: number;
  readonly bytes: number;
}

export async function pruneKept(folders: readonly string[], keep: ReadonlySet<string>, before: number): Promise<Pruned> {
  let files = 0;
  let bytes = 0;
  for (const folder of folders) {
    const found = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of found) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (keep.has(file)) continue;
      const info = await stat(file).catch(() => null);
      if (!info || info.mtimeMs >= before) continue;
      await rm(file, { force: true });
      files++;
      bytes += info.size;
    }
  }
  return { files, bytes };
}
