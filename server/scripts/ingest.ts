/**
 * `npm run ingest`: builds the derivative (pyramidal TIFF and tile set) of every image in
 * IMAGES_DIR into CACHE_DIR, with a progress bar and a summary. Images already ingested
 * (same content) are skipped; a changed source is ingested again. Exits 1 when any image
 * failed, a source that cannot be read at all (damaged, above the pixel limit) included. The
 * service does the same in the background at start-up; this is for doing it ahead of time.
 * With CACHE_PURGE_URL set, the HTTP cache in front of the service is told to drop every
 * image ingested anew (a replaced source), so that nobody is served its old pixels.
 * Then it checks the documents and refreshes the catalog, as `npm run check` does (folders
 * unchanged since they passed are not checked again); a problem there also exits 1.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import { failFast } from '../src/fail-fast.js';
import { imageBanner } from '../src/http/cache-ban.js';
import { REBAN_AFTER_MS } from '../src/image/backend.js';
import { CacheDir } from '../src/image/cache-dir.js';
import { ingestSource, type IngestResult } from '../src/image/ingest.js';
import { SourceCatalog } from '../src/image/sources.js';
import { gridTiles } from '../src/image/tile-grid.js';
import { checkAndWriteCatalog } from './check.js';

export interface IngestRunSummary {
  images: number;
  built: number;
  skipped: number;
  failed: number;
  tiles: number;
  bytes: number;
  seconds: number;
  /** Images the cache (CACHE_PURGE_URL) was told to drop and took the ban for. */
  banned: number;
}

/** Ingests every source; `progress` false for quiet use (benchmarks, tests). */
export async function ingestAll(config: Config, progress = true): Promise<IngestRunSummary> {
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const cache = new CacheDir(config.cacheDir, logger);
  await cache.removeStaleTemps();
  const catalog = new SourceCatalog({
    imagesDir: config.imagesDir,
    cache,
    inputPixels: config.limits.inputPixels,
    logger,
    revalidateMs: 0,
  });
  const started = performance.now();
  // A file the catalog cannot serve (damaged, or above the pixel limit) is a failure: the
  // catalog has already logged why.
  const { sources, unreadable } = await catalog.survey();
  const jobs = sources.map((source) => ({ source, tiles: gridTiles(source.width, source.height, config.tileSize).length }));
  const total = jobs.reduce((n, job) => n + job.tiles, 0);
  const bar = progress
    ? new SingleBar(
        { format: ' {bar} {percentage}% | {value}/{total} tiles | {image}', hideCursor: true },
        Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0, { image: '' });
  const summary: IngestRunSummary = {
    images: sources.length + unreadable.length,
    built: 0,
    skipped: 0,
    failed: unreadable.length,
    tiles: 0,
    bytes: 0,
    seconds: 0,
    banned: 0,
  };
  const rebuilt: string[] = [];
  let before = 0;
  for (const { source, tiles } of jobs) {
    bar?.update(before, { image: source.id });
    let result: IngestResult;
    try {
      result = await ingestSource(source, {
        cache,
        tileSize: config.tileSize,
        inputPixels: config.limits.inputPixels,
        onProgress: (done) => bar?.update(before + done, { image: source.id }),
      });
    } catch (err) {
      summary.failed++;
      bar?.stop();
      logger.error({ err, id: source.id }, 'ingest failed');
      bar?.start(total, before, { image: '' });
      continue;
    } finally {
      before += tiles;
    }
    if (result.built) {
      summary.built++;
      rebuilt.push(source.id);
    } else {
      summary.skipped++;
    }
    summary.tiles += result.tiles;
    summary.bytes += result.bytes;
  }
  bar?.update(total, { image: 'done' });
  bar?.stop();
  if (config.cachePurgeUrl !== null && rebuilt.length > 0) {
    // An instance that looked at a file just before it was replaced answers from the old one
    // until it looks again: the ban waits until every instance has, so it catches those too.
    const wait = REBAN_AFTER_MS - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const ban = imageBanner(config.cachePurgeUrl, logger);
    for (const id of rebuilt) if (await ban(id)) summary.banned++;
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

function formatSummary(s: IngestRunSummary, cachePurgeUrl: string | null): string {
  const mb = (s.bytes / (1024 * 1024)).toFixed(1);
  return [
    `images:  ${s.images} (${s.built} ingested, ${s.skipped} already up to date, ${s.failed} failed)`,
    `tiles:   ${s.tiles}`,
    `bytes:   ${mb} MiB (pyramids and tiles)`,
    `seconds: ${s.seconds.toFixed(1)}`,
    ...(cachePurgeUrl === null ? [] : [`cache:   ${s.banned} of ${s.built} ingested images banned at ${cachePurgeUrl}`]),
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const config = await failFast(() => loadConfig(process.env), ConfigError);
  const summary = await ingestAll(config, process.stdout.isTTY === true);
  process.stdout.write(`${formatSummary(summary, config.cachePurgeUrl)}\n`);
  const checked = await checkAndWriteCatalog(config);
  for (const problem of checked.problems) process.stderr.write(`${problem}\n`);
  process.stdout.write(`documents: ${checked.entries.length} (${checked.checked} checked, ${checked.skipped} unchanged, ${checked.problems.length} problems)\n`);
  process.exitCode = summary.failed > 0 || checked.problems.length > 0 ? 1 : 0;
}
