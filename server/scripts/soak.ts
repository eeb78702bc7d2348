/**
 * `npm run soak`: ingests the images into a fresh CACHE_DIR, starts the service in a child
 * process (the real main.ts) and drives it from this process over loopback for 60 s at 64 connections with mixed
 * traffic: grid tiles, off-grid images, info.json, manifests and search. Prints requests,
 * errors by kind, p50/p99 latency and the service's RSS (sampled from /proc) at start, peak
 * and end. Targets: no errors other than deliberate 503s; RSS at the end within 20 % of its
 * level after the warm-up (60 s of the same traffic: long enough for the hot-tile and render
 * memory caches to fill, after which RSS plateaus).
 *
 *   npm run soak [-- --duration 60 --connections 64 --warmup 60]
 */
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { loadDocuments } from '../src/document/load-document.js';
import { gridTiles } from '../src/image/tile-grid.js';
import { documentIds } from '../src/presentation/ids.js';
import { ServiceProcess, tempDir } from '../test/hardening/service-process.js';
import { ingestAll } from './ingest.js';
import { cliOptions } from './cli-options.js';

const { values } = cliOptions(
  `Usage: npm run soak [-- options]

Ingests the images, starts the service in a child process and, after a warm-up, drives it with
tiles, off-grid images, manifests and searches, printing requests, errors by kind, p50/p99
latency and the service's RSS at start, after warm-up, at peak and at the end.

Options:
  --duration S      seconds of measured load (default 60)
  --connections N   concurrent connections (default 64)
  --warmup S        seconds of warm-up first (default 60)
  -h, --help        this text
`,
  {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '64' },
    warmup: { type: 'string', default: '60' },
  },
);
const duration = Number(values.duration);
const connections = Number(values.connections);
const warmup = Number(values.warmup);

interface Info {
  id: string;
  width: number;
  height: number;
  tiles: { width: number }[];
}

/** Every tile of the advertised grid, as OpenSeadragon asks for it (3.0 canonical `w,h`). */
function tileUrls(info: Info): string[] {
  const service = new URL(info.id).pathname;
  return gridTiles(info.width, info.height, info.tiles[0]!.width).map(
    ({ region: { x, y, w, h }, width, height }) => `${service}/${x},${y},${w},${h}/${width},${height}/0/default.jpg`,
  );
}

const rand = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(items: readonly T[]): T => items[rand(items.length)]!;

/** A request no grid or cache has seen: a random region, scaled down, sometimes rotated or gray. */
function offGrid(info: Info): string {
  const w = 200 + rand(1200);
  const h = 200 + rand(1200);
  const x = rand(info.width - w);
  const y = rand(info.height - h);
  const variant = pick(['!400,400/0/default.jpg', '!300,300/90/gray.jpg', 'pct:10/0/default.webp', '!256,256/0/default.png']);
  return `${new URL(info.id).pathname}/${x},${y},${w},${h}/${variant}`;
}

function rssBytes(pid: number, text: string): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(text);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const cache = await tempDir('soak-cache');
  // As in production: the images are ingested ahead of time (`npm run ingest`).
  const ingest = await ingestAll(loadConfig({ CACHE_DIR: cache.dir }), false);
  process.stdout.write(`ingest: ${ingest.built} images in ${ingest.seconds.toFixed(1)} s\n`);
  // Request logs off: the service would write (and this process parse) a line per request.
  const service = await ServiceProcess.startQuiet({ CACHE_DIR: cache.dir, LOG_LEVEL: 'warn' });
  const samples: { t: number; rss: number }[] = [];
  const sample = async () => {
    samples.push({ t: Date.now(), rss: rssBytes(service.pid, await readFile(`/proc/${service.pid}/status`, 'utf8')) });
  };
  const sampler = setInterval(() => void sample().catch(() => undefined), 250);
  try {
    await sample();
    const startRss = samples[0]!.rss;

    // Discover the URLs the way a IIIF client does: manifest → image services (and search).
    const config = loadConfig({});
    const [doc] = await loadDocuments(config.manifestsDir);
    if (!doc) throw new Error('no document in MANIFESTS_DIR');
    const manifestPaths = [3, 2].map((v) => new URL(documentIds(service.url, v as 2 | 3, doc.id).manifest).pathname);
    const manifest = (await (await fetch(`${service.url}${manifestPaths[0]}`)).json()) as Record<string, unknown>;
    const text = JSON.stringify(manifest);
    const serviceIds = [...new Set([...text.matchAll(/"id":"([^"]+\/iiif\/3\/[^"/]+)"/g)].map((m) => m[1]!))];
    const infos: Info[] = [];
    for (const id of serviceIds) infos.push((await (await fetch(`${id}/info.json`)).json()) as Info);
    const search = [...text.matchAll(/"id":"([^"]+)","type":"SearchService2"/g)].map((m) => new URL(m[1]!).pathname);
    const words = ['Москва', 'Сталину', 'Филиппову', 'peace', 'Korea', 'переговоры', 'Mao', 'cable', 'zzzz'];

    const tiles = infos.flatMap(tileUrls);
    const others = [
      ...manifestPaths,
      ...infos.map((i) => `${new URL(i.id).pathname}/info.json`),
      ...infos.map((i) => `${new URL(i.id).pathname}/full/!200,200/0/default.jpg`),
    ];
    const next = (): string => {
      const r = Math.random();
      if (r < 0.6) return pick(tiles);
      if (r < 0.75) return offGrid(pick(infos));
      if (r < 0.9 || search.length === 0) return pick(others);
      return `${pick(search)}?q=${encodeURIComponent(pick(words))}`;
    };
    process.stdout.write(
      `service pid ${service.pid}: ${infos.length} images, ${tiles.length} grid tiles, ${search.length} search service(s)\n`,
    );

    const run = (seconds: number) => {
      const byStatus = new Map<number, number>();
      const errors = new Map<string, number>();
      return new Promise<{ result: autocannon.Result; byStatus: typeof byStatus; errors: typeof errors }>((resolve, reject) => {
        const instance = autocannon(
          {
            url: service.url,
            connections,
            duration: seconds,
            timeout: 30,
            requests: [{ setupRequest: (req) => ({ ...req, path: next() }) }],
          },
          (err: unknown, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve({ result, byStatus, errors })),
        );
        instance.on('response', (_client, status) => byStatus.set(status, (byStatus.get(status) ?? 0) + 1));
        instance.on('reqError', (err: Error & { code?: string }) => {
          const kind = err.code ?? err.message;
          errors.set(kind, (errors.get(kind) ?? 0) + 1);
        });
      });
    };

    process.stdout.write(`warm-up: ${warmup} s\n`);
    await run(warmup);
    await new Promise((r) => setTimeout(r, 2000));
    await sample();
    const warmRss = samples.at(-1)!.rss;
    const measureFrom = samples.length;

    process.stdout.write(`soak: ${duration} s at ${connections} connections\n`);
    const { result, byStatus, errors } = await run(duration);
    // Let in-flight work and garbage collection settle before the last sample.
    await new Promise((r) => setTimeout(r, 5000));
    await sample();
    const endRss = samples.at(-1)!.rss;
    const peakRss = Math.max(...samples.slice(measureFrom).map((s) => s.rss));

    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    const unexpected = [...byStatus].filter(([s]) => s >= 400 && s !== 503);
    // RSS every 10 s of the measured run, to tell a plateau (caches filling) from a leak.
    const trace = samples.slice(measureFrom).filter((_, i) => i % 40 === 0).map((x) => (x.rss / 2 ** 20).toFixed(0));
    const lines = [
      `RSS every 10 s (MiB): ${trace.join(' ')}`,
      `requests: ${total} (${(total / duration).toFixed(0)}/s)`,
      `status: ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`,
      `deliberate 503s: ${byStatus.get(503) ?? 0}`,
      `errors: ${unexpected.length + errors.size === 0 ? 'none' : ''}${unexpected.map(([s, n]) => `HTTP ${s}×${n}`).join(' ')} ${[...errors].map(([k, n]) => `${k}×${n}`).join(' ')} timeouts×${result.timeouts}`.trim(),
      `latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
      `RSS: start ${mib(startRss)}, after warm-up ${mib(warmRss)}, peak ${mib(peakRss)}, end ${mib(endRss)} (${(((endRss - warmRss) / warmRss) * 100).toFixed(1)} % vs warm-up)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const ok = unexpected.length === 0 && errors.size === 0 && result.timeouts === 0 && endRss <= 1.2 * warmRss;
    process.stdout.write(ok ? 'PASS\n' : 'FAIL\n');
    process.exitCode = ok ? 0 : 1;
  } finally {
    clearInterval(sampler);
    service.signal('SIGTERM');
    await service.exited;
    await cache.remove();
  }
}

await main();
