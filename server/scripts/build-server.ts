/**
 * Compiles the service (server/src → server/dist/main.js) with esbuild, so production runs on
 * plain `node` without tsx's loader (~34 MiB of resident memory, and a transform per module at
 * start-up). Runs before `npm start` and the tile benchmark; builds only when a source is newer
 * than the output. `--force` always builds. Type checking stays with `tsc --noEmit`.
 *
 * The output is one ES module per entry (plus shared chunks for modules loaded on demand),
 * written to server/dist — the same depth as server/src, so `import.meta.url`-relative paths
 * (projectRoot in config.ts) resolve alike; JSON imports are inlined. The JP2 encode worker
 * is an entry of its own, jp2-worker.js beside main.js, where image/jp2-pool.ts looks for it, and
 * so is `npm run check`'s, check-worker.js. npm packages stay external: sharp is native and
 * pino starts workers from its own files.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isStale } from './build-freshness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const serverDist = path.join(root, 'server', 'dist');
/** What `npm start` runs. */
export const serverEntry = path.join(serverDist, 'main.js');
/** Worker threads' entry points, by output name (each becomes server/dist/<name>.js). */
export const workerEntries: Readonly<Record<string, string>> = {
  'jp2-worker': path.join(root, 'server', 'src', 'image', 'jp2-worker.ts'),
  // Run by `npm run check` (catalog/check-pool.ts), not by the service.
  'check-worker': path.join(root, 'server', 'src', 'catalog', 'check-worker.ts'),
};

/** True when server/dist is missing or older than any input of the build. */
export async function serverBuildIsStale(): Promise<boolean> {
  return isStale(serverEntry, [
    path.join(root, 'server', 'src'),
    path.join(root, 'package-lock.json'),
    path.join(root, 'tsconfig.json'),
    fileURLToPath(import.meta.url),
  ]);
}

export async function buildServer({ force = false } = {}): Promise<boolean> {
  if (!force && !(await serverBuildIsStale())) return false;
  // Built aside and renamed into place: a concurrent start never runs a half-written file.
  const staging = `${serverDist}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  try {
    await build({
      absWorkingDir: root,
      entryPoints: { main: path.join(root, 'server', 'src', 'main.ts'), ...workerEntries },
      outdir: staging,
      bundle: true,
      splitting: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Stack traces in the logs name our functions; maps are read only with --enable-source-maps.
      sourcemap: 'linked',
      logLevel: 'warning',
    });
    // File by file: a rename over an existing file is atomic, so a service starting meanwhile
    // finds either the old main.js or the new one, never none.
    await mkdir(serverDist, { recursive: true });
    for (const name of await readdir(staging)) await rename(path.join(staging, name), path.join(serverDist, name));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return true;
}

/**
 * The arguments after `node` in package.json's start script (Node flags and the entry), so the
 * benchmark and the tests start the service exactly as `npm start` does.
 */
export function startArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = (scripts.start ?? '').trim().split(/\s+/);
  if (command !== 'node') throw new Error(`package.json's start script should run node, not ${String(command)}`);
  return args.map((a) => (a.endsWith('.js') ? path.resolve(root, a) : a));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildServer({ force: process.argv.includes('--force') });
  process.stdout.write(built ? `built ${path.relative(root, serverEntry)}\n` : 'server/dist is up to date\n');
}
