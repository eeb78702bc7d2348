/**
 * Installs the third-party IIIF clients the tests open our resources with (viewer/test/clients:
 * Clover, Universal Viewer, TIFY, @iiif/parser, manifesto.js) and builds their test pages. They are
 * test tools with a lock file of their own, so `npm install` at the root never fetches them;
 * `npm test` runs this first. Idempotent: `npm ci` runs only when node_modules is missing or older
 * than the lock file, and the page is rebuilt only when its inputs changed.
 */
import { spawn } from 'node:child_process';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { isStale } from './build-freshness.js';
import { withFolderLock } from './folder-lock.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const clientsDir = path.join(root, 'viewer/test/clients');
const modules = path.join(clientsDir, 'node_modules');
/** Written after a successful `npm ci`: node_modules can exist half-installed. */
const installStamp = path.join(modules, '.installed');
const pagesDir = path.join(clientsDir, 'dist');


function npmCi(quiet: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: clientsDir,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`npm ci in ${path.relative(root, clientsDir)} failed (exit ${code})\n${output}`));
    });
  });
}

const installIsStale = () =>
  isStale(installStamp, [path.join(clientsDir, 'package.json'), path.join(clientsDir, 'package-lock.json')]);

/** The pages the client tests open, copied as they are: UV's and TIFY's load those clients' ready-made builds. */
const htmlPages = ['clover.html', 'uv.html', 'tify.html'];
const pageSources = ['clover-page.ts', ...htmlPages].map((f) => path.join(clientsDir, f));

/**
 * Clover with the React 18 of the clients' package (the viewer has React 19), bundled by the
 * root's esbuild; bare imports resolve from viewer/test/clients/node_modules.
 */
async function buildPages(): Promise<void> {
  await rm(pagesDir, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(clientsDir, 'clover-page.ts')],
    outfile: path.join(pagesDir, 'clover.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    nodePaths: [modules],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  for (const page of htmlPages) await copyFile(path.join(clientsDir, page), path.join(pagesDir, page));
  await writeFile(path.join(pagesDir, '.built'), new Date().toISOString());
}

/** Installs the clients and builds their pages when either is out of date; true when it did work. */
export async function ensureTestClients({ quiet = false } = {}): Promise<boolean> {
  const pagesAreStale = () => isStale(path.join(pagesDir, '.built'), [...pageSources, installStamp]);
  if (!(await installIsStale()) && !(await pagesAreStale())) return false;
  return withFolderLock(clientsDir, '.install-lock', async () => {
    let worked = false;
    // Another process may have installed while we waited.
    if (await installIsStale()) {
      if (!quiet) process.stdout.write('installing the IIIF test clients (viewer/test/clients)…\n');
      await npmCi(quiet);
      await writeFile(installStamp, new Date().toISOString());
      worked = true;
    }
    if (await pagesAreStale()) {
      await buildPages();
      worked = true;
    }
    return worked;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const worked = await ensureTestClients();
  process.stdout.write(
    worked ? `IIIF test clients ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n` : 'IIIF test clients are up to date\n',
  );
}
