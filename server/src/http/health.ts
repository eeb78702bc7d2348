import { Router } from 'express';

/**
 * Whether the service can answer real traffic. Everything it needs (documents, checked
 * manifests) is ready before it listens, so it is ready from the start; shutdown calls `drain`.
 */
export class Readiness {
  private draining = false;

  /** From now on, load balancers should stop sending us traffic. */
  drain(): void {
    this.draining = true;
  }

  /** Why the service is not ready, or null when it is. */
  reason(): 'shutting down' | null {
    return this.draining ? 'shutting down' : null;
  }
}

/** Paths of the probes; request logs skip them (probes every few seconds would drown the rest). */
export const probePaths: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/**
 * `/healthz`: the process is alive and its event loop turns (stays 200 while draining, so an
 * orchestrator lets in-flight requests finish). `/readyz`: 200 while serving, 503 from the
 * moment shutdown begins.
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
      res.status(503).set('Retry-After', '1').send(`not ready: ${reason}\n`);
    }
  });
  return router;
}
