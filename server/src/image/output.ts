import { NotImplementedError } from '../errors.js';
import { Jp2Pool } from './jp2-pool.js';
import { pdfPage } from './pdf-page.js';
import { jpegOfRaw, renderPlan, renderRaw, type PixelInput } from './render.js';
import { rotatedSize } from './rotation.js';
import type { ImageDescription, ImagePlan } from './types.js';

/**
 * The JP2 byte budget relative to the JPEG of the same pixels. OpenJPEG's rate control is
 * by size only, and a fixed ratio would make a plain page far larger than its JPEG; at the
 * JPEG's own size the 9/7 wavelet already has the smaller error, so JPEG 2000 costs a client
 * no more bandwidth than JPEG and looks at least as good.
 */
const JP2_BYTES_PER_JPEG_BYTE = 1;

/**
 * The most samples (pixels × components) the WebAssembly encoder can hold: its heap stops at
 * 2 GiB and OpenJPEG keeps ~15 bytes per sample; 40 megapixels in colour (the default
 * MAX_AREA) were measured to fit, 64 not.
 */
export const JP2_MAX_SAMPLES = 120_000_000;

/**
 * Renders a plan to the bytes of its format, within `msLeft` (the render gate's budget):
 * sharp's formats directly; JP2 from sharp's raw pixels, encoded in a worker thread; PDF as
 * one page around sharp's JPEG.
 */
export class OutputRenderer {
  private readonly jp2: Jp2Pool;

  /** `threads`: the render gate's concurrency, so every admitted JP2 render has a thread. */
  constructor(threads: number) {
    this.jp2 = new Jp2Pool(threads);
  }

  async render(input: PixelInput, plan: ImagePlan, msLeft: number, description: ImageDescription): Promise<Buffer> {
    const deadline = Date.now() + msLeft;
    switch (plan.format) {
      case 'jp2': {
        checkJp2Size(plan);
        const raw = await renderRaw(input, plan, msLeft / 1000);
        const budget = (await jpegOfRaw(raw)).length * JP2_BYTES_PER_JPEG_BYTE;
        return this.jp2.encode(raw, budget, deadline - Date.now());
      }
      case 'pdf':
        return pdfPage(await renderPlan(input, { ...plan, format: 'jpg' }, msLeft / 1000), description);
      default:
        return renderPlan(input, plan, msLeft / 1000);
    }
  }

  /** Stops the encoder threads. */
  close(): Promise<void> {
    return this.jp2.close();
  }
}

/** Refused before any pixel work, only when MAX_AREA is set above what the encoder can hold. */
function checkJp2Size(plan: ImagePlan): void {
  const { width, height } = rotatedSize(plan.width, plan.height, plan.rotation);
  const samples = width * height * (plan.quality === 'gray' || plan.quality === 'bitonal' ? 1 : 3);
  if (samples > JP2_MAX_SAMPLES) {
    throw new NotImplementedError(
      `JPEG 2000 output is limited to ${JP2_MAX_SAMPLES} samples (pixels × components); ${width}×${height} in ${plan.quality} is more: ask for a smaller size or another format`,
    );
  }
}
