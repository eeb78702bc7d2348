import { open } from 'node:fs/promises';

/**
 * Read buffers, handed back after each read: a request reading a few hundred KB would
 * otherwise leave a buffer of that size behind as garbage, which V8 frees only when its
 * outside-the-heap allocations have grown by tens of MB. A few per size are kept (the callers
 * use a handful of sizes), so they hold a few MB at most.
 */
const spares = new Map<number, Buffer[]>();
const sparesPerSize = 4;

function borrow(size: number): Buffer {
  return spares.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
}

function giveBack(buffer: Buffer): void {
  const kept = spares.get(buffer.length) ?? [];
  if (kept.length < sparesPerSize) kept.push(buffer);
  spares.set(buffer.length, kept);
}

/**
 * A whole file, read in as few trips to the thread pool as it takes: open, then reads of
 * `sizeHint` bytes until the end, and the close left to run behind. `readFile` makes four
 * trips (open, fstat, read, close) and a request waits for each; under load, each trip is a
 * turn behind every other request's work, so this is for files on the request path: a kept
 * build, a search index, an image's record. The bytes come back in a buffer of their own
 * size (a view of a larger one would keep the rest alive). Rejects as `open` and `read` do.
 */
export async function readSmallFile(file: string, sizeHint = 64 * 1024): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    // A read that fails drops its buffer: it is not handed back while the read may yet write into it.
    const first = borrow(sizeHint);
    const { bytesRead } = await handle.read(first, 0, first.length, null);
    const own = Buffer.allocUnsafeSlow(Math.min(bytesRead, first.length));
    first.copy(own, 0, 0, own.length);
    giveBack(first);
    if (bytesRead < first.length) return own;
    // Larger than the hint: the rest in chunks of their own.
    const chunks: Buffer[] = [own];
    let total = bytesRead;
    for (;;) {
      const chunk = Buffer.allocUnsafeSlow(Math.max(sizeHint, total));
      const { bytesRead: more } = await handle.read(chunk, 0, chunk.length, null);
      if (more > 0) chunks.push(chunk.subarray(0, more));
      total += more;
      if (more < chunk.length) break;
    }
    return Buffer.concat(chunks, total);
  } finally {
    handle.close().catch(() => undefined);
  }
}
