import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

/** The project root: defaults for data folders are relative to it, not to the working directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Limits {
  /** Largest output width/height/area we render; advertised in info.json. */
  maxWidth: number;
  maxHeight: number;
  maxArea: number;
  /** sharp's decoder limit (width × height of a source), against decompression bombs. */
  inputPixels: number;
}

export interface Config {
  port: number;
  host: string;
  /** When set, every published id starts with it; else ids follow the request's host. */
  publicBaseUrl: string | null;
  /** Honour X-Forwarded-Proto/Host when building ids from the request. */
  trustProxy: boolean;
  imagesDir: string;
  manifestsDir: string;
  cacheDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  tileSize: number;
  /** Upper bound, in bytes, of the in-memory hot-tile cache. */
  tileCacheBytes: number;
  /** Memory for loaded documents (record, transcriptions, translations), in bytes. */
  documentCacheBytes: number;
  /** Memory for built Presentation resources (manifests, annotation pages …), in bytes. */
  presentationCacheBytes: number;
  /** Memory for search indexes, in bytes. */
  searchCacheBytes: number;
  /** Memory for built PDFs, in bytes (they are also kept in CACHE_DIR). */
  pdfCacheBytes: number;
  /** How long a loaded document is served before its folder is looked at again for changes. */
  documentRecheckMs: number;
  limits: Limits;
  render: {
    /** Renders running at once; the rest wait in a bounded queue. */
    concurrency: number;
    queue: number;
    timeoutMs: number;
  };
  /** Build derivatives in the background at start-up. */
  ingestOnStart: boolean;
  /** The HTTP cache in front of the instances (Varnish), told to drop replaced images; null: none. */
  cachePurgeUrl: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError' as const;
}

interface RawEnv {
  PORT: number;
  HOST: string;
  PUBLIC_BASE_URL?: string;
  TRUST_PROXY: boolean;
  IMAGES_DIR: string;
  MANIFESTS_DIR: string;
  CACHE_DIR: string;
  LOG_LEVEL: Config['logLevel'];
  TILE_SIZE: number;
  TILE_CACHE_MB: number;
  DOCUMENT_CACHE_MB: number;
  PRESENTATION_CACHE_MB: number;
  SEARCH_CACHE_MB: number;
  PDF_CACHE_MB: number;
  DOCUMENT_RECHECK_MS: number;
  MAX_WIDTH: number;
  MAX_HEIGHT: number;
  MAX_AREA: number;
  INPUT_PIXEL_LIMIT: number;
  RENDER_CONCURRENCY: number;
  RENDER_QUEUE: number;
  RENDER_TIMEOUT_MS: number;
  INGEST_ON_START: boolean;
  CACHE_PURGE_URL?: string;
}

const int = (minimum: number, maximum: number, fallback: number) => ({
  type: 'integer',
  minimum,
  maximum,
  default: fallback,
});

/** Every variable the service reads, with its default; the README documents the same list. */
const envSchema = {
  type: 'object',
  properties: {
    PORT: int(0, 65535, 3000),
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    PUBLIC_BASE_URL: { type: 'string', pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$' },
    TRUST_PROXY: { type: 'boolean', default: false },
    IMAGES_DIR: { type: 'string', minLength: 1, default: 'images' },
    MANIFESTS_DIR: { type: 'string', minLength: 1, default: 'manifests' },
    CACHE_DIR: { type: 'string', minLength: 1, default: '.cache' },
    LOG_LEVEL: {
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    TILE_SIZE: int(64, 4096, 512),
    TILE_CACHE_MB: int(0, 65536, 64),
    DOCUMENT_CACHE_MB: int(1, 65536, 24),
    PRESENTATION_CACHE_MB: int(1, 65536, 32),
    SEARCH_CACHE_MB: int(1, 65536, 24),
    PDF_CACHE_MB: int(1, 65536, 64),
    DOCUMENT_RECHECK_MS: int(0, 86_400_000, 2000),
    MAX_WIDTH: int(1, 65535, 10000),
    MAX_HEIGHT: int(1, 65535, 10000),
    MAX_AREA: int(1, 1_000_000_000, 40_000_000),
    INPUT_PIXEL_LIMIT: int(1, 2 ** 32 - 1, 268_402_689),
    RENDER_CONCURRENCY: int(1, 256, Math.max(1, cpus().length)),
    RENDER_QUEUE: int(0, 100_000, 64),
    RENDER_TIMEOUT_MS: int(100, 600_000, 20_000),
    INGEST_ON_START: { type: 'boolean', default: true },
    CACHE_PURGE_URL: { type: 'string', pattern: '^https?://[^/?#\\s]+/?$' },
  },
} as const;

const validateEnv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true }).compile<RawEnv>(
  envSchema,
);

/**
 * Parses and validates the environment once, at start-up. Unknown variables are ignored;
 * a bad value throws a ConfigError naming every offending variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(envSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const given = new Set(Object.keys(raw));
  if (!validateEnv(raw)) {
    const problems = (validateEnv.errors ?? []).map(
      (e) => `${e.instancePath.slice(1) || 'environment'} ${e.message ?? 'is invalid'}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const v = raw as unknown as RawEnv;
  // A folder given in the environment is relative to the working directory; defaults to the project.
  const dir = (key: keyof RawEnv, value: string) =>
    path.resolve(given.has(key) ? process.cwd() : projectRoot, value);
  return Object.freeze({
    port: v.PORT,
    host: v.HOST,
    publicBaseUrl: v.PUBLIC_BASE_URL ? v.PUBLIC_BASE_URL.replace(/\/+$/, '') : null,
    trustProxy: v.TRUST_PROXY,
    imagesDir: dir('IMAGES_DIR', v.IMAGES_DIR),
    manifestsDir: dir('MANIFESTS_DIR', v.MANIFESTS_DIR),
    cacheDir: dir('CACHE_DIR', v.CACHE_DIR),
    logLevel: v.LOG_LEVEL,
    tileSize: v.TILE_SIZE,
    tileCacheBytes: v.TILE_CACHE_MB * 1024 * 1024,
    documentCacheBytes: v.DOCUMENT_CACHE_MB * 1024 * 1024,
    presentationCacheBytes: v.PRESENTATION_CACHE_MB * 1024 * 1024,
    searchCacheBytes: v.SEARCH_CACHE_MB * 1024 * 1024,
    pdfCacheBytes: v.PDF_CACHE_MB * 1024 * 1024,
    documentRecheckMs: v.DOCUMENT_RECHECK_MS,
    limits: Object.freeze({
      maxWidth: v.MAX_WIDTH,
      maxHeight: v.MAX_HEIGHT,
      maxArea: v.MAX_AREA,
      inputPixels: v.INPUT_PIXEL_LIMIT,
    }),
    render: Object.freeze({
      concurrency: v.RENDER_CONCURRENCY,
      queue: v.RENDER_QUEUE,
      timeoutMs: v.RENDER_TIMEOUT_MS,
    }),
    ingestOnStart: v.INGEST_ON_START,
    cachePurgeUrl: v.CACHE_PURGE_URL ? v.CACHE_PURGE_URL.replace(/\/+$/, '') : null,
  });
}
