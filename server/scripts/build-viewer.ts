/**
 * Builds the viewer (Vite → viewer/dist) when its sources are newer than the last build, so
 * `npm start` and `npm test` work on a fresh clone and cost nothing when the build is current.
 * `--force` always builds.
 */
import { stat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const viewerDir = path.join(root, 'viewer');
const stamp = path.join(viewerDir, 'dist', '.vite', 'manifest.json');

async function newest(target: string): Promise<number> {
  const info = await stat(target).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(target);
  const times = await Promise.all(entries.map((e) => newest(path.join(target, e))));
  return Math.max(info.mtimeMs, ...times);
}

/** True when viewer/dist is missing or older than any input of the build. */
export async function viewerBuildIsStale(): Promise<boolean> {
  const built = await newest(stamp);
  if (built === 0) return true;
  const inputs = ['src', 'public', 'document.html', 'embed.html', 'vite.config.ts'].map((p) => path.join(viewerDir, p));
  inputs.push(path.join(root, 'package-lock.json'));
  const times = await Promise.all(inputs.map(newest));
  return Math.max(...times) > built;
}

export async function buildViewer({ force = false, quiet = false } = {}): Promise<boolean> {
  if (!force && !(await viewerBuildIsStale())) return false;
  await build({ configFile: path.join(viewerDir, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  const built = await buildViewer({ force });
  if (!built) process.stdout.write('viewer/dist is up to date\n');
}
