/**
 * The stack as deployed: two instances of the compiled service behind varnishd running
 * deploy/varnish/default.vcl, on free ports of 127.0.0.1 (npm run stack does the same).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestAll } from '../../scripts/ingest.js';
import { startStack, type Stack } from '../../scripts/stack/start-stack.js';
import { findVarnishd, varnishPackageHint } from '../../scripts/stack/varnish.js';
import { loadConfig, projectRoot } from '../../src/config.js';
import { writePattern } from '../helpers/pattern.js';
import { rawRequest, varnishIds, type RawResponse } from './raw-http.js';

const leaf = 'rgaspi-f558-op11-d340-l043';
const doc = 'rgaspi-f558-op11-d340-l43-45';
const tile = (version: 2 | 3, id = leaf) => `/iiif/${version}/${id}/0,0,512,512/512,/0/default.jpg`;
const manifest3 = `/iiif/presentation/3/${doc}/manifest`;

let root = '';
let imagesDir = '';
let cacheDir = '';
let stack: Stack | undefined;
/** Why the stack did not start: every test fails with it (none is skipped). */
let startError: unknown = new Error('the stack did not start');

function started(): Stack {
  if (!stack) throw startError;
  return stack;
}

const front = () => started().front;

const get = (p: string, headers: Record<string, string> = {}) => rawRequest(`${front()}${p}`, { headers });

/** A counter of varnishd (varnishstat), e.g. MAIN.backend_fail. */
async function counter(name: string): Promise<number> {
  const { stdout } = await promisify(execFile)('varnishstat', ['-n', started().varnishWorkDir, '-1', '-f', name]);
  return Number(/\s(\d+)\s/.exec(stdout)?.[1] ?? NaN);
}

beforeAll(async () => {
  try {
    if (!findVarnishd()) throw new Error(`varnishd is needed for the deployment tests: ${varnishPackageHint}`);
    root = await mkdtemp(path.join(tmpdir(), 'iiif-varnish-'));
    imagesDir = path.join(root, 'images');
    cacheDir = path.join(root, 'cache');
    await mkdir(imagesDir);
    const leaves = (await readdir(path.join(projectRoot, 'images'))).filter((n) => n.endsWith('.jpg'));
    for (const name of leaves) await copyFile(path.join(projectRoot, 'images', name), path.join(imagesDir, name));
    // An image that the test replaces: blocks of colour, then other blocks.
    await writePattern(path.join(imagesDir, 'swap.png'), { width: 1200, height: 900, columns: 4, rows: 3 });
    // Derivatives ahead of time (npm run ingest), so the instances serve tiles from the store.
    const ingest = await ingestAll(loadConfig({ IMAGES_DIR: imagesDir, CACHE_DIR: cacheDir, LOG_LEVEL: 'silent' }), false);
    if (ingest.failed > 0) throw new Error(`ingest failed for ${ingest.failed} image(s)`);
    stack = await startStack({
      instances: 2,
      port: 0,
      output: 'quiet',
      env: { PATH: process.env.PATH, IMAGES_DIR: imagesDir, CACHE_DIR: cacheDir, LOG_LEVEL: 'warn', INGEST_ON_START: 'false' },
    });
  } catch (err) {
    startError = err;
  }
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 30_000);

function expectHit(first: RawResponse, second: RawResponse): void {
  expect(first.status).toBe(200);
  expect(second.status).toBe(200);
  // A hit carries its own transaction id and that of the fetch that stored the object.
  expect(varnishIds(second)).toHaveLength(2);
  expect(second.headers['x-cache']).toBe('hit');
  expect(second.headers.etag).toBe(first.headers.etag);
  expect(second.body.equals(first.body)).toBe(true);
}

describe('Varnish in front of two instances', () => {
  it.each([
    ['a 3.0 tile', tile(3)],
    ['a 2.1 tile', tile(2)],
    ['info.json 3.0', `/iiif/3/${leaf}/info.json`],
    ['info.json 2.1', `/iiif/2/${leaf}/info.json`],
    ['the 3.0 manifest', manifest3],
    ['the 2.1 manifest', `/iiif/presentation/2/${doc}/manifest`],
  ])('answers %s repeated from the cache', async (_name, url) => {
    const first = await get(url);
    expect(varnishIds(first)).toHaveLength(1);
    expectHit(first, await get(url));
  });

  it('does not split info.json or manifests by equivalent Accept and Accept-Encoding headers', async () => {
    const info = `/iiif/3/${leaf}/info.json`;
    const json = await get(info, { Accept: 'application/json' });
    expect(json.headers['content-type']).toBe('application/json');
    for (const accept of ['*/*', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json, text/plain, */*']) {
      const again = await get(info, { Accept: accept });
      expectHit(json, again);
    }
    const ld = await get(info, { Accept: 'application/ld+json' });
    expect(ld.headers['content-type']).toBe('application/ld+json;profile="http://iiif.io/api/image/3/context.json"');
    expectHit(ld, await get(info, { Accept: 'application/ld+json; profile="http://iiif.io/api/image/3/context.json"' }));

    const browser = await get(manifest3, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(browser.headers['content-encoding']).toBe('br');
    expectHit(browser, await get(manifest3, { 'Accept-Encoding': 'br' }));
    const gzip = await get(manifest3, { 'Accept-Encoding': 'gzip, deflate' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expectHit(gzip, await get(manifest3, { 'Accept-Encoding': 'gzip' }));
  });

  it('passes /healthz and /readyz through to an instance every time', async () => {
    for (const probe of ['/healthz', '/readyz']) {
      for (let i = 0; i < 3; i++) {
        const res = await get(probe);
        expect(res.status).toBe(200);
        expect(varnishIds(res)).toHaveLength(1);
        expect(res.headers['x-cache']).toBe('miss');
        expect(res.headers['cache-control']).toBe('no-store');
      }
    }
  });

  it('never lets a forged Host or X-Forwarded-* header into the ids others receive', async () => {
    const forged = {
      Host: 'evil.example',
      'X-Forwarded-Host': 'evil.example',
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Prefix': '/evil',
      Forwarded: 'host=evil.example;proto=https',
    };
    const urls = [
      `/iiif/3/rgaspi-f558-op11-d340-l045/info.json`,
      `/iiif/2/rgaspi-f558-op11-d340-l045/info.json`,
      `/iiif/presentation/3/${doc}/canvas/l45`,
      `/iiif/presentation/${doc}/manifest`,
    ];
    for (const url of urls) {
      const attack = await get(url, forged);
      expect(attack.status).toBe(200);
      const ordinary = await get(url);
      // The forged request filled the one cache entry there is; the next reader gets it.
      expectHit(attack, ordinary);
      const text = ordinary.body.toString('utf8');
      expect(text).not.toContain('evil');
      const body = JSON.parse(text) as { id?: string; '@id'?: string };
      expect(body.id ?? body['@id']).toMatch(new RegExp(`^${front()}/`));
    }
  });

  it('takes BAN only from the purgers ACL, and refuses a malformed one', async () => {
    const url = `/iiif/3/${leaf}/info.json`;
    const before = await get(url);
    const stranger = await rawRequest(`${front()}/`, { method: 'BAN', headers: { 'X-Ban-Url': '^/iiif/' }, localAddress: '127.0.0.2' });
    expect(stranger.status).toBe(403);
    expect((await get(url)).headers['x-cache']).toBe('hit');
    const bad = await rawRequest(`${front()}/`, { method: 'BAN', headers: { 'X-Ban-Url': '^/iiif/(' } });
    expect(bad.status).toBe(400);
    expect(bad.body.toString()).toMatch(/Invalid ban/);
    expect(varnishIds(before).length).toBeGreaterThan(0);
  });

  it('serves a replaced source anew once npm run ingest has banned it, never the old bytes', async () => {
    const url = tile(3, 'swap');
    const old = await get(url);
    expectHit(old, await get(url));

    // Replace the file as an operator would (a new file renamed over the old one).
    const next = path.join(root, 'swap-next.png');
    await writePattern(next, { width: 1200, height: 900, columns: 3, rows: 4 });
    await rename(next, path.join(imagesDir, 'swap.png'));
    const summary = await ingestAll(
      loadConfig({ IMAGES_DIR: imagesDir, CACHE_DIR: cacheDir, LOG_LEVEL: 'silent', CACHE_PURGE_URL: front() }),
      false,
    );
    expect(summary).toMatchObject({ built: 1, banned: 1, failed: 0 });

    // From now on, through the cache or from any instance, only the new image: the
    // instances' own bans (when each notices the new file) may cost a miss, never a stale hit.
    const fresh = await get(url);
    expect(fresh.status).toBe(200);
    expect(varnishIds(fresh)).toHaveLength(1);
    expect(fresh.headers.etag).not.toBe(old.headers.etag);
    expect(fresh.body.equals(old.body)).toBe(false);
    const v2 = tile(2, 'swap');
    const v2Fresh = await rawRequest(`${started().instances[1]!.origin}${v2}`);
    for (let i = 0; i < 12; i++) {
      for (const instance of started().instances) {
        const direct = await rawRequest(`${instance.origin}${url}`);
        expect(direct.headers.etag).toBe(fresh.headers.etag);
        expect(direct.body.equals(fresh.body)).toBe(true);
      }
      const cached = await get(url);
      expect(cached.headers.etag).toBe(fresh.headers.etag);
      expect(cached.body.equals(fresh.body)).toBe(true);
      const cachedV2 = await get(v2);
      expect(cachedV2.headers.etag).toBe(v2Fresh.headers.etag);
      expect(cachedV2.body.equals(v2Fresh.body)).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
    }
    // Once both instances have banned it again, the new image stays in the cache.
    expectHit(await get(url), await get(url));
  }, 20_000);

  it('loses no request when an instance is killed in the middle of a load', async () => {
    const failuresBefore = await counter('MAIN.backend_fail');
    // Query strings make every URL new to the cache, so each request reaches an instance.
    const paths = [`/iiif/3/${leaf}/info.json`, tile(3), manifest3, `/iiif/2/${leaf}/info.json`];
    const total = 400;
    const deadline = Date.now() + 20_000;
    const statuses = new Map<string, number>();
    let next = 0;
    let done = 0;
    const victim = started().instances[0]!;
    const worker = async () => {
      while (next < total && Date.now() < deadline) {
        const i = next++;
        if (i === 80) victim.process.kill('SIGKILL');
        const res = await get(`${paths[i % paths.length]!}?load=${i}`).catch((err: Error) => ({ status: err.message }));
        const key = String(res.status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        done++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await victim.exited;
    // Fetches that found the killed instance gone: each was retried on the other one.
    const failures = (await counter('MAIN.backend_fail')) - failuresBefore;
    console.info(`kill run: ${done} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${failures} fetches retried elsewhere`);
    expect(done).toBe(total);
    expect(Object.fromEntries(statuses)).toEqual({ '200': total });
    // The killed instance was really asked, and the cache went elsewhere.
    expect(failures).toBeGreaterThan(0);
  }, 30_000);
});
