import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../config.js';

/** Timeouts against slow or stuck clients, in milliseconds. */
export interface ServerTimeouts {
  /** Until the request's headers are in (slowloris). */
  headers: number;
  /** Until the whole request is in. */
  request: number;
  /** An idle keep-alive connection is closed after this. */
  keepAlive: number;
  /** A socket with no traffic either way; longer than any render may take. */
  idleSocket: number;
  /** How often Node checks the header and request timeouts (its default is 30 s). */
  checkEvery: number;
}

export function serverTimeouts(config: Pick<Config, 'render'>): ServerTimeouts {
  return {
    headers: 10_000,
    request: 30_000,
    keepAlive: 5_000,
    idleSocket: config.render.timeoutMs + 10_000,
    checkEvery: 1_000,
  };
}

/** The HTTP server for the app, with its timeouts set; main.ts listens on it. */
export function createHttpServer(handler: RequestListener, timeouts: ServerTimeouts): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headers,
      requestTimeout: timeouts.request,
      keepAliveTimeout: timeouts.keepAlive,
      connectionsCheckingInterval: timeouts.checkEvery,
    },
    handler,
  );
  server.timeout = timeouts.idleSocket;
  return server;
}
