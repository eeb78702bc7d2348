import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createHttpServer, messageClassesFor, serverTimeouts } from '../../src/http/server.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('createHttpServer', () => {
  it('takes its timeouts from the configuration: renders may run their whole budget', () => {
    const t = serverTimeouts(loadConfig({ RENDER_TIMEOUT_MS: '20000' }));
    expect(t).toEqual({ headers: 10_000, request: 30_000, keepAlive: 5_000, idleSocket: 30_000, checkEvery: 1_000 });
  });

  it('answers 408 and closes a connection whose headers never finish (slowloris)', async () => {
    const server = createHttpServer((_req, res) => res.end('ok'), {
      headers: 300,
      request: 1_000,
      keepAlive: 1_000,
      idleSocket: 5_000,
      checkEvery: 100,
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => new Promise((r) => server.close(() => r()));
    const { port } = server.address() as AddressInfo;

    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: '));
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('still open after 3 s')), 3_000).unref();
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('messageClassesFor', () => {
  it("makes an Express app's requests and responses with the prototypes Express gives them, which keep working", async () => {
    const app = express();
    const seen: Record<string, boolean> = {};
    app.get('/echo', (req, res) => {
      seen.handled = Object.getPrototypeOf(req) === app.request && req.app === app;
      res.set('X-Seen', req.get('X-Probe') ?? '').json({ q: req.query.q });
    });
    const server = createHttpServer(app, serverTimeouts(loadConfig({})), messageClassesFor(app));
    // Before Express sees them: made with its prototypes, its change of prototype has nothing to do.
    server.prependListener('request', (req, res) => {
      seen.made = Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => new Promise((r) => server.close(() => r()));
    const { port } = server.address() as AddressInfo;

    const res = await fetch(`http://127.0.0.1:${port}/echo?q=Kaesong`, { headers: { 'X-Probe': 'ok' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-seen')).toBe('ok');
    expect(await res.json()).toEqual({ q: 'Kaesong' });
    expect(seen).toEqual({ made: true, handled: true });
  });

  it("gives an app the same classes each time, with Express's prototypes below theirs", () => {
    const app = express();
    const request = app.request;
    expect(messageClassesFor(app)).toBe(messageClassesFor(app));
    expect(Object.getPrototypeOf(app.request)).toBe(request);
  });
});
