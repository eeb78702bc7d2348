import { open } from 'node:fs/promises';

/**
 * A whole file, read in as few trips to the thread pool as it takes: open, then reads of
 * `sizeHint` bytes until the end, and the close left to run behind. `readFile` makes four
 * trips (open, fstat, read, close) and a request waits for each; under load, each trip is a
 * turn behind every other request's work, so this is for files on the request path: a kept
 * build, a search index, an image's record. Rejects as `open` and `read` do.
 */
export async function readSmallFile(file: string, sizeHint = 64 * 1024): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafeSlow(Math.max(sizeHint, total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead > 0) chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (bytesRead < chunk.length) break;
    }
    // One buffer of the file's own size: a view of a larger one would keep the rest alive.
    return chunks.length === 1 && chunks[0]!.length === chunks[0]!.buffer.byteLength ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    handle.close().catch(() => undefined);
  }
}
