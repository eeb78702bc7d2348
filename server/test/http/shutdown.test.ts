import express from 'express';
import { request as httpRequest, Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Readiness } from '../../src/http/health.js';
import { gracefulShutdown } from '../../src/http/shutdown.js';
import { listen, memoryLogger, type Listening } from './listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** An app whose /slow answers after `ms`, and whose /hang never answers. */
async function start(ms: number, graceMs = 5_000) {
  const app = express();
  app.get('/slow', (_req, res) => {
    setTimeout(() => res.send('done'), ms);
  });
  app.get('/fast', (_req, res) => {
    res.send('fast');
  });
  app.get('/hang', () => {});
  app.get('/large', (_req, res) => {
    res.end(Buffer.alloc(32 * 1024 * 1024, 7));
  });
  running = await listen(app);
  const exits: number[] = [];
  const readiness = new Readiness();
  const shutdown = gracefulShutdown(running.server, {
    readiness,
    logger: memoryLogger('silent').logger,
    graceMs,
    exit: (code) => exits.push(code),
  });
  return { url: running.url, server: running.server, exits, readiness, shutdown };
}

/**
 * GET over a given agent, resolving with status, body and the Connection header. With
 * `onDispatched`, it asks for `100 Continue`, which Node sends once the app has the request.
 */
function get(
  url: string,
  agent: Agent,
  onDispatched?: () => void,
): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent, headers: onDispatched ? { Expect: '100-continue' } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    if (onDispatched) req.on('continue', onDispatched);
    req.end();
  });
}

describe('gracefulShutdown', () => {
  it('finishes the request in flight, closes its connection, refuses new ones, then exits 0', async () => {
    const { url, exits, readiness, shutdown } = await start(300);
    const agent = new Agent({ keepAlive: true });
    let dispatched!: () => void;
    const inApp = new Promise<void>((r) => (dispatched = r));
    const inFlight = get(`${url}/slow`, agent, dispatched);
    await inApp;

    shutdown('SIGTERM');
    expect(readiness.reason()).toBe('shutting down');
    await expect(fetch(`${url}/fast`)).rejects.toThrow(); // the listener is closed

    const answered = await inFlight;
    expect(answered).toEqual({ status: 200, body: 'done', connection: 'close' });
    await expect.poll(() => exits).toEqual([0]);
    agent.destroy();
  });

  it('lets a response that has ended but is still flushing to a slow reader arrive whole', async () => {
    const { url, exits, shutdown } = await start(0);
    const received = await new Promise<number>((resolve, reject) => {
      httpRequest(`${url}/large`, { agent: new Agent({ keepAlive: true }) }, (res) => {
        // The reader stalls: most of the 32 MB still sits in the server's socket buffer.
        res.pause();
        setTimeout(() => {
          shutdown('SIGTERM');
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => resolve(bytes));
          res.on('error', reject);
          res.resume();
        }, 200);
      })
        .on('error', reject)
        .end();
    });
    expect(received).toBe(32 * 1024 * 1024);
    await expect.poll(() => exits, { timeout: 2000 }).toEqual([0]);
  });

  it('closes idle keep-alive connections at once instead of waiting for their timeout', async () => {
    const { url, exits, shutdown } = await start(0);
    const agent = new Agent({ keepAlive: true });
    expect((await get(`${url}/fast`, agent)).connection).toBe('keep-alive');
    const started = Date.now();
    shutdown('SIGTERM');
    await expect.poll(() => exits, { timeout: 2000 }).toEqual([0]);
    expect(Date.now() - started).toBeLessThan(2_000); // keepAliveTimeout would be 5 s
    agent.destroy();
  });

  it('cuts a request that outlives the grace period and exits 1', async () => {
    const { url, exits, shutdown } = await start(0, 500);
    const hung = fetch(`${url}/hang`).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    shutdown('SIGTERM');
    await expect.poll(() => exits, { timeout: 2000 }).toEqual([1]);
    expect(await hung).toBeInstanceOf(Error);
  });

  it('exits at once on a second signal', async () => {
    const { url, exits, shutdown } = await start(0);
    const hung = fetch(`${url}/hang`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    shutdown('SIGTERM');
    shutdown('SIGINT');
    expect(exits).toEqual([1]);
    running?.server.closeAllConnections();
    await hung;
  });
});
