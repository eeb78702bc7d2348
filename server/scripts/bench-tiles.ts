/**
 * `npm run bench:tiles`: how fast the image service answers a deep-zoom viewer, as ratios to
 * a naive baseline measured in the same run (Express + sharp decoding the source JPEG per
 * request, bench-naive-server.ts).
 *
 * 1. Generates a 5000 × 7000 scan stand-in (paper texture and text-like lines) in a temporary
 *    folder and times its ingest (pyramid + every grid tile).
 * 2. Starts the real service as `npm start` does (node on the compiled server/dist/main.js,
 *    with the start script's flags) on 127.0.0.1 and drives it like
 *    OpenSeadragon does: every tile of the pyramid once on a fresh process that has only
 *    answered info.json (cold: no tile in memory yet) and then repeatedly (warm), over 1 and 8
 *    keep-alive connections; a zoom-in viewer session (6 connections, as a browser uses);
 *    off-grid requests (thumbnails of many sizes, arbitrary regions), each distinct.
 * 3. Does the same against the baseline and prints tiles/s, p50/p99 latency, peak RSS of the
 *    service, the ingest time and the ratios. Each phase runs `--repeat` times (default 3) on
 *    fresh processes and the median is printed: the machine is shared.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, projectRoot } from '../src/config.js';
import { sourceExtensions } from '../src/image/render.js';
import { gridTiles } from '../src/image/tile-grid.js';
import { failures, formatStats as fmt, makeScan, medianStats, offGrid, once, osdTiles, session, zoomSession, type Scan, type Stats } from './bench-load.js';
import { median } from './bench-stats.js';
import { buildServer, startArgs } from './build-server.js';
import { ingestAll } from './ingest.js';
import { freePort, startServiceProcess, type ServiceProcess } from './service-process.js';
import { cliOptions } from './cli-options.js';


const { values: args } = cliOptions(
  `Usage: npm run bench:tiles [-- options]

Ingests a generated WIDTH × HEIGHT scan, starts the service as \`npm start\` does and a naive
Express + sharp baseline, and prints tiles/s, p50/p99 latency and peak RSS of cold, warm,
zoom-session and off-grid requests, with the ratios to the baseline (medians of fresh runs).

Options:
  --repeat N    fresh runs of each phase (default 3)
  --width N     the scan's width (default 5000)
  --height N    the scan's height (default 7000)
  --keep        keep the temporary folder
  -h, --help    this text
`,
  {
    repeat: { type: 'string', default: '3' },
    width: { type: 'string', default: '5000' },
    height: { type: 'string', default: '7000' },
    keep: { type: 'boolean', default: false },
  },
);
const REPEAT = Math.max(1, Number(args.repeat));
const W = Number(args.width);
const H = Number(args.height);
const TILE = 512;
const ID = 'scan';
const scan: Scan = { id: ID, width: W, height: H, tileSize: TILE };

// ---------------------------------------------------------------- servers

interface Running extends ServiceProcess {
  /** Resident set size once listening, before any image request, in MiB. */
  readonly startRssMiB: number;
}

async function start(kind: 'ours' | 'naive', dirs: { images: string; cache: string; scan: string }): Promise<Running> {
  const port = await freePort();
  const argv =
    kind === 'ours'
      ? startArgs() // as `npm start` does: the compiled output, with the start script's flags
      : ['--import', 'tsx', path.join(projectRoot, 'server', 'scripts', 'bench-naive-server.ts'), dirs.scan, String(port)];
  const env = {
    HOST: '127.0.0.1',
    PORT: String(port),
    IMAGES_DIR: dirs.images,
    CACHE_DIR: dirs.cache,
    LOG_LEVEL: 'warn',
  };
  const service = await startServiceProcess(`${kind} server`, argv, env, port, 30_000);
  return Object.assign(service, { startRssMiB: service.memoryMiB('VmRSS') });
}

// ---------------------------------------------------------------- load

/**
 * "Cold" means no tile in memory yet, not a process whose code has never run: a reader meets
 * a service that has answered other requests before. So each fresh process first answers
 * info.json a few dozen times (no tile, no render), which also opens the image's derivative.
 */
async function warmUp(origin: string): Promise<void> {
  const stats = await once(origin, Array.from({ length: 50 }, () => `/iiif/3/${ID}/info.json`), 4);
  if (stats.errors > 0) throw new Error('info.json failed during warm-up');
}

// ---------------------------------------------------------------- run

const root = await mkdtemp(path.join(tmpdir(), 'bench-tiles-'));
const dirs = { images: path.join(root, 'images'), cache: path.join(root, 'cache'), scan: path.join(root, 'images', `${ID}.jpg`) };
await mkdir(dirs.images);
const log = (msg: string) => process.stderr.write(`${msg}\n`);

try {
  if (await buildServer()) log('built server/dist');
  log(`generating a ${W} × ${H} scan stand-in …`);
  await makeScan(dirs.scan, W, H);
  const scanBytes = (await stat(dirs.scan)).size;

  log('ingesting …');
  const config = loadConfig({ IMAGES_DIR: dirs.images, CACHE_DIR: dirs.cache, LOG_LEVEL: 'warn', TILE_SIZE: String(TILE) });
  const ingest = await ingestAll(config, false);
  if (ingest.built !== 1) throw new Error('ingest failed');
  // The service checks at start that the document's own pages exist: they come along,
  // ingested before any measurement so that no background ingest competes with it.
  for (const name of await readdir(path.join(projectRoot, 'images'))) {
    if (sourceExtensions.includes(path.extname(name).toLowerCase())) await copyFile(path.join(projectRoot, 'images', name), path.join(dirs.images, name));
  }
  await ingestAll(config, false);

  const tiles = osdTiles(scan);
  if (tiles.length !== gridTiles(W, H, TILE).length) throw new Error('OpenSeadragon tiles and grid disagree');
  const tilePaths = tiles.map((t) => t.path);
  const steps = zoomSession(scan, tiles);
  const extra = offGrid(scan);
  // The baseline decodes the whole JPEG per request: a fixed sample of the tiles keeps it short.
  const sample = (n: number) => tilePaths.filter((_, i) => i % Math.ceil(tilePaths.length / n) === 0);

  const ours = { cold1: [] as Stats[], cold8: [] as Stats[], warm1: [] as Stats[], warm8: [] as Stats[], zoom: [] as Stats[], off: [] as Stats[] };
  const naive = { c1: [] as Stats[], c8: [] as Stats[], zoom: [] as Stats[], off: [] as Stats[] };
  let peakRssGrid = 0;
  let peakRssAll = 0;
  const startRss: number[] = [];

  for (let run = 1; run <= REPEAT; run++) {
    log(`run ${run}/${REPEAT}: service …`);
    let srv = await start('ours', dirs);
    startRss.push(srv.startRssMiB);
    await warmUp(srv.origin);
    ours.cold8.push(await once(srv.origin, tilePaths, 8));
    ours.warm8.push(await once(srv.origin, tilePaths, 8, 30));
    peakRssGrid = Math.max(peakRssGrid, srv.memoryMiB('VmHWM'));
    await srv.stop();

    srv = await start('ours', dirs);
    await warmUp(srv.origin);
    ours.cold1.push(await once(srv.origin, tilePaths, 1));
    ours.warm1.push(await once(srv.origin, tilePaths, 1, 10));
    await srv.stop();

    srv = await start('ours', dirs);
    await warmUp(srv.origin);
    ours.zoom.push(await session(srv.origin, steps));
    ours.off.push(await once(srv.origin, extra, 8));
    peakRssAll = Math.max(peakRssAll, srv.memoryMiB('VmHWM'));
    await srv.stop();

    log(`run ${run}/${REPEAT}: baseline …`);
    const base = await start('naive', dirs);
    naive.c8.push(await once(base.origin, sample(64), 8));
    naive.c1.push(await once(base.origin, sample(24), 1));
    naive.zoom.push(await session(base.origin, steps));
    naive.off.push(await once(base.origin, extra, 8));
    await base.stop();
  }

  const o = Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, medianStats(v)])) as Record<keyof typeof ours, Stats>;
  const n = Object.fromEntries(Object.entries(naive).map(([k, v]) => [k, medianStats(v)])) as Record<keyof typeof naive, Stats>;

  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  const check = (value: number, target: number) => (value >= target ? `≥ ${target}× ✓` : `target ${target}× ✗`);

  const lines = [
    '',
    `IIIF tiles benchmark: ${W} × ${H} JPEG scan stand-in (${(scanBytes / 2 ** 20).toFixed(1)} MiB), ${tilePaths.length} grid tiles of ${TILE} px`,
    `${cpus().length} cores, Node ${process.version}; medians of ${REPEAT} runs, each phase on a fresh process`,
    '',
    `ingest: ${ingest.seconds.toFixed(1)} s (pyramid + ${ingest.tiles} tiles, ${(ingest.bytes / 2 ** 20).toFixed(1)} MiB)  ${ingest.seconds < 10 ? '< 10 s ✓' : 'target < 10 s ✗'}`,
    '',
    'grid tiles              service                                      baseline',
    `  cold  c=1   ${fmt(o.cold1)}   ${fmt(n.c1)}   ${ratio(o.cold1.perSecond, n.c1.perSecond)}`,
    `  cold  c=8   ${fmt(o.cold8)}   ${fmt(n.c8)}   ${ratio(o.cold8.perSecond, n.c8.perSecond)}  ${check(o.cold8.perSecond / n.c8.perSecond, 22)}`,
    `  warm  c=1   ${fmt(o.warm1)}   ${fmt(n.c1)}   ${ratio(o.warm1.perSecond, n.c1.perSecond)}`,
    `  warm  c=8   ${fmt(o.warm8)}   ${fmt(n.c8)}   ${ratio(o.warm8.perSecond, n.c8.perSecond)}  ${check(o.warm8.perSecond / n.c8.perSecond, 120)}`,
    '',
    `zoom-in session (${steps.length} steps, ${steps.flat().length} tiles, 6 connections): service ${o.zoom.seconds.toFixed(3)} s, baseline ${n.zoom.seconds.toFixed(2)} s  ${ratio(n.zoom.seconds, o.zoom.seconds)} faster  ${check(n.zoom.seconds / o.zoom.seconds, 30)}`,
    `off-grid (${extra.length} thumbnails and regions, c=8): service ${fmt(o.off)}`,
    `                                         baseline ${fmt(n.off)}   ${ratio(o.off.perSecond, n.off.perSecond)}  ${check(o.off.perSecond / n.off.perSecond, 5)}`,
    '',
    `peak RSS of the service, grid tiles at c=8: ${peakRssGrid.toFixed(0)} MiB  ${peakRssGrid <= 200 ? '≤ 200 MiB ✓' : 'target ≤ 200 MiB ✗'}`,
    `RSS of the service once started, before any image request: ${median(startRss).toFixed(0)} MiB`,
    `peak RSS with the zoom session and off-grid renders: ${peakRssAll.toFixed(0)} MiB`,
    ...[...failures].map(([status, f]) => `non-200 answers: ${f.count} × ${status}, e.g. ${f.example}`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
} finally {
  if (args.keep) log(`kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}
