import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';

/** Errors that mean "the cache cannot take writes now", as opposed to a bug. */
const unwritableCodes = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EEXIST', 'EISDIR', 'EMFILE']);

export function isUnwritable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && unwritableCodes.has(code);
}

/** A temporary entry untouched this long is abandoned, whatever its recorded pid. */
const ABANDONED_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * Appended to temporary names: CACHE_DIR may be a volume shared by machines, where a pid
 * means something only on the machine that wrote it.
 */
const thisHost = `@${hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'localhost'}`;

/** How long the cache is left alone after a failed write before it is tried again. */
const RETRY_AFTER_MS = 60_000;

/**
 * The image part of CACHE_DIR: derivatives and source hash records, one folder per
 * identifier. Everything is written under a temporary name and renamed into place, so a
 * reader (in this or another process) sees a whole entry or none. When the folder cannot
 * be written (read-only, full, not a folder), the service keeps serving by rendering on
 * demand; the condition is logged once, not per request.
 */
export class CacheDir {
  readonly root: string;
  private unavailableUntil = 0;
  private warned = false;

  constructor(
    cacheDir: string,
    private readonly logger: Logger,
  ) {
    this.root = path.join(cacheDir, 'images');
  }

  /** The folder of one identifier; identifiers are validated before they get here. */
  dirOf(id: string): string {
    return path.join(this.root, id);
  }

  /** False for a while after a write failed, so a broken cache costs one failure a minute. */
  get available(): boolean {
    return Date.now() >= this.unavailableUntil;
  }

  /** Records a failed write: logs it the first time, then backs off. */
  failed(err: unknown, what: string): void {
    this.unavailableUntil = Date.now() + RETRY_AFTER_MS;
    if (!this.warned) {
      this.warned = true;
      this.logger.warn(
        { err, cacheDir: path.dirname(this.root), what },
        'image cache is not writable; images are rendered on demand until it is',
      );
    }
  }

  /** Records a successful write after failures. */
  recovered(): void {
    if (this.warned) {
      this.warned = false;
      this.logger.info({ cacheDir: path.dirname(this.root) }, 'image cache is writable again');
    }
  }

  /** A fresh temporary folder next to `finalDir`; its name records our pid for clean-up. */
  async makeTempDir(finalDir: string): Promise<string> {
    const tmp = path.join(
      path.dirname(finalDir),
      `.tmp-${path.basename(finalDir)}-${process.pid}-${randomBytes(4).toString('hex')}${thisHost}`,
    );
    await mkdir(tmp, { recursive: true });
    return tmp;
  }

  /** Writes a small file atomically (temporary name, then rename). */
  async writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}${thisHost}`;
    try {
      await writeFile(tmp, data);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Removes temporary folders and files left by processes that no longer run (a killed
   * ingest), so their half-written work is never mistaken for anything and is redone.
   */
  async removeStaleTemps(): Promise<number> {
    let removed = 0;
    let ids: string[];
    try {
      ids = await readdir(this.root);
    } catch {
      return 0;
    }
    for (const id of ids) {
      let names: string[];
      try {
        names = await readdir(path.join(this.root, id));
      } catch {
        continue;
      }
      for (const name of names) {
        const owner = tempOwner(name);
        if (owner === null) continue;
        const full = path.join(this.root, id, name);
        // A live pid may be a stranger that reused the number: very old temporaries go too.
        // Another machine's pid cannot be checked from here: its temporaries go only by age.
        const age = Date.now() - ((await stat(full).catch(() => null))?.mtimeMs ?? 0);
        const ours = owner.host === null || owner.host === thisHost;
        if ((!ours || isAlive(owner.pid)) && age < ABANDONED_AFTER_MS) continue;
        await rm(full, { recursive: true, force: true }).catch(() => undefined);
        removed++;
      }
    }
    return removed;
  }
}

/**
 * The process (pid, and host suffix when recorded) that wrote a temporary entry, or null for
 * a finished entry.
 */
export function tempOwner(name: string): { pid: number; host: string | null } | null {
  const m = /(?:^\.tmp-.*|\.tmp)-(\d+)-[0-9a-f]{8}(@[A-Za-z0-9._-]+)?$/.exec(name);
  return m ? { pid: Number(m[1]), host: m[2] ?? null } : null;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}
