import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { BadRequestError, NotFoundError, ServiceUnavailableError } from '../../src/errors.js';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { listen, memoryLogger, type Listening } from './listen.js';

const { logger, lines } = memoryLogger('info');
let running: Listening;

beforeAll(async () => {
  const app = express();
  app.set('etag', false); // as in createApp: routes set their own validators
  app.use((req, _res, next) => {
    req.log = logger;
    next();
  });
  app.get('/bug', () => {
    throw new Error(`ENOENT: no such file or directory, open '${projectRoot}/images/p1.tif'`);
  });
  app.get('/async-bug', async () => {
    await Promise.resolve();
    throw new TypeError('Cannot read properties of undefined');
  });
  app.get('/bad-size', () => {
    throw new BadRequestError('Invalid size "-1,": width must be positive');
  });
  app.get('/leaky', () => {
    throw new NotFoundError(`No image at ${projectRoot}/images/secret.tif`);
  });
  app.get('/long', (req) => {
    throw new BadRequestError(`Invalid region "${String(req.query.r)}"`);
  });
  app.get('/busy', () => {
    throw new ServiceUnavailableError('Too many renders in progress', 2);
  });
  app.get('/cached-then-failed', (_req, res) => {
    res.set({ ETag: '"abc"', 'Cache-Control': 'public, max-age=31536000, immutable', 'Last-Modified': new Date(0).toUTCString() });
    throw new BadRequestError('Invalid rotation "x"');
  });
  app.use(notFound);
  app.use(errorHandler);
  running = await listen(app);
});
afterAll(() => running.close());

describe('errorHandler', () => {
  it.each(['/bug', '/async-bug'])('answers our bugs (%s) with a bare 500 and logs the details', async (path) => {
    const res = await fetch(`${running.url}${path}`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toBe('Internal server error\n');
    expect(lines.some((l) => l.msg === 'unhandled error' && JSON.stringify(l.err).includes('stack'))).toBe(true);
  });

  it('passes a client error message through, as plain text with its status', async () => {
    const res = await fetch(`${running.url}/bad-size`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Invalid size "-1,": width must be positive\n');
  });

  it('never lets a message that names a local folder out', async () => {
    const res = await fetch(`${running.url}/leaky`);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain(projectRoot);
    expect(body).toBe('Not Found\n');
  });

  it('caps the echo of a huge parameter', async () => {
    const res = await fetch(`${running.url}/long?r=${'9'.repeat(5000)}`);
    expect(res.status).toBe(400);
    expect((await res.text()).length).toBeLessThan(600);
  });

  it('adds the headers the error carries (Retry-After on 503)', async () => {
    const res = await fetch(`${running.url}/busy`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('drops the validators and long-lived caching a route set before failing', async () => {
    const res = await fetch(`${running.url}/cached-then-failed`);
    expect(res.status).toBe(400);
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('last-modified')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('maps a malformed percent-encoding to 400, not 500', async () => {
    const app = express();
    app.get('/iiif/:id', (req, res) => {
      res.send(req.params.id);
    });
    app.use(errorHandler);
    const local = await listen(app);
    try {
      const res = await fetch(`${local.url}/iiif/%E0%A4%A`);
      expect(res.status).toBe(400);
      expect(await res.text()).toBe('Bad Request\n');
    } finally {
      await local.close();
    }
  });

  it('answers an unknown route with 404 naming the path', async () => {
    const res = await fetch(`${running.url}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('No resource at /nowhere\n');
  });
});
