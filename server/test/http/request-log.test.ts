import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/errors.js';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { requestLogger } from '../../src/http/request-log.js';
import { listen, memoryLogger, type Listening } from './listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  const { logger, lines } = memoryLogger('info');
  const app = express();
  app.use(requestLogger(logger));
  app.get('/ok', (_req, res) => {
    res.send('ok');
  });
  app.get('/bad', () => {
    throw new BadRequestError('bad size "-1,"');
  });
  app.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  app.use(notFound);
  app.use(errorHandler);
  running = await listen(app);
  return { url: running.url, lines };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('keep a sane incoming X-Request-Id and echo it', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/ok`, { headers: { 'X-Request-Id': 'lb-7f3a.42:abc' } });
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a.42:abc');
  });

  it.each([
    ['spaces', 'a b'],
    ['quotes and braces', '"},{"level":60'],
    ['too long', 'x'.repeat(129)],
    ['percent-encoded line breaks', 'id%0d%0a{"level":60}'],
  ])('replace an incoming id with %s by a fresh UUID', async (_name, given) => {
    const { url } = await start();
    const res = await fetch(`${url}/ok`, { headers: { 'X-Request-Id': given } });
    expect(res.headers.get('x-request-id')).toMatch(uuid);
  });

  it('generate a different id for every request without one', async () => {
    const { url } = await start();
    const a = (await fetch(`${url}/ok`)).headers.get('x-request-id');
    const b = (await fetch(`${url}/ok`)).headers.get('x-request-id');
    expect(a).toMatch(uuid);
    expect(b).toMatch(uuid);
    expect(a).not.toBe(b);
  });
});

describe('request logs', () => {
  it('write one JSON line per request carrying the id, method, url and status', async () => {
    const { url, lines } = await start();
    const res = await fetch(`${url}/bad`, { headers: { 'X-Request-Id': 'trace-1', Cookie: 'session=secret' } });
    expect(res.status).toBe(400);
    const line = lines.find((l) => l.reqId === 'trace-1');
    expect(line).toMatchObject({
      level: 30,
      req: { id: 'trace-1', method: 'GET', url: '/bad' },
      res: { statusCode: 400 },
    });
    expect(typeof line?.responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('skip the health probes', async () => {
    const { url, lines } = await start();
    await fetch(`${url}/healthz`, { headers: { 'X-Request-Id': 'probe-1' } });
    await fetch(`${url}/ok`, { headers: { 'X-Request-Id': 'after-probe' } });
    await expect.poll(() => lines.some((l) => l.reqId === 'after-probe')).toBe(true);
    expect(lines.some((l) => l.reqId === 'probe-1')).toBe(false);
  });
});
