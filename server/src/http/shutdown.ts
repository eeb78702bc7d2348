import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Readiness } from './health.js';

/**
 * Timeouts against slow or stuck clients: headers must arrive within 10 s (slowloris), the
 * whole request within 30 s, and an idle socket is dropped once a render could no longer be
 * running on it. Idle keep-alive connections close after 5 s.
 */
export function applyServerTimeouts(server: Server, config: Pick<Config, 'render'>): void {
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.timeout = config.render.timeoutMs + 10_000;
}

export interface ShutdownOptions {
  readiness: Readiness;
  logger: Logger;
  /** Longest wait for in-flight requests before connections are cut; exit follows at once. */
  graceMs?: number;
  /** Release what the service holds (background ingest, file handles) once the server closed. */
  cleanup?: () => Promise<void>;
  exit?: (code: number) => void;
}

/**
 * Graceful stop: readiness turns 503, the listener stops accepting, idle keep-alive
 * connections close, requests in flight finish (answered with `Connection: close`), then the
 * process exits. Past `graceMs` the remaining connections are cut and the exit code is 1.
 * Returns the function to call with a signal name (main.ts wires SIGTERM and SIGINT to it).
 */
export function gracefulShutdown(server: Server, options: ShutdownOptions): (signal: string) => void {
  const { readiness, logger, graceMs = 8_000, cleanup, exit = (code) => process.exit(code) } = options;
  let stopping = false;
  let exited = false;
  const finish = (code: number) => {
    if (exited) return;
    exited = true;
    exit(code);
  };

  // Responses not yet sent when shutdown begins (and any request still arriving on an open
  // keep-alive connection) say `Connection: close`, so clients do not reuse a closing socket.
  const unsent = new Set<ServerResponse>();
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (stopping) {
      res.setHeader('Connection', 'close');
      return;
    }
    unsent.add(res);
    res.once('close', () => unsent.delete(res));
    res.once('finish', () => unsent.delete(res));
  });

  return (signal) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      finish(1);
      return;
    }
    stopping = true;
    readiness.drain();
    logger.info({ signal, inFlight: unsent.size }, 'shutting down: draining in-flight requests');
    for (const res of unsent) if (!res.headersSent) res.setHeader('Connection', 'close');

    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      logger.warn({ graceMs }, 'grace period over: closing remaining connections');
      clearInterval(idleSweep);
      server.closeAllConnections();
      finish(1);
    }, graceMs);
    deadline.unref();

    server.close(() => {
      clearInterval(idleSweep);
      const done = cleanup ? cleanup() : Promise.resolve();
      done.then(
        () => {
          clearTimeout(deadline);
          logger.info('stopped');
          finish(0);
        },
        (err: unknown) => {
          clearTimeout(deadline);
          logger.error({ err }, 'cleanup failed');
          finish(1);
        },
      );
    });
    server.closeIdleConnections();
  };
}
