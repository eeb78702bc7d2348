import { Piscina } from 'piscina';
import { jp2File } from './jp2-boxes.js';
import { encodeCodestream } from './jp2-codec.js';
import type { RawImage } from './render.js';

/**
 * Entry point of a JP2 encode worker thread (started by jp2-pool.ts; built as its own file
 * beside main.js). One task: raw pixels in, a complete JP2 file out.
 */
export interface Jp2Task extends RawImage {
  readonly targetBytes: number;
}

export default async function encodeJp2(task: Jp2Task): Promise<unknown> {
  const codestream = await encodeCodestream(task, task.targetBytes);
  const file = new Uint8Array(jp2File(codestream, { width: task.width, height: task.height, components: task.channels }));
  // Handed over to the main thread without a copy.
  return Piscina.move(file);
}
