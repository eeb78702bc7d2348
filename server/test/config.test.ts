import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, projectRoot } from '../src/config.js';

describe('loadConfig', () => {
  it('gives every setting its documented default from an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.publicBaseUrl).toBeNull();
    expect(config.trustProxy).toBe(false);
    expect(config.imagesDir).toBe(path.join(projectRoot, 'images'));
    expect(config.manifestsDir).toBe(path.join(projectRoot, 'manifests'));
    expect(config.cacheDir).toBe(path.join(projectRoot, '.cache'));
    expect(config.logLevel).toBe('info');
    expect(config.tileSize).toBe(512);
    expect(config.tileCacheBytes).toBe(64 * 1024 * 1024);
    expect(config.limits).toEqual({
      maxWidth: 10000,
      maxHeight: 10000,
      maxArea: 40_000_000,
      inputPixels: 268_402_689,
    });
    expect(config.ingestOnStart).toBe(true);
    expect(config.cachePurgeUrl).toBeNull();
  });

  it('parses numbers and booleans from strings and strips a trailing slash from the base URL', () => {
    const config = loadConfig({
      PORT: '8080',
      TRUST_PROXY: 'true',
      PUBLIC_BASE_URL: 'https://iiif.example.org/cable/',
      TILE_CACHE_MB: '0',
      INGEST_ON_START: 'false',
      CACHE_PURGE_URL: 'http://127.0.0.1:6081/',
    });
    expect(config.port).toBe(8080);
    expect(config.cachePurgeUrl).toBe('http://127.0.0.1:6081');
    expect(config.trustProxy).toBe(true);
    expect(config.publicBaseUrl).toBe('https://iiif.example.org/cable');
    expect(config.tileCacheBytes).toBe(0);
    expect(config.ingestOnStart).toBe(false);
  });

  it('resolves folders given in the environment against the working directory', () => {
    expect(loadConfig({ CACHE_DIR: 'tmp-cache' }).cacheDir).toBe(path.resolve('tmp-cache'));
    expect(loadConfig({ IMAGES_DIR: '/srv/scans' }).imagesDir).toBe('/srv/scans');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', PUBLIC_BASE_URL: '  ' }).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc', /PORT must be integer/],
    ['PORT', '70000', /PORT must be <= 65535/],
    ['TILE_SIZE', '10', /TILE_SIZE must be >= 64/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be equal to one of the allowed values/],
    ['PUBLIC_BASE_URL', 'iiif.example.org', /PUBLIC_BASE_URL must match pattern/],
    ['PUBLIC_BASE_URL', 'https://example.org/?q=1', /PUBLIC_BASE_URL must match pattern/],
    ['TRUST_PROXY', 'maybe', /TRUST_PROXY must be boolean/],
    ['CACHE_PURGE_URL', 'http://127.0.0.1:6081/iiif', /CACHE_PURGE_URL must match pattern/],
  ])('rejects %s=%s with a message naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', MAX_AREA: '0' })).toThrow(/PORT.*MAX_AREA|MAX_AREA.*PORT/);
  });

  it('returns a frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits)).toBe(true);
  });
});
