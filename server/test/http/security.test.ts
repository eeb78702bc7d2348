import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { errorHandler, notFound } from '../../src/http/error-handler.js';
import { securityHeaders } from '../../src/http/security.js';
import { listen, memoryLogger, type Listening } from './listen.js';

/** A stand-in for the real routes: one page, the embed page, a IIIF resource and oEmbed. */
function sampleApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.get('/', (_req, res) => {
    res.type('html').send('<!doctype html><title>viewer</title>');
  });
  app.get('/embed', (_req, res) => {
    res.type('html').send('<!doctype html><title>embed</title>');
  });
  app.get('/iiif/3/p1/info.json', (_req, res) => {
    res.json({ id: 'p1' });
  });
  app.get('/oembed', (_req, res) => {
    res.json({ type: 'rich' });
  });
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/** Parses a Content-Security-Policy header into directive → sources. */
function csp(header: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

let sample: Listening;
beforeAll(async () => {
  sample = await listen(sampleApp());
});
afterAll(() => sample.close());

describe('security headers on pages', () => {
  it('allow scripts only from our origin, never inline or eval', async () => {
    const res = await fetch(`${sample.url}/`);
    const policy = csp(res.headers.get('content-security-policy'));
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('script-src-attr')).toEqual(["'none'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    // MUI/emotion insert <style> elements at run time (see security.ts).
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('refuse to be framed anywhere, by CSP and by X-Frame-Options', async () => {
    const res = await fetch(`${sample.url}/`);
    expect(csp(res.headers.get('content-security-policy')).get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('send nosniff and no x-powered-by, and no CORS', async () => {
    const res = await fetch(`${sample.url}/`, { headers: { Origin: 'https://portal.example.org' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // HSTS for this host only: never for the other sites of a domain we are deployed under.
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers on /embed', () => {
  it('let any origin frame it, with the same script policy', async () => {
    const res = await fetch(`${sample.url}/embed?manifest=x`);
    const policy = csp(res.headers.get('content-security-policy'));
    expect(policy.get('frame-ancestors')).toEqual(['*']);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('apply only to /embed itself and below, not to look-alike paths', async () => {
    const res = await fetch(`${sample.url}/embedded`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('CORS and headers on IIIF resources and oEmbed', () => {
  it('let any origin read IIIF resources and their Link headers', async () => {
    const res = await fetch(`${sample.url}/iiif/3/p1/info.json`, { headers: { Origin: 'https://viewer.example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('Link');
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Location');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('vary')).toBeNull(); // one answer for every origin: caches may share it
    expect(csp(res.headers.get('content-security-policy')).get('default-src')).toEqual(["'none'"]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('keep CORS on IIIF errors, so a cross-origin viewer can read the status', async () => {
    const res = await fetch(`${sample.url}/iiif/3/unknown/info.json`);
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answer a preflight (JSON-LD Accept with a profile is not a simple header)', async () => {
    const res = await fetch(`${sample.url}/iiif/3/p1/info.json`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://viewer.example.org',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'accept',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,HEAD,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('accept');
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
  });

  it('let any origin read oEmbed', async () => {
    const res = await fetch(`${sample.url}/oembed?url=x`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('do not extend to paths that merely start with the same letters', async () => {
    const res = await fetch(`${sample.url}/iiifx/3/p1/info.json`);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('createApp', () => {
  it('mounts the security headers before every route, error responses included', async () => {
    const app = await listen(createApp({ config: loadConfig({ INGEST_ON_START: 'false' }), logger: memoryLogger('silent').logger }));
    try {
      const page = await fetch(`${app.url}/no-such-page`);
      expect(page.status).toBe(404);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('x-powered-by')).toBeNull();
      const iiif = await fetch(`${app.url}/iiif/3/no-such-image/info.json`);
      expect(iiif.status).toBe(404);
      expect(iiif.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await app.close();
    }
  });
});
