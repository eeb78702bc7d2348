import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../src/errors.js';
import { imageBanner, imageBanPattern } from '../../src/http/cache-ban.js';
import { createImageBackend, type ImageService } from '../../src/image/backend.js';
import { pixelFixture, tilePlan, type PixelFixture } from '../helpers/image-fixtures.js';
import { writePattern } from '../helpers/pattern.js';

const silent = pino({ level: 'silent' });
let fx: PixelFixture;
let cache: Server;
let cacheUrl = '';
/** BAN requests the stand-in cache received: their X-Ban-Url header. */
let bans: string[] = [];
let answer = 200;
const services: ImageService[] = [];

beforeEach(async () => {
  fx = await pixelFixture();
  bans = [];
  answer = 200;
  // A bare TCP stand-in: Node's HTTP parser refuses methods it does not know, BAN among them.
  cache = createServer((socket) => {
    let head = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      head += chunk;
      if (!head.includes('\r\n\r\n')) return;
      const [requestLine, ...lines] = head.split('\r\n');
      const banUrl = lines.find((l) => /^x-ban-url:/i.test(l))?.replace(/^x-ban-url:\s*/i, '');
      if (requestLine?.startsWith('BAN ')) bans.push(String(banUrl));
      socket.end(`HTTP/1.1 ${answer} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
  });
  cache.listen(0, '127.0.0.1');
  await once(cache, 'listening');
  cacheUrl = `http://127.0.0.1:${(cache.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  cache.close();
  await fx.remove();
});

describe('imageBanner', () => {
  it('sends one BAN naming the image, and reports whether the cache took it', async () => {
    const ban = imageBanner(cacheUrl, silent);
    expect(await ban('page')).toBe(true);
    expect(bans).toEqual([imageBanPattern('page')]);
    answer = 403;
    expect(await ban('page')).toBe(false);
  });

  it('never throws when the cache cannot be reached, and does nothing without a cache', async () => {
    cache.close();
    await once(cache, 'close');
    expect(await imageBanner(cacheUrl, silent)('page')).toBe(false);
    expect(await imageBanner(null, silent)('page')).toBe(false);
  });
});

describe('the image service with CACHE_PURGE_URL', () => {
  it('bans an image when it notices its source was replaced, not before', async () => {
    await writePattern(path.join(fx.imagesDir, 'page.png'), { width: 300, height: 200, columns: 3, rows: 2 });
    const images = createImageBackend(fx.config({ CACHE_PURGE_URL: cacheUrl }), silent, { revalidateMs: 0, ingestOnDemand: false });
    services.push(images);
    const before = await images.source('page');
    await images.source('page');
    expect(bans).toEqual([]);

    await writePattern(path.join(fx.imagesDir, 'page.png'), { width: 300, height: 200, columns: 2, rows: 3 });
    const after = await images.source('page');
    expect(after.key).not.toBe(before.key);
    await expect.poll(() => bans, { timeout: 5000 }).toEqual([imageBanPattern('page')]);

    // A render for the version the caller saw would go out under its ETag with other pixels.
    await expect(images.image(before, tilePlan(0, 0, 64, 64, 64, 64))).rejects.toThrow(ServiceUnavailableError);
    expect((await images.image(after, tilePlan(0, 0, 64, 64, 64, 64))).body.length).toBeGreaterThan(0);
  });

  it('bans an image replaced while the service was stopped, at its first look after the start', async () => {
    await writePattern(path.join(fx.imagesDir, 'page.png'), { width: 300, height: 200, columns: 3, rows: 2 });
    const config = fx.config({ CACHE_PURGE_URL: cacheUrl });
    const before = createImageBackend(config, silent, { revalidateMs: 0, ingestOnDemand: false });
    await before.source('page');
    await before.close();

    await writePattern(path.join(fx.imagesDir, 'page.png'), { width: 300, height: 200, columns: 2, rows: 3 });
    const images = createImageBackend(config, silent, { revalidateMs: 0, ingestOnDemand: false });
    services.push(images);
    await images.source('page');
    await expect.poll(() => bans, { timeout: 5000 }).toEqual([imageBanPattern('page')]);
  });
});
