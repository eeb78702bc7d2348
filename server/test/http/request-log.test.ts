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

async function start(level: 'info' | 'warn' = 'info') {
  const { logger, lines } = memoryLogger(level);
  const app = express();
  app.use(requestLogger(logger));
  app.get('/ok', (_req, res) => {
    res.send('ok');
  });
  app.get('/bad', () => {
    throw new BadRequestError('bad size "-1,"');
  });
  app.get('/crash', () => {
    throw new Error('disk on fire');
  });
  app.get('/hang-up', (_req, res) => {
    res.write('partial');
    setTimeout(() => res.destroy(), 20);
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
    await fetch(`${url}/healthz?from=lb`, { headers: { 'X-Request-Id': 'probe-2' } });
    await fetch(`${url}/ok`, { headers: { 'X-Request-Id': 'after-probe' } });
    await expect.poll(() => lines.some((l) => l.reqId === 'after-probe')).toBe(true);
    expect(lines.some((l) => l.reqId === 'probe-1' || l.reqId === 'probe-2')).toBe(false);
  });

  it('log server errors at error level, with the error once and the request line', async () => {
    const { url, lines } = await start();
    const res = await fetch(`${url}/crash`, { headers: { 'X-Request-Id': 'boom-1' } });
    expect(res.status).toBe(500);
    await expect.poll(() => lines.filter((l) => l.reqId === 'boom-1').length).toBe(2);
    const [error, request] = lines.filter((l) => l.reqId === 'boom-1');
    expect(error).toMatchObject({ level: 50, msg: 'unhandled error', err: { message: 'disk on fire' } });
    expect(request).toMatchObject({ level: 50, msg: 'request completed', res: { statusCode: 500 } });
  });

  it('log a response cut off before its end as aborted, at error level', async () => {
    const { url, lines } = await start();
    const res = await fetch(`${url}/hang-up`, { headers: { 'X-Request-Id': 'cut-1' } });
    await expect(res.text()).rejects.toThrow();
    await expect.poll(() => lines.find((l) => l.reqId === 'cut-1')).toMatchObject({ level: 50, msg: 'request aborted' });
  });

  it('write no line for a request below the level', async () => {
    const { url, lines } = await start('warn');
    await fetch(`${url}/ok`, { headers: { 'X-Request-Id': 'quiet-1' } });
    await fetch(`${url}/crash`, { headers: { 'X-Request-Id': 'loud-1' } });
    await expect.poll(() => lines.filter((l) => l.reqId === 'loud-1').length).toBe(2);
    expect(lines.some((l) => l.reqId === 'quiet-1')).toBe(false);
  });
});
