import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir`, as `/`-separated paths relative to it. */
export async function filesUnder(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const name = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, name)));
    else out.push(name);
  }
  return out;
}

/** Every string anywhere in a JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * Every URL under `base` that a JSON file of the edition names (ids, homepages, citation and
 * image service links). An image service's id is its base URI, which a level-0 host cannot
 * redirect: clients add `/info.json`, and so does this.
 */
export async function jsonUrlsUnder(outDir: string, base: string): Promise<Set<string>> {
  const urls = new Set<string>();
  for (const rel of (await filesUnder(outDir)).filter((f) => f.endsWith('.json') && !f.startsWith('.'))) {
    for (const s of strings(JSON.parse(await readFile(path.join(outDir, rel), 'utf8')))) {
      if (!s.startsWith(`${base}/`) && s !== base) continue;
      // A fragment names a part of a resource (a canvas region, the provider on the page).
      const url = s.split('#')[0]!;
      urls.add(/\/iiif\/[23]\/[^/]+$/.test(url) ? `${url}/info.json` : url);
    }
  }
  return urls;
}

/**
 * Every URL under `base` that the edition's pages link or load (`href`, `src`), but oEmbed: its
 * answer depends on the query, which a file cannot follow. Fragments are dropped.
 */
export async function pageLinksUnder(outDir: string, base: string, pages: readonly string[]): Promise<Set<string>> {
  const urls = new Set<string>();
  const oembed = `${new URL(base).pathname}/oembed`;
  for (const rel of pages) {
    const html = await readFile(path.join(outDir, rel), 'utf8');
    for (const [, link] of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
      const url = new URL(link!.replaceAll('&amp;', '&'), `${base}/${rel}`);
      if (url.href.startsWith(`${base}/`) && url.pathname !== oembed) urls.add(url.href.split('#')[0]!);
    }
  }
  return urls;
}

/** The URLs that do not answer 200 (no redirect followed), as `status url`. */
export async function unanswered(urls: Iterable<string>): Promise<string[]> {
  const missing: string[] = [];
  const all = [...urls];
  for (let i = 0; i < all.length; i += 32) {
    await Promise.all(
      all.slice(i, i + 32).map(async (u) => {
        const res = await fetch(u, { method: 'HEAD', redirect: 'manual' });
        if (res.status !== 200) missing.push(`${res.status} ${u}`);
      }),
    );
  }
  return missing;
}
