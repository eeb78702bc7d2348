import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRouter, Readiness } from '../../src/http/health.js';
import { listen, memoryLogger, type Listening } from './listen.js';

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

function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('/healthz', () => {
  it('answers 200 while the process lives, even while starting or draining', async () => {
    const readiness = new Readiness();
    readiness.track('documents', new Promise(() => {}));
    readiness.drain();
    const res = await fetch(`${await start(readiness)}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('/readyz', () => {
  it('is 503 with Retry-After until every start-up task is done, then 200', async () => {
    const readiness = new Readiness();
    const documents = deferred();
    const sources = deferred();
    readiness.track('documents', documents.promise);
    readiness.track('sources', sources.promise);
    const url = await start(readiness);

    let res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.text()).toBe('not ready: starting: documents, sources\n');

    documents.resolve();
    await documents.promise;
    res = await fetch(`${url}/readyz`);
    expect(await res.text()).toBe('not ready: starting: sources\n');

    sources.resolve();
    await sources.promise;
    res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('stays 503 after a start-up task fails, naming the task but not the error', async () => {
    const { logger, lines } = memoryLogger('info');
    const readiness = new Readiness(logger);
    const documents = deferred();
    readiness.track('documents', documents.promise).catch(() => {});
    const url = await start(readiness);
    documents.reject(new Error('ENOENT: /srv/secret/record.json'));
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status).toBe(503);
    const body = await (await fetch(`${url}/readyz`)).text();
    expect(body).toBe('not ready: failed: documents\n');
    expect(lines.some((l) => l.task === 'documents' && l.level === 50)).toBe(true);
  });

  it('turns 503 as soon as shutdown begins', async () => {
    const readiness = new Readiness();
    const url = await start(readiness);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    readiness.drain();
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('not ready: shutting down\n');
  });
});
