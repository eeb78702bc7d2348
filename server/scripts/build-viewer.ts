/**
 * Builds the viewer (Vite → viewer/dist) when its sources are newer than the last build, so
 * `npm start` and `npm test` work on a fresh clone and cost nothing when the build is current.
 * `--force` always builds.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { isStale } from './build-freshness.js';
import { withFolderLock } from './folder-lock.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const viewerDir = path.join(root, 'viewer');
const stamp = path.join(viewerDir, 'dist', '.vite', 'manifest.json');

/** True when viewer/dist is missing or older than any input of the build. */
export async function viewerBuildIsStale(): Promise<boolean> {
  const inputs = ['src', 'public', 'document.html', 'embed.html', 'vite.config.ts'].map((p) => path.join(viewerDir, p));
  return isStale(stamp, [...inputs, path.join(root, 'package-lock.json')]);
}



export async function buildViewer({ force = false, quiet = false } = {}): Promise<boolean> {
  if (!force && !(await viewerBuildIsStale())) return false;
  return withFolderLock(viewerDir, '.build-lock', async () => {
    // Another process may have built while we waited.
    if (!force && !(await viewerBuildIsStale())) return false;
    // Under the test runner NODE_ENV is "test"; libraries would then bundle their development code.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: path.join(viewerDir, 'vite.config.ts'), logLevel: quiet ? 'error' : 'info' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    return true;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  const built = await buildViewer({ force });
  if (!built) process.stdout.write('viewer/dist is up to date\n');
}
