import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { pino, type Logger } from 'pino';
import { messageClassesFor } from '../../src/http/server.js';

export interface Listening {
  server: Server;
  url: string;
  close: () => Promise<void>;
}

/**
 * Serves `handler` on 127.0.0.1 at a free port, an Express app with the message classes
 * main.ts gives it; `close` also cuts keep-alive connections.
 */
export async function listen(handler: RequestListener): Promise<Listening> {
  const server = createServer(isExpress(handler) ? messageClassesFor(handler) : {}, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function isExpress(handler: RequestListener): handler is RequestListener & Express {
  return 'request' in handler && 'response' in handler;
}

/** A logger whose JSON lines are kept in `lines`, to assert on what the service logs. */
export function memoryLogger(level: 'info' | 'warn' | 'silent' = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
