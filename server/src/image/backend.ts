import { rm } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { ServiceUnavailableError } from '../errors.js';
import { imageBanner } from '../http/cache-ban.js';
import { CacheDir, isUnwritable } from './cache-dir.js';
import { CorruptDerivativeError, readTile, tileKeyOf, type Derivative } from './derivative.js';
import { findDerivative, ingestSource, sourceInput } from './ingest.js';
import { OutputRenderer } from './output.js';
import { RenderTimeoutError, UnreadableImageError, type PixelInput } from './render.js';
import { RenderGate } from './render-gate.js';
import { damagedSourceError, SourceCatalog, type SourceFile } from './sources.js';
import type { ImageBackend, ImageDescription, ImagePlan, RenderedImage, SourceInfo, SourceOptions } from './types.js';

/** How long a source file's size and mtime are trusted before the service looks again. */
export const SOURCE_REVALIDATE_MS = 1000;

/**
 * When to ban a replaced image a second time. Another instance may have answered from the
 * old file for up to SOURCE_REVALIDATE_MS after it changed, and the cache may have stored
 * that answer after the first ban; by now every instance asked has looked at the file again.
 */
export const REBAN_AFTER_MS = 2 * SOURCE_REVALIDATE_MS;

export interface ImageServiceOptions {
  /** How long a source file's size and mtime are trusted before being checked again. */
  revalidateMs?: number;
  /** Build a missing derivative when an image is first requested (default: config.ingestOnStart). */
  ingestOnDemand?: boolean;
}

export interface IngestSummary {
  images: number;
  built: number;
  failed: number;
}

/** The pixel layer as main.ts sees it: the backend the routes use, plus its lifecycle. */
export interface ImageService extends ImageBackend {
  /** Loads or builds the derivative of every source, one at a time; resolves when all are done. */
  ingestAll(): Promise<IngestSummary>;
  /** Where each answer came from since start, for benchmarks and tests. */
  readonly counts: Readonly<Record<RenderedImage['origin'], number>>;
  /** Stops background work (an ingest in progress is abandoned and redone at the next start). */
  close(): Promise<void>;
}

type DerivativeState =
  | { kind: 'loading'; done: Promise<void> }
  | { kind: 'ready'; derivative: Derivative }
  | { kind: 'missing' }
  | { kind: 'building' }
  | { kind: 'failed' };

/** Derivatives (and what is known of the missing ones) kept in memory, the most recently used. */
const DERIVATIVE_STATES_KEPT = 512;

/** Renders larger than this are not kept in memory (a tile is ~50 KB; a thumbnail less). */
const MAX_CACHED_RENDER = 2 * 1024 * 1024;

/**
 * The pixel layer. A request is answered, in order of preference, from the hot-tile memory
 * cache, from the stored tile set of the source's derivative (exact grid tiles only), or by
 * a sharp render behind the render gate: from the pyramid once the source is ingested,
 * from the source itself before that. Memory and store hits never wait for the gate.
 */
export function createImageBackend(config: Config, logger: Logger, options: ImageServiceOptions = {}): ImageService {
  const log = logger.child({ component: 'image' });
  const cache = new CacheDir(config.cacheDir, log);
  const catalog = new SourceCatalog({
    imagesDir: config.imagesDir,
    cache,
    inputPixels: config.limits.inputPixels,
    logger: log,
    revalidateMs: options.revalidateMs ?? SOURCE_REVALIDATE_MS,
    onReplaced(id, previousKey) {
      // The old derivative is forgotten (the next ingest deletes it from disk).
      if (!builds.has(previousKey)) states.delete(previousKey);
      announceReplaced(id);
    },
  });
  const ban = imageBanner(config.cachePurgeUrl, log);
  const ingestOnDemand = options.ingestOnDemand ?? config.ingestOnStart;
  const gate = new RenderGate(config.render);
  const output = new OutputRenderer(config.render.concurrency);
  const memory =
    config.tileCacheBytes > 0
      ? new LRUCache<string, RenderedImage>({
          maxSize: config.tileCacheBytes,
          maxEntrySize: Math.min(MAX_CACHED_RENDER, config.tileCacheBytes),
          sizeCalculation: (v) => v.body.length + 256,
        })
      : null;
  const inflight = new Map<string, Promise<RenderedImage>>();
  // Bounded: a ready derivative holds its tile index (tens of KB), and an archive has many
  // more images than are being viewed. One forgotten is read back from its files when asked.
  const states = new LRUCache<string, DerivativeState>({ max: DERIVATIVE_STATES_KEPT });
  const damaged = new LRUCache<string, true>({ max: 1024 });
  const ingests = new PQueue({ concurrency: 1 });
  const builds = new Map<string, Promise<boolean>>();
  const shutdown = new AbortController();
  const rebans = new Set<NodeJS.Timeout>();
  const counts = { memory: 0, store: 0, render: 0 };
  const ingestOpts = {
    cache,
    tileSize: config.tileSize,
    inputPixels: config.limits.inputPixels,
    signal: shutdown.signal,
  };

  /** The derivative of a source if it is ready; loads its manifest the first time. */
  async function derivativeOf(source: SourceFile): Promise<Derivative | null> {
    let state = states.get(source.key);
    if (!state) state = startLoading(source);
    if (state.kind === 'loading') {
      await state.done;
      state = states.get(source.key);
    }
    return state?.kind === 'ready' ? state.derivative : null;
  }

  function startLoading(source: SourceFile): DerivativeState {
    const done = findDerivative(source, ingestOpts).then(
      (derivative) => {
        if (derivative) {
          states.set(source.key, { kind: 'ready', derivative });
        } else {
          states.set(source.key, { kind: 'missing' });
          if (ingestOnDemand) scheduleIngest(source, 1);
        }
      },
      (err: unknown) => {
        log.warn({ err, id: source.id }, 'cannot open the derivative; rendering from the source');
        states.set(source.key, { kind: 'missing' });
      },
    );
    const state: DerivativeState = { kind: 'loading', done };
    states.set(source.key, state);
    return state;
  }

  /**
   * Queues a build of a missing derivative (or joins the one queued or running); resolves
   * true when the derivative is ready. Nothing is queued while the cache cannot be written.
   */
  function scheduleIngest(source: SourceFile, priority: number): Promise<boolean> {
    const running = builds.get(source.key);
    if (running) return running;
    const state = states.get(source.key);
    if (state?.kind === 'ready') return Promise.resolve(true);
    if (state?.kind !== 'missing' || !cache.available || shutdown.signal.aborted) return Promise.resolve(false);
    states.set(source.key, { kind: 'building' });
    const build = ingests
      .add(() => runBuild(source), { priority })
      .finally(() => builds.delete(source.key));
    builds.set(source.key, build);
    return build;
  }

  async function runBuild(source: SourceFile): Promise<boolean> {
    if (shutdown.signal.aborted) {
      states.set(source.key, { kind: 'missing' });
      return false;
    }
    const started = Date.now();
    try {
      const result = await ingestSource(source, ingestOpts);
      states.set(source.key, { kind: 'ready', derivative: result.derivative });
      cache.recovered();
      if (result.built) {
        log.info({ id: source.id, tiles: result.tiles, bytes: result.bytes, ms: Date.now() - started }, 'ingested image');
      }
      return true;
    } catch (err) {
      if (shutdown.signal.aborted) {
        states.set(source.key, { kind: 'missing' });
      } else if (isUnwritable(err)) {
        cache.failed(err, `derivative of ${source.id}`);
        states.set(source.key, { kind: 'missing' });
      } else {
        log.error({ err, id: source.id }, 'ingest failed; the image is rendered from its source');
        states.set(source.key, { kind: 'failed' });
      }
      return false;
    }
  }

  /** A derivative that failed a check is dropped and rebuilt; renders use the source meanwhile. */
  function discard(source: SourceFile, derivative: Derivative, err: unknown): void {
    const state = states.get(source.key);
    if (state?.kind !== 'ready' || state.derivative !== derivative) return;
    log.warn({ err, id: source.id }, 'derivative is damaged; rebuilding it from the source');
    states.set(source.key, { kind: 'missing' });
    void rm(derivative.dir, { recursive: true, force: true })
      .catch(() => undefined)
      .then(() => scheduleIngest(source, 1));
  }

  async function render(
    source: SourceFile,
    plan: ImagePlan,
    derivative: Derivative | null,
    description: ImageDescription,
  ): Promise<Buffer> {
    const input: PixelInput = derivative ? derivative.input : sourceInput(source, config.limits.inputPixels);
    try {
      return await gate.run((msLeft) => output.render(input, plan, msLeft, description));
    } catch (err) {
      if (err instanceof RenderTimeoutError) {
        throw new ServiceUnavailableError(`Rendering took longer than ${config.render.timeoutMs} ms; try again shortly`, 2);
      }
      if (!(err instanceof UnreadableImageError)) throw err;
      if (derivative) {
        discard(source, derivative, err);
        return render(source, plan, null, description);
      }
      // Once per version of the file: a crawler retrying a damaged image must not flood the log.
      if (!damaged.has(source.key)) {
        damaged.set(source.key, true);
        log.error({ err, id: source.id }, 'source image cannot be decoded');
      }
      throw damagedSourceError(source.id);
    }
  }

  async function produce(
    source: SourceFile,
    plan: ImagePlan,
    description: ImageDescription,
    tileKey: string | null,
    cacheKey: string,
  ): Promise<RenderedImage> {
    const derivative = await derivativeOf(source);
    if (tileKey !== null && derivative) {
      const tile = derivative.tiles.get(tileKey);
      if (tile) {
        try {
          const body = await readTile(derivative, tile);
          memory?.set(cacheKey, { body, origin: 'memory' });
          counts.store++;
          return { body, origin: 'store' };
        } catch (err) {
          if (!(err instanceof CorruptDerivativeError)) throw err;
          discard(source, derivative, err);
          return produce(source, plan, description, tileKey, cacheKey);
        }
      }
    }
    const body = await render(source, plan, derivative, description);
    memory?.set(cacheKey, { body, origin: 'memory' });
    counts.render++;
    return { body, origin: 'render' };
  }

  /** Tells the HTTP cache (CACHE_PURGE_URL) to drop the old image, now and once more later. */
  function announceReplaced(id: string): void {
    if (config.cachePurgeUrl === null) return;
    void ban(id);
    const timer = setTimeout(() => {
      rebans.delete(timer);
      void ban(id);
    }, REBAN_AFTER_MS);
    timer.unref();
    rebans.add(timer);
  }

  const service: ImageService = {
    counts,

    async source(id: string, options?: SourceOptions): Promise<SourceInfo> {
      const source = await catalog.get(id, options);
      // Opened for a viewer's info.json, so the tiles that follow find it ready; not for
      // manifests, searches and pages, which ask for every leaf's size and would fill memory
      // with derivatives nobody views.
      if (options?.pixels && !states.has(source.key)) startLoading(source);
      return publicInfo(source);
    },

    async list(): Promise<readonly SourceInfo[]> {
      return (await catalog.list()).map(publicInfo);
    },

    async image(info: SourceInfo, plan: ImagePlan, about?: ImageDescription): Promise<RenderedImage> {
      const source = catalog.peek(info.id) ?? (await catalog.get(info.id));
      if (source.key !== info.key) {
        // Replaced since the caller read it: these pixels would go out under the old ETag.
        throw new ServiceUnavailableError(`The image "${info.id}" was replaced while it was being read; try again`, 1);
      }
      const description = about ?? { title: info.id, canonicalUrl: '' };
      const tileKey = tileKeyOf(plan);
      // A PDF also carries its description, so two descriptions are two different files.
      const described = plan.format === 'pdf' ? `|${description.title}|${description.canonicalUrl}` : '';
      const cacheKey = `${source.key}|${tileKey ?? planKey(plan)}${described}`;
      const hot = memory?.get(cacheKey);
      if (hot) {
        counts.memory++;
        return hot;
      }
      // Concurrent requests for the same pixels share one read or render.
      let pending = inflight.get(cacheKey);
      if (!pending) {
        pending = produce(source, plan, description, tileKey, cacheKey).finally(() => inflight.delete(cacheKey));
        inflight.set(cacheKey, pending);
      }
      return pending;
    },

    async ingestAll(): Promise<IngestSummary> {
      await cache.removeStaleTemps();
      // Files that cannot be served at all count as failed (the catalog has logged why).
      const { sources, unreadable } = await catalog.survey();
      const summary: IngestSummary = { images: sources.length + unreadable.length, built: 0, failed: unreadable.length };
      for (const source of sources) {
        if ((await derivativeOf(source)) !== null) continue;
        // One at a time: a background ingest leaves the other core to the requests.
        if (await scheduleIngest(source, 0)) summary.built++;
        else summary.failed++;
      }
      return summary;
    },

    async close(): Promise<void> {
      shutdown.abort();
      for (const timer of rebans) clearTimeout(timer);
      await Promise.all([ingests.onIdle(), output.close()]);
    },
  };
  return service;
}

const infos = new WeakMap<SourceFile, SourceInfo>();

/** What the routes get: no file path or hash that a careless serialiser could publish. */
function publicInfo(source: SourceFile): SourceInfo {
  let info = infos.get(source);
  if (!info) {
    const { id, width, height, key, modified, bytes, mtimeMs, sha256, format } = source;
    const record = Object.freeze({ file: path.basename(source.path), bytes, mtimeMs, sha256, width, height, format });
    info = Object.freeze({ id, width, height, key, modified, record });
    infos.set(source, info);
  }
  return info;
}

/** The memory-cache name of any plan that is not a stored tile. */
function planKey(plan: ImagePlan): string {
  const r = plan.region;
  return `${r.x},${r.y},${r.w},${r.h}/${plan.width},${plan.height}/${plan.mirror ? '!' : ''}${plan.rotation}/${plan.quality}.${plan.format}`;
}
