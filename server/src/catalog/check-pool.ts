import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { FolderChecker, FolderOutcome } from './check-folder.js';
import type { CheckTask, CheckWorkerData } from './check-worker.js';
import type { CatalogEntry } from './entry.js';

/**
 * Worker threads that check changed folders in full (check-worker.ts), for `npm run check` on
 * more than one core: loading, building and checking a document is CPU work, one core's worth
 * in one thread. Each thread holds its own image service and schemas. The threads run the
 * compiled worker (`worker`: server/dist/check-worker.js), as tsx's loader does not load
 * every module of the sources in a worker thread.
 */
export class CheckPool {
  private pool: Piscina<CheckTask, FolderOutcome> | null = null;

  constructor(
    private readonly threads: number,
    private readonly worker: string,
    private readonly data: Omit<CheckWorkerData, 'listed'>,
  ) {}

  /** What checkDocuments takes as its `checkers`: two folders queued per thread, so none waits idle. */
  get checkers(): { concurrency: number; make: (listed: readonly CatalogEntry[]) => FolderChecker } {
    return { concurrency: 2 * this.threads, make: (listed) => this.start(listed) };
  }

  private start(listed: readonly CatalogEntry[]): FolderChecker {
    // Piscina starts a thread without its module again and again, and the task waits forever.
    if (!existsSync(this.worker)) throw new Error(`the check's worker thread module ${this.worker} does not exist (npm run build:server makes it)`);
    const workerData: CheckWorkerData = { ...this.data, listed };
    const pool = new Piscina<CheckTask, FolderOutcome>({
      filename: pathToFileURL(this.worker).href,
      workerData,
      minThreads: this.threads,
      maxThreads: this.threads,
    });
    // A thread that fails to start rejects the tasks given it; unheard, the event would end the process.
    pool.on('error', () => undefined);
    this.pool = pool;
    return (id, folder) => pool.run({ id, folder });
  }

  async close(): Promise<void> {
    await this.pool?.close({ force: true });
    this.pool = null;
  }
}
