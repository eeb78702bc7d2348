import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentDataError } from '../document/document-error.js';
import { documentFolders, RECORD_FILE } from '../document/load-document.js';
import { brokenEntry, type CatalogEntry, entryFromRecord, type FolderState } from './entry.js';
import { folderState } from './folder-state.js';

/**
 * The entry of one folder from its record.json alone (no transcription is read): an entry
 * with a `problem` when the record cannot be used, null when the folder is gone.
 */
export async function entryOfFolder(manifestsDir: string, id: string, known?: FolderState | null): Promise<CatalogEntry | null> {
  const dir = path.join(manifestsDir, id);
  const folder = known ?? (await folderState(dir));
  if (!folder) return null;
  const shown = `${path.basename(manifestsDir)}/${id}/${RECORD_FILE}`;
  try {
    let text: string;
    try {
      text = await readFile(path.join(dir, RECORD_FILE), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DocumentDataError(shown, '/', code === 'ENOENT' ? 'file not found' : `cannot be read (${code})`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new DocumentDataError(shown, '/', `is not valid JSON (${(err as Error).message})`);
    }
    return entryFromRecord(id, data, shown, folder);
  } catch (err) {
    if (err instanceof DocumentDataError) return brokenEntry(id, folder, err.message);
    throw err;
  }
}

/**
 * The catalog of `manifestsDir`, starting from `previous` (the catalog file, when there is
 * one): a folder it lists is taken as listed there, without touching the folder — a change
 * to it is noticed when the document is first asked for —, a new folder is read from its
 * record.json, and a folder that is gone is dropped.
 */
export async function scanCatalog(
  manifestsDir: string,
  previous: readonly CatalogEntry[] | null,
): Promise<{ entries: CatalogEntry[]; changed: boolean }> {
  const folders = await documentFolders(manifestsDir);
  const known = new Map((previous ?? []).map((e) => [e.id, e]));
  const entries: CatalogEntry[] = [];
  let changed = previous === null || previous.length !== folders.length;
  // A few folders at a time: enough to keep the disk busy without holding every record at once.
  const width = 16;
  for (let i = 0; i < folders.length; i += width) {
    const batch = await Promise.all(
      folders.slice(i, i + width).map(async (id) => known.get(id) ?? (await entryOfFolder(manifestsDir, id))),
    );
    for (const [j, entry] of batch.entries()) {
      if (!entry) continue;
      if (!known.has(folders[i + j]!)) changed = true;
      entries.push(entry);
    }
  }
  return { entries, changed };
}

/**
 * The catalog of `manifestsDir` with every folder looked at (a few stats each): an entry whose
 * folder is unchanged is kept as it is, checked or not; a changed or new folder is read from
 * its record.json and is unchecked until `npm run check` or its first request checks it.
 */
export async function refreshCatalog(manifestsDir: string, previous: readonly CatalogEntry[] | null): Promise<CatalogEntry[]> {
  const folders = await documentFolders(manifestsDir);
  const known = new Map((previous ?? []).map((e) => [e.id, e]));
  const entries: CatalogEntry[] = [];
  const width = 16;
  for (let i = 0; i < folders.length; i += width) {
    const batch = await Promise.all(
      folders.slice(i, i + width).map(async (id) => {
        const folder = await folderState(path.join(manifestsDir, id));
        if (!folder) return null;
        const before = known.get(id);
        return before && before.fingerprint === folder.fingerprint ? before : await entryOfFolder(manifestsDir, id, folder);
      }),
    );
    for (const entry of batch) if (entry) entries.push(entry);
  }
  return entries;
}
