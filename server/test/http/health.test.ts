import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRouter, Readiness } from '../../src/http/health.js';
import { listen, type Listening } from './listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(readiness: Readiness): Promise<string> {
  const app = express();
  app.use(healthRouter(readiness));
  running = await listen(app);
  return running.url;
}

describe('/healthz', () => {
  it('answers 200 while the process lives, even while draining', async () => {
    const readiness = new Readiness();
    readiness.drain();
    const res = await fetch(`${await start(readiness)}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('/readyz', () => {
  it('is 200 while serving, and 503 with Retry-After as soon as shutdown begins', async () => {
    const readiness = new Readiness();
    const url = await start(readiness);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('ready\n');
    expect(ready.headers.get('cache-control')).toBe('no-store');
    readiness.drain();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toBe('not ready: shutting down\n');
  });
});
