import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * Runs `work` while holding a lock on `folder` across processes (test files and `npm start` may
 * ask at once, and two builds or installs into one folder would leave it half-written). The lock
 * is `folder/lockName` (git-ignored), kept fresh while held, so one left by a killed process is
 * taken over after `staleMs`; waiting gives up after `waitMs`.
 */
export async function withFolderLock<T>(
  folder: string,
  lockName: string,
  work: () => Promise<T>,
  { staleMs = 30_000, waitMs = 600_000 } = {},
): Promise<T> {
  const release = await lockfile.lock(folder, {
    lockfilePath: path.join(folder, lockName),
    stale: staleMs,
    retries: { retries: Math.ceil(waitMs / 500), minTimeout: 200, maxTimeout: 500 },
  });
  try {
    return await work();
  } finally {
    await release();
  }
}
