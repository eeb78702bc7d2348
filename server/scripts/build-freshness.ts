import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** The latest modification time under `target` (0 when it does not exist). */
async function newest(target: string): Promise<number> {
  const info = await stat(target).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(target);
  const times = await Promise.all(entries.map((e) => newest(path.join(target, e))));
  return Math.max(info.mtimeMs, ...times);
}

/** True when `output` is missing or older than any file under `inputs`: the build must run. */
export async function isStale(output: string, inputs: readonly string[]): Promise<boolean> {
  const built = await newest(output);
  if (built === 0) return true;
  const times = await Promise.all(inputs.map(newest));
  return Math.max(...times) > built;
}
