import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ServiceUnavailableError } from '../errors.js';
import { escapeHtml as e } from './html.js';

/** The files one built page needs, as URLs below where the build is served (`/viewer/`). */
export interface PageAssets {
  script: string;
  styles: string[];
  preload: string[];
  /** The IIIF logo, also the pages' icon. */
  icon: string;
}

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
}

export type Entry = 'document' | 'embed';

/**
 * Reads Vite's build manifest (`viewer/dist/.vite/manifest.json`) to find the hashed files of
 * each page; read again only when the file changes (a rebuild while the server runs). `root`:
 * where the build is served (a static edition's is below its base path).
 */
export function viewerAssets(distDir: string, root = '/viewer/'): (entry: Entry) => Promise<PageAssets> {
  const file = path.join(distDir, '.vite', 'manifest.json');
  let cached: { mtime: number; chunks: Record<string, ManifestChunk> } | null = null;
  const load = async () => {
    try {
      const { mtimeMs } = await stat(file);
      if (cached?.mtime !== mtimeMs) cached = { mtime: mtimeMs, chunks: JSON.parse(await readFile(file, 'utf8')) as Record<string, ManifestChunk> };
      return cached.chunks;
    } catch {
      throw new ServiceUnavailableError('The viewer is not built yet: run `npm run build:viewer`', 5);
    }
  };
  return async (entry) => {
    const chunks = await load();
    const page = chunks[`${entry}.html`];
    if (!page) throw new ServiceUnavailableError(`The viewer build has no ${entry} page`, 5);
    const styles = new Set<string>();
    const preload = new Set<string>();
    const visit = (chunk: ManifestChunk) => {
      for (const css of chunk.css ?? []) styles.add(`${root}${css}`);
      for (const key of chunk.imports ?? []) {
        const dep = chunks[key];
        if (dep && !preload.has(`${root}${dep.file}`)) {
          preload.add(`${root}${dep.file}`);
          visit(dep);
        }
      }
    };
    visit(page);
    return { script: `${root}${page.file}`, styles: [...styles], preload: [...preload], icon: `${root}iiif-logo.svg` };
  };
}

/**
 * Tags for the page's files, plus `preload`s of the JSON Mirador will fetch first (the manifest,
 * the first image's info.json) so they arrive while the scripts are still loading.
 */
export function assetTags(a: PageAssets, preloadJson: readonly string[] = []): string {
  // Build file names come from Vite's manifest, not from us: escaped like any other text.
  return [
    ...preloadJson.map((href) => `<link rel="preload" as="fetch" crossorigin="anonymous" href="${e(href)}">`),
    ...a.styles.map((href) => `<link rel="stylesheet" href="${e(href)}">`),
    ...a.preload.map((href) => `<link rel="modulepreload" href="${e(href)}">`),
    `<script type="module" src="${e(a.script)}"></script>`,
  ].join('\n    ');
}
