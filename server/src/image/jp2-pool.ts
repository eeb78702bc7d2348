import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Piscina } from 'piscina';
import type { Jp2Task } from './jp2-worker.js';
import { RenderTimeoutError, type RawImage } from './render.js';

/**
 * The worker threads that encode JP2 (WebAssembly OpenJPEG is synchronous and would stall
 * every other request). Admission and time limits stay with the render gate: it admits at
 * most `threads` renders, so a task never waits here for long, and a task past its deadline
 * is aborted by stopping its thread, which frees the CPU at once.
 */
export class Jp2Pool {
  private pool: Promise<Piscina<Jp2Task, Uint8Array>> | null = null;

  constructor(private readonly threads: number) {}

  /** Encodes raw pixels to a JP2 file of about `targetBytes`, within `msLeft` milliseconds. */
  async encode(image: RawImage, targetBytes: number, msLeft: number): Promise<Buffer> {
    if (msLeft <= 0) throw new RenderTimeoutError('no time left to encode JPEG 2000');
    const signal = AbortSignal.timeout(msLeft);
    try {
      const file = await (await this.workers()).run({ ...image, targetBytes }, { signal });
      return Buffer.from(file.buffer, file.byteOffset, file.length);
    } catch (err) {
      if (signal.aborted) throw new RenderTimeoutError(`JPEG 2000 encoding took longer than ${msLeft} ms`);
      throw err;
    }
  }

  /** Stops the threads (an encode in progress is abandoned). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await (await pool)?.close({ force: true });
  }

  private workers(): Promise<Piscina<Jp2Task, Uint8Array>> {
    // Started (and the pool library loaded) on first use: most services never encode JPEG 2000.
    this.pool ??= import('piscina').then(
      ({ Piscina }) =>
        new Piscina<Jp2Task, Uint8Array>({
          ...workerEntry(),
          minThreads: 0,
          maxThreads: this.threads,
          // An idle thread (and its WebAssembly memory) is released after a while.
          idleTimeout: 30_000,
        }),
    );
    return this.pool;
  }
}

/**
 * From the sources (tsx, vitest) the worker is the .ts file beside this one, loaded through
 * tsx; in the compiled service it is jp2-worker.js beside main.js and its chunks, where this
 * module's code then lives (server/scripts/build-server.ts).
 */
function workerEntry(): { filename: string; execArgv?: string[] } {
  if (!import.meta.url.endsWith('.ts')) return { filename: new URL('./jp2-worker.js', import.meta.url).href };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename: new URL('./jp2-worker.ts', import.meta.url).href, execArgv: ['--import', tsx] };
}
