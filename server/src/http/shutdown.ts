import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Readiness } from './health.js';

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
 * Install it right after `listen` (it tracks connections from then on); it returns the
 * function to call with a signal name (main.ts wires SIGTERM and SIGINT to it).
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

  // Responses in progress per connection. A connection is closed with `end()` once it has
  // none: unlike Node's closeIdleConnections(), which destroys a socket whose last response
  // has ended but may still be flushing, `end()` lets the bytes already written go out.
  const active = new Map<Socket, number>();
  const unsent = new Set<ServerResponse>();
  server.on('connection', (socket: Socket) => {
    active.set(socket, 0);
    socket.once('close', () => active.delete(socket));
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    // Responses not yet sent when shutdown begins (and any request still arriving on an open
    // keep-alive connection) say `Connection: close`, so clients do not reuse a closing socket.
    if (stopping) res.setHeader('Connection', 'close');
    else unsent.add(res);
    // 'close' follows 'finish' within a tick, and is the only event of an aborted response.
    res.once('close', () => {
      unsent.delete(res);
      const left = (active.get(socket) ?? 1) - 1;
      active.set(socket, left);
      if (stopping && left === 0) socket.end();
    });
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

    const deadline = setTimeout(() => {
      logger.warn({ graceMs }, 'grace period over: closing remaining connections');
      server.closeAllConnections();
      finish(1);
    }, graceMs);
    deadline.unref();

    // Node's close() first calls closeIdleConnections(), which would cut the responses that
    // have ended but are still flushing; idle connections are ended below instead.
    server.closeIdleConnections = () => {};
    server.close(() => {
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
    for (const [socket, count] of active) if (count === 0) socket.end();
  };
}
