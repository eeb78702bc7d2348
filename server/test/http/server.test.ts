import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createHttpServer, serverTimeouts } from '../../src/http/server.js';

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
