import { Router } from 'express';
import type { Logger } from 'pino';

/**
 * Whether the service can answer real traffic. Start-up work (loading the document, building
 * manifests, opening the image sources) registers with `track`; shutdown calls `drain`.
 */
export class Readiness {
  private readonly pending = new Set<string>();
  private readonly failed = new Map<string, string>();
  private draining = false;

  constructor(private readonly logger?: Logger) {}

  /** Not ready until `work` settles; a failure keeps the service unready (and is logged). */
  track<T>(name: string, work: Promise<T>): Promise<T> {
    this.pending.add(name);
    work.then(
      () => this.pending.delete(name),
      (err: unknown) => {
        this.pending.delete(name);
        this.failed.set(name, err instanceof Error ? err.message : String(err));
        this.logger?.error({ err, task: name }, 'start-up task failed; not ready');
      },
    );
    return work;
  }

  /** From now on, load balancers should stop sending us traffic. */
  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Why the service is not ready, or null when it is. */
  reason(): string | null {
    if (this.draining) return 'shutting down';
    if (this.failed.size > 0) return `failed: ${[...this.failed.keys()].join(', ')}`;
    if (this.pending.size > 0) return `starting: ${[...this.pending].join(', ')}`;
    return null;
  }
}

/** Paths of the probes; request logs skip them (probes every few seconds would drown the rest). */
export const probePaths: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/**
 * `/healthz`: the process is alive and its event loop turns (stays 200 while draining, so an
 * orchestrator lets in-flight requests finish). `/readyz`: 200 once start-up work is done,
 * 503 before that and from the moment shutdown begins.
 */
export function healthRouter(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('text/plain').send('ok\n');
  });
  router.get('/readyz', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('text/plain');
    const reason = readiness.reason();
    if (reason === null) {
      res.send('ready\n');
    } else {
      // Only task names we chose, never an error message or a path.
      res.status(503).set('Retry-After', '1').send(`not ready: ${reason}\n`);
    }
  });
  return router;
}
