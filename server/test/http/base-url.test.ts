import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { baseUrl } from '../../src/http/base-url.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** Serves the computed base URL on a throwaway app with the given settings. */
async function probe(
  config: { publicBaseUrl: string | null; trustProxy: boolean },
  headers: Record<string, string> = {},
): Promise<string> {
  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.get('/', (req, res) => {
    res.send(baseUrl(req, config));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers });
  return res.text();
}

describe('baseUrl', () => {
  it('uses PUBLIC_BASE_URL whatever the request says', async () => {
    expect(
      await probe({ publicBaseUrl: 'https://iiif.example.org/x', trustProxy: true }, { 'X-Forwarded-Host': 'evil.test' }),
    ).toBe('https://iiif.example.org/x');
  });

  it('follows the request host when no public URL is configured', async () => {
    expect(await probe({ publicBaseUrl: null, trustProxy: false })).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('ignores X-Forwarded-* headers unless TRUST_PROXY is set', async () => {
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'portal.example.org', 'X-Forwarded-Prefix': '/iiif' };
    expect(await probe({ publicBaseUrl: null, trustProxy: false }, forwarded)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await probe({ publicBaseUrl: null, trustProxy: true }, forwarded)).toBe('https://portal.example.org/iiif');
  });

  it('never builds ids from a malformed forwarded host or prefix', async () => {
    const hostile = { 'X-Forwarded-Host': 'a.test/"><script>', 'X-Forwarded-Prefix': '/../x?y' };
    expect(await probe({ publicBaseUrl: null, trustProxy: true }, hostile)).toBe('http://localhost');
  });
});
