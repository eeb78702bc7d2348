import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, serverEntry, startArgs } from '../../scripts/build-server.js';

/**
 * The compiled service, started as `npm start` starts it (node and the start script's flags on
 * server/dist/main.js), from a foreign working directory: every data path, JSON schema and the
 * viewer build must resolve from the compiled output, not from the sources or the cwd.
 */
describe('the compiled server (server/dist)', () => {
  let child: ChildProcess;
  let origin = '';
  let workDir = '';
  const output: string[] = [];

  beforeAll(async () => {
    // Forced: a wrong freshness check must not leave this test running a stale server/dist.
    await buildServer({ force: true });
    workDir = await mkdtemp(path.join(tmpdir(), 'compiled-server-'));
    const args = startArgs();
    expect(args.at(-1)).toBe(serverEntry);
    expect(args).not.toContain('tsx');
    child = spawn(process.execPath, args, {
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        CACHE_DIR: path.join(workDir, 'cache'),
        INGEST_ON_START: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    origin = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited with ${String(code)}: ${output.join('\n')}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        output.push(line);
        const log = parseLogLine(line);
        if (typeof log.port === 'number' && log.msg?.startsWith('listening')) resolve(`http://127.0.0.1:${log.port}`);
      });
    });
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('serves a Presentation 3.0 manifest validated against the bundled schemas', async () => {
    const res = await fetch(`${origin}/iiif/presentation/3/rgaspi-f558-op11-d340-l43-45/manifest`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as { type: string; items: { id: string }[] };
    expect(manifest.type).toBe('Manifest');
    expect(manifest.items).toHaveLength(3);
  });

  it('serves info.json of a page image from the project images folder', async () => {
    const res = await fetch(`${origin}/iiif/3/rgaspi-f558-op11-d340-l043/info.json`);
    expect(res.status).toBe(200);
    const info = (await res.json()) as { id: string; width: number; height: number; tiles: { width: number }[] };
    expect(info.id).toBe(`${origin}/iiif/3/rgaspi-f558-op11-d340-l043`);
    expect(info.width).toBeGreaterThan(0);
    expect(info.tiles[0]!.width).toBe(512);
  });

  it('renders a tile with sharp', async () => {
    const res = await fetch(`${origin}/iiif/3/rgaspi-f558-op11-d340-l043/0,0,512,512/512,/0/default.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 512, 512]);
  });

  it('encodes JPEG 2000 in the compiled worker thread (server/dist/jp2-worker.js) and writes PDF', async () => {
    const base = `${origin}/iiif/3/rgaspi-f558-op11-d340-l043/full/300,/0`;
    const jp2 = await fetch(`${base}/gray.jp2`);
    expect(jp2.status).toBe(200);
    expect(jp2.headers.get('content-type')).toBe('image/jp2');
    // The JP2 signature box, then the file type box branded "jp2 ".
    const bytes = Buffer.from(await jp2.arrayBuffer());
    expect(bytes.subarray(0, 12)).toEqual(Buffer.from([0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]));
    expect(bytes.toString('latin1', 16, 24)).toBe('ftypjp2 ');
    const pdf = await fetch(`${base}/default.pdf`);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).toString('latin1', 0, 5)).toBe('%PDF-');
  });

  it('serves the viewer page built by Vite', async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<script type="module"[^>]+src="\/viewer\/assets\//);
  });
});

/** A JSON log line, or nothing for other output (a warning printed by Node, say). */
function parseLogLine(line: string): { msg?: string; port?: number } {
  try {
    const log: unknown = JSON.parse(line);
    return typeof log === 'object' && log !== null ? (log as { msg?: string; port?: number }) : {};
  } catch {
    return {};
  }
}
