/**
 * `npm run bench:stack`: what Varnish in front of the instances (deploy/varnish/default.vcl,
 * the stack of `npm run stack`) buys a deep-zoom viewer, against one instance answering
 * directly, with the static edition (`npm run export`) served by nginx as a baseline.
 *
 * The load is bench:tiles' (bench-load.ts), on the same 5000 × 7000 scan stand-in: every grid
 * tile warm at c=8, a reader's zoom-in session, off-grid thumbnails and regions. Per run:
 * one fresh instance alone, one fresh stack, and nginx over the exported edition. Then one
 * more stack, whose first instance is killed (SIGKILL) in the middle of a cold load: Varnish
 * must retry elsewhere, so no client sees an error. Medians of `--repeat` runs (default 3).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig, projectRoot } from '../src/config.js';
import { loadDocuments } from '../src/document/load-document.js';
import { exportEdition } from '../src/export/export-edition.js';
import { sourceExtensions } from '../src/image/render.js';
import { failures, formatStats as fmt, makeScan, medianStats, offGrid, once, osdTiles, session, zoomSession, type Scan, type Stats } from './bench-load.js';
import { median } from './bench-stats.js';
import { buildServer, startArgs } from './build-server.js';
import { ingestAll } from './ingest.js';
import { freePort, startServiceProcess } from './service-process.js';
import { startStack, type Stack } from './stack/start-stack.js';
import { findVarnishd, varnishPackageHint } from './stack/varnish.js';

const help = `Usage: npm run bench:stack [-- [--repeat N] [--instances N] [--width W --height H] [--keep]]

Tiles/s, zoom sessions and off-grid requests against one instance, against the stack (the
instances behind Varnish, deploy/varnish/default.vcl) and against the exported static
edition served by nginx (Debian package nginx-light; skipped when nginx is missing), the
cache hit ratio, every process's peak RSS, and the errors seen while an instance is killed.
Needs varnishd (Debian package varnish).
`;

function usage(message: string): never {
  process.stderr.write(`bench:stack: ${message}\n\n${help}`);
  process.exit(2);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      repeat: { type: 'string', default: '3' },
      instances: { type: 'string', default: '2' },
      width: { type: 'string', default: '5000' },
      height: { type: 'string', default: '7000' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  usage((err as Error).message);
}
if (args.help) {
  process.stdout.write(help);
  process.exit(0);
}
function wholeNumber(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) usage(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}
const REPEAT = wholeNumber('repeat', args.repeat, 1, 50);
const INSTANCES = wholeNumber('instances', args.instances, 1, 16);
const scan: Scan = { id: 'scan', width: wholeNumber('width', args.width, 3000, 20000), height: wholeNumber('height', args.height, 3000, 20000), tileSize: 512 };
const WARM_ROUNDS = 30;
const OFF_ROUNDS = 5;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

if (!findVarnishd()) {
  process.stderr.write(`bench:stack needs varnishd: ${varnishPackageHint}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------- processes

/** VmHWM (peak RSS) of a process in MiB, 0 when it is gone. */
function peakMiB(pid: number | undefined): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** The process and all its descendants (varnishd's manager forks the cache child; nginx its workers). */
function processTree(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return out;
}

/** Peak RSS by process name, the highest seen across runs. */
const peaks = new Map<string, number>();
function notePeaks(label: string, pid: number | undefined): void {
  processTree(pid).forEach((p, i) => {
    const name = i === 0 ? label : `${label} child ${i}`;
    peaks.set(name, Math.max(peaks.get(name) ?? 0, peakMiB(p)));
  });
}

// ---------------------------------------------------------------- nginx

function findNginx(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin']) {
    try {
      accessSync(path.join(dir, 'nginx'), constants.X_OK);
      return path.join(dir, 'nginx');
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * nginx as a static host of the edition: no root needed (port above 1024, pid, logs and temp
 * folders in its own prefix), in the foreground. A path that is not a file is tried with
 * `.json` and `.html`, as docs/deploying.md tells any host to.
 */
async function startNginx(nginx: string, edition: string, prefix: string, port: number): Promise<{ process: ChildProcess; stop: () => Promise<void> }> {
  await mkdir(path.join(prefix, 'logs'), { recursive: true });
  const conf = `worker_processes ${cpus().length};
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${edition};
    location / {
      try_files $uri $uri.json $uri.html $uri/index.html =404;
      add_header Access-Control-Allow-Origin *;
    }
  }
}
`;
  const file = path.join(prefix, 'nginx.conf');
  await writeFile(file, conf);
  const child = spawn(nginx, ['-p', prefix, '-c', file, '-e', path.join(prefix, 'logs', 'error.log')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${readFileSync(path.join(prefix, 'logs', 'error.log'), 'utf8').slice(-500)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/index.html`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
  };
}

// ---------------------------------------------------------------- varnish

/** Hits and misses so far, from varnishstat. */
function varnishCounts(workDir: string): { hit: number; miss: number } {
  const json = JSON.parse(execFileSync('varnishstat', ['-n', workDir, '-j', '-1'], { encoding: 'utf8' })) as {
    counters?: Record<string, { value: number }>;
  } & Record<string, { value: number }>;
  const c = json.counters ?? json;
  return { hit: c['MAIN.cache_hit']?.value ?? 0, miss: c['MAIN.cache_miss']?.value ?? 0 };
}

// ---------------------------------------------------------------- run

interface Phases {
  zoom1: Stats[];
  zoom2: Stats[];
  offFirst: Stats[];
  offRepeat: Stats[];
  warm8: Stats[];
}
const newPhases = (): Phases => ({ zoom1: [], zoom2: [], offFirst: [], offRepeat: [], warm8: [] });

/** Each instance answers info.json first, so that "cold" means no tile in memory, not unstarted code. */
async function warmUp(origin: string): Promise<void> {
  const stats = await once(origin, Array.from({ length: 50 }, () => `/iiif/3/${scan.id}/info.json`), 4);
  if (stats.errors > 0) throw new Error(`info.json failed during warm-up at ${origin}`);
}

/** The load in one order on any origin: two readers' zoom sessions, off-grid twice, then the grid warm. */
async function measure(origin: string, into: Phases, tiles: readonly string[], steps: readonly string[][], extra: readonly string[] | null): Promise<void> {
  into.zoom1.push(await session(origin, steps));
  into.zoom2.push(await session(origin, steps));
  if (extra) {
    into.offFirst.push(await once(origin, extra, 8));
    into.offRepeat.push(await once(origin, extra, 8, OFF_ROUNDS));
  }
  await once(origin, tiles, 8); // whatever the sessions left cold
  into.warm8.push(await once(origin, tiles, 8, WARM_ROUNDS));
}

const root = await mkdtemp(path.join(tmpdir(), 'bench-stack-'));
// nginx's workers may run as another user: the edition must be readable to them.
await chmod(root, 0o755);
const dirs = { images: path.join(root, 'images'), cache: path.join(root, 'cache'), edition: path.join(root, 'edition') };
await mkdir(dirs.images);
let stack: Stack | null = null;
let nginx: Awaited<ReturnType<typeof startNginx>> | null = null;

try {
  if (await buildServer()) log('built server/dist');
  log(`generating a ${scan.width} × ${scan.height} scan stand-in …`);
  await makeScan(path.join(dirs.images, `${scan.id}.jpg`), scan.width, scan.height);
  // The service checks at start that the document's own pages exist: they come along.
  for (const name of await readdir(path.join(projectRoot, 'images'))) {
    if (sourceExtensions.includes(path.extname(name).toLowerCase())) await copyFile(path.join(projectRoot, 'images', name), path.join(dirs.images, name));
  }
  const env = { IMAGES_DIR: dirs.images, CACHE_DIR: dirs.cache, MANIFESTS_DIR: path.join(projectRoot, 'manifests'), LOG_LEVEL: 'warn', TILE_SIZE: String(scan.tileSize) };
  const config = loadConfig(env);
  log('ingesting …');
  await ingestAll(config, false);

  const nginxBin = findNginx();
  let nginxPort = 0;
  if (nginxBin) {
    nginxPort = await freePort();
    log('exporting the static edition …');
    const exported = await exportEdition({
      outDir: dirs.edition,
      base: `http://127.0.0.1:${nginxPort}`,
      searchUrl: null,
      config,
      documents: await loadDocuments(config.manifestsDir),
      viewerDist: path.join(projectRoot, 'viewer', 'dist'),
      logger: pino({ level: 'warn' }),
    });
    log(`  ${exported.files} files in ${exported.seconds.toFixed(1)} s`);
  } else {
    log('nginx not found: the static baseline is skipped (install the Debian package nginx-light)');
  }

  const tiles = osdTiles(scan).map((t) => t.path);
  const steps = zoomSession(scan, osdTiles(scan));
  const extra = offGrid(scan);
  const alone = newPhases();
  const cached = newPhases();
  const stat = newPhases();
  let hits = 0;
  let misses = 0;

  for (let run = 1; run <= REPEAT; run++) {
    log(`run ${run}/${REPEAT}: one instance …`);
    const port = await freePort();
    const instance = await startServiceProcess('instance', startArgs(), { ...env, HOST: '127.0.0.1', PORT: String(port) }, port, 60_000);
    await warmUp(instance.origin);
    await measure(instance.origin, alone, tiles, steps, extra);
    notePeaks('instance alone', instance.process.pid);
    await instance.stop();

    log(`run ${run}/${REPEAT}: ${INSTANCES} instances behind Varnish …`);
    stack = await startStack({ instances: INSTANCES, port: 0, env, output: 'quiet' });
    for (const s of stack.instances) await warmUp(s.origin);
    const before = varnishCounts(stack.varnishWorkDir);
    await measure(stack.front, cached, tiles, steps, extra);
    const after = varnishCounts(stack.varnishWorkDir);
    hits += after.hit - before.hit;
    misses += after.miss - before.miss;
    stack.instances.forEach((s, i) => notePeaks(`stack instance ${i + 1}`, s.process.pid));
    notePeaks('varnishd', stack.varnish.pid);
    await stack.stop();
    stack = null;

    if (nginxBin) {
      log(`run ${run}/${REPEAT}: nginx over the static edition …`);
      const prefix = path.join(root, `nginx-${run}`);
      nginx = await startNginx(nginxBin, dirs.edition, prefix, nginxPort);
      await measure(`http://127.0.0.1:${nginxPort}`, stat, tiles, steps, null);
      notePeaks('nginx', nginx.process.pid);
      await nginx.stop();
      nginx = null;
    }
  }

  log('instance-kill run …');
  stack = await startStack({ instances: Math.max(2, INSTANCES), port: 0, env, output: 'quiet' });
  for (const s of stack.instances) await warmUp(s.origin);
  const victim = stack.instances[0]!;
  const killAt = Math.floor(tiles.length * 0.3);
  // Cold: every request is a miss that an instance answers, one of them dying under it.
  const kill = await once(stack.front, tiles, 8, 1, (done) => {
    if (done === killAt) victim.process.kill('SIGKILL');
  });
  const killedFirst = victim.process.signalCode === 'SIGKILL' || victim.process.exitCode !== null;
  const afterKill = await once(stack.front, [...tiles].reverse(), 8);
  await stack.stop();
  stack = null;

  const a = Object.fromEntries(Object.entries(alone).map(([k, v]) => [k, medianStats(v)])) as Record<keyof Phases, Stats>;
  const v = Object.fromEntries(Object.entries(cached).map(([k, x]) => [k, medianStats(x)])) as Record<keyof Phases, Stats>;
  const s = nginxBin ? (Object.fromEntries(Object.entries(stat).map(([k, x]) => [k, medianStats(x)])) as Record<keyof Phases, Stats>) : null;
  const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}×`;
  const atLeast = (value: number, target: number) => (value >= target ? `≥ ${target}× ✓` : `target ≥ ${target}× ✗`);
  const atMost = (value: number, target: number) => (value <= target ? `≤ ${target}× ✓` : `target ≤ ${target}× ✗`);
  const secs = (x: Stats) => `${(x.seconds * 1000).toFixed(0).padStart(5)} ms`;
  const errors = [alone, cached, stat].flatMap((p) => Object.values(p).flat()).reduce((n: number, x: Stats) => n + x.errors, 0);

  const lines = [
    '',
    `Stack benchmark: ${scan.width} × ${scan.height} scan stand-in, ${tiles.length} grid tiles of ${scan.tileSize} px; ${INSTANCES} instances behind Varnish`,
    `${cpus().length} cores, Node ${process.version}; medians of ${REPEAT} runs, each on fresh processes`,
    '',
    `warm grid tiles, c=8 (${WARM_ROUNDS} rounds)`,
    `  one instance     ${fmt(a.warm8)}`,
    `  through Varnish  ${fmt(v.warm8)}   ${ratio(v.warm8.perSecond, a.warm8.perSecond)}  ${atLeast(v.warm8.perSecond / a.warm8.perSecond, 4)}`,
    ...(s ? [`  nginx, static   ${fmt(s.warm8)}   ${ratio(s.warm8.perSecond, a.warm8.perSecond)} of one instance`] : []),
    '',
    `zoom-in session (${steps.length} steps, ${steps.flat().length} tiles, 6 connections): first reader (cold), then a second reader`,
    `  one instance     ${secs(a.zoom1)} → ${secs(a.zoom2)}   ${ratio(a.zoom2.seconds, a.zoom1.seconds)}`,
    `  through Varnish  ${secs(v.zoom1)} → ${secs(v.zoom2)}   ${ratio(v.zoom2.seconds, v.zoom1.seconds)}  ${atMost(v.zoom2.seconds / v.zoom1.seconds, 0.4)}`,
    ...(s ? [`  nginx, static   ${secs(s.zoom1)} → ${secs(s.zoom2)}`] : []),
    '',
    `off-grid (${extra.length} thumbnails and regions, c=8): first answers, then ${OFF_ROUNDS} repeats`,
    `  one instance     first ${fmt(a.offFirst)}`,
    `                   again ${fmt(a.offRepeat)}`,
    `  through Varnish  first ${fmt(v.offFirst)}`,
    `                   again ${fmt(v.offRepeat)}`,
    `  repeated through Varnish vs the instance rendering them: ${ratio(v.offRepeat.perSecond, a.offFirst.perSecond)}  ${atLeast(v.offRepeat.perSecond / a.offFirst.perSecond, 10)}`,
    `  repeated through Varnish vs the instance repeating them (its memory cache): ${ratio(v.offRepeat.perSecond, a.offRepeat.perSecond)}`,
    ...(s ? ['  nginx: none (a static edition has only the advertised tiles and sizes)'] : []),
    '',
    `Varnish hit ratio over the measured load: ${((100 * hits) / Math.max(1, hits + misses)).toFixed(1)}% (${hits} hits, ${misses} misses)`,
    `errors in the measured load: ${errors}`,
    `instance-kill run: instance 1 SIGKILLed after ${killAt} of ${tiles.length} cold tiles at c=8${killedFirst ? '' : ' (it had not died yet)'}: ${kill.errors} errors, then ${afterKill.errors} errors over ${afterKill.requests} more  ${kill.errors + afterKill.errors === 0 ? '0 ✓' : 'target 0 ✗'}`,
    '',
    'peak RSS (VmHWM):',
    ...[...peaks].map(([name, mib]) => `  ${name.padEnd(22)} ${mib.toFixed(0).padStart(5)} MiB`),
    ...(nginxBin ? [] : ['nginx baseline skipped: install the Debian package nginx-light']),
    ...[...failures].map(([status, f]) => `non-200 answers: ${f.count} × ${status || 'connection error'}, e.g. ${f.example}`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
} finally {
  await stack?.stop();
  await nginx?.stop();
  if (args.keep) log(`kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}

