import PQueue from 'p-queue';
import { ServiceUnavailableError } from '../errors.js';

export interface RenderGateOptions {
  /** Renders running at once. */
  concurrency: number;
  /** Renders allowed to wait; one more is refused with a 503. */
  queue: number;
  /** Budget of a render from the moment it is admitted, queueing included. */
  timeoutMs: number;
}

/**
 * Admission control for sharp renders: a fixed number run, a bounded number wait, the rest
 * are refused at once (503 with Retry-After) instead of piling up memory. A render past its
 * budget fails with a 503; its slot is held until libvips has actually stopped (the task is
 * told how long it may run, so it aborts itself), so the concurrency bound is real.
 */
export class RenderGate {
  private readonly queue: PQueue;

  constructor(private readonly opts: RenderGateOptions) {
    this.queue = new PQueue({ concurrency: opts.concurrency });
  }

  /** Renders running and waiting, for tests and metrics. */
  get load(): { running: number; waiting: number } {
    return { running: this.queue.pending, waiting: this.queue.size };
  }

  /** Runs `task` within the bounds; `task` receives the milliseconds it has left. */
  run<T>(task: (msLeft: number) => Promise<T>): Promise<T> {
    const { concurrency, queue, timeoutMs } = this.opts;
    if (this.queue.pending >= concurrency && this.queue.size >= queue) {
      return Promise.reject(new ServiceUnavailableError('Too many images are being rendered; try again shortly', 1));
    }
    const deadline = Date.now() + timeoutMs;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new ServiceUnavailableError(`Rendering took longer than ${timeoutMs} ms; try again shortly`, 2));
      }, timeoutMs);
      // No AbortSignal for p-queue: it would free the slot of a running task on abort,
      // while libvips still works; the task itself stops at its deadline instead.
      this.queue
        .add(async () => {
          const msLeft = deadline - Date.now();
          // Its caller has had its 503 already: a task whose budget ran out in the queue never starts.
          if (settled || msLeft <= 0) return undefined;
          return { value: await task(msLeft) };
        })
        .then(
          (result) => {
            if (settled || result === undefined) return;
            settled = true;
            clearTimeout(timer);
            resolve(result.value);
          },
          (err: unknown) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            reject(err);
          },
        );
    });
  }
}
