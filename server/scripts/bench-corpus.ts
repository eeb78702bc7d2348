/**
 * `npm run bench:corpus`: how the service grows from one document to an archive. For each
 * corpus size N it generates (or takes from its cache) N copies of the cable's data with their
 * own document ids and image stems, runs the catalog step when the project has one, starts the
 * service as `npm start` does, and measures through HTTP and /proc only: time to `/readyz`,
 * RSS, a crawler's walk over random documents, and cold and warm latencies. Prints one row per
 * N, the slope from N = 100 and the targets.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/config.js';
import { corpusFor, resetCorpus, type Corpus } from './bench-corpus/generate-corpus.js';
import { collectionsPerRound, measure, type Measured } from './bench-corpus/measure.js';
import { growthTable, slopeLines, targetLines, type Row } from './bench-corpus/report.js';
import { buildServer, startArgs } from './build-server.js';
import { freePort, ServiceStartError, startServiceProcess } from './service-process.js';

const help = `Usage: npm run bench:corpus [-- options]

Generates N synthetic documents (copies of the cable's data with their own ids and image
stems, image files as hard links), starts the compiled service as \`npm start\` does and
prints, per N: the catalog build time (\`npm run check\`, when the project has it), the time
to /readyz, RSS at ready, after the walk and at peak, and p50 / p99 latencies (ms) of
manifests, annotation pages, delo collections and searches, cold and warm, and the floors:
/healthz asked as often and as concurrently as the walk, and as the warm phase, the least
any request of that phase costs on this machine; then the slope from N = 100 and the
targets at N = 10,000.

Options:
  --sizes LIST           corpus sizes, comma-separated (default 1,100,1000,10000)
  --walk N               documents the walk visits (default 1000), --concurrency at a time
  --warm N               documents of the walk visited again, warm (default 200)
  --rounds N             warm rounds, after an untimed one (default 5)
  --concurrency N        connections of the crawler: the walk and the cold delo collections
                         (default 4)
  --warm-concurrency N   connections of the warm phase and its floor (default 1: a reader's
                         requests one at a time, so that a warm latency is the service's own
                         time; with more, each request also waits for those ahead of it on
                         the machine's cores, which the client shares)
  --per-delo N           documents per delo collection (default 250)
  --start-timeout S      give up on a start after S seconds (default 120)
  --check-timeout S      give up on the catalog step after S seconds (default 1800)
  --max-rss MIB          kill the service above this RSS (default 3072)
  --request-timeout S    a request's longest wait (default 30)
  --walk-timeout S       give up on the walk and the warm phase after S seconds (default 900)
  --corpus-dir DIR       where generated corpora are cached (default .cache/bench-corpus)
  --fresh                regenerate the corpora even when cached
  --reuse-check          keep each corpus's CACHE_DIR beside it and start from it the next
                         time (npm run check then finds nothing changed; its time is no
                         longer the catalog build's); ids are minted for a fixed base URL
  --keep                 keep each run's cache folder and service log
  -h, --help             this text
`;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,100,1000,10000' },
    walk: { type: 'string', default: '1000' },
    warm: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '4' },
    'warm-concurrency': { type: 'string', default: '1' },
    'per-delo': { type: 'string', default: '250' },
    'start-timeout': { type: 'string', default: '120' },
    'check-timeout': { type: 'string', default: '1800' },
    'max-rss': { type: 'string', default: '3072' },
    'request-timeout': { type: 'string', default: '30' },
    'walk-timeout': { type: 'string', default: '900' },
    'corpus-dir': { type: 'string', default: path.join(projectRoot, '.cache', 'bench-corpus') },
    fresh: { type: 'boolean', default: false },
    'reuse-check': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  process.stdout.write(help);
  process.exit(0);
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive whole number, not "${text}"\n`);
    process.exit(2);
  }
  return n;
}

const sizes = args.sizes.split(',').map((s) => positive('sizes', s.trim().replace(/_/g, '')));
const settings = {
  walk: positive('walk', args.walk),
  warm: positive('warm', args.warm),
  rounds: positive('rounds', args.rounds),
  concurrency: positive('concurrency', args.concurrency),
  warmConcurrency: positive('warm-concurrency', args['warm-concurrency']),
  perDelo: positive('per-delo', args['per-delo']),
  startTimeoutMs: positive('start-timeout', args['start-timeout']) * 1000,
  checkTimeoutMs: positive('check-timeout', args['check-timeout']) * 1000,
  maxRssMiB: positive('max-rss', args['max-rss']),
  requestTimeoutMs: positive('request-timeout', args['request-timeout']) * 1000,
  walkTimeoutMs: positive('walk-timeout', args['walk-timeout']) * 1000,
};
const SOURCE = { manifestsDir: path.join(projectRoot, 'manifests'), document: 'rgaspi-f558-op11-d340-l43-45', imagesDir: path.join(projectRoot, 'images') };
const SEED = 21756;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface CatalogStep {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** The project's catalog step, if it has one: `npm run check`, else server/scripts/check.ts. */
function catalogStep(): CatalogStep | null {
  const { scripts } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (scripts?.check) return { label: 'npm run check', command: 'npm', args: ['run', '--silent', 'check'] };
  const script = path.join('server', 'scripts', 'check.ts');
  if (existsSync(path.join(projectRoot, script))) return { label: `tsx ${script}`, command: process.execPath, args: ['--import', 'tsx', script] };
  return null;
}

/** Runs the catalog step on the corpus; its time in ms, or why it did not finish. */
function runCatalogStep(step: CatalogStep, env: Record<string, string>, logFd: number): Promise<number | string> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(step.command, step.args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', logFd, logFd] });
    const timer = setTimeout(() => child.kill('SIGKILL'), settings.checkTimeoutMs);
    child.once('error', (err) => resolve(`failed (${err.message})`));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else if (signal === 'SIGKILL') resolve(`timed out after ${settings.checkTimeoutMs / 1000} s`);
      else resolve(`failed (exit ${code ?? signal})`);
    });
  });
}

async function tail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function runSize(documents: number, catalog: CatalogStep | null): Promise<Row> {
  const generating = performance.now();
  const corpus: Corpus = await corpusFor(SOURCE, { documents, perDelo: settings.perDelo, root: args['corpus-dir'], fresh: args.fresh });
  log(
    `N = ${documents}: corpus ${corpus.reused ? 'from the cache' : `generated in ${((performance.now() - generating) / 1000).toFixed(1)} s`} (${corpus.dir}); ${corpus.delos.length} delo(s)`,
  );
  const removed = await resetCorpus(corpus);
  if (removed.length) log(`  removed what the previous run left in the manifests folder: ${removed.join(', ')}`);

  const run = await mkdtemp(path.join(tmpdir(), 'bench-corpus-run-'));
  const logFile = path.join(run, 'service.log');
  const logFd = openSync(logFile, 'a');
  const port = await freePort();
  const env = {
    HOST: '127.0.0.1',
    PORT: String(port),
    MANIFESTS_DIR: corpus.manifestsDir,
    IMAGES_DIR: corpus.imagesDir,
    CACHE_DIR: args['reuse-check'] ? path.join(corpus.dir, 'cache') : path.join(run, 'cache'),
    // Kept builds are keyed by the base URL: one that does not change with the port can be reused.
    ...(args['reuse-check'] && { PUBLIC_BASE_URL: 'http://bench.invalid' }),
    INGEST_ON_START: 'false',
    LOG_LEVEL: 'warn',
  };
  const row = { documents, leaves: corpus.leaves, catalog: 'n/a (no catalog step)' as number | string, readyMs: null, rssReady: null, rssPeak: null, measured: null };
  try {
    if (catalog) {
      log(`  ${catalog.label} …`);
      row.catalog = await runCatalogStep(catalog, env, logFd);
    }
    log('  starting the service …');
    const started = performance.now();
    let service;
    try {
      service = await startServiceProcess('service', startArgs(), env, port, settings.startTimeoutMs, {
        probe: '/readyz',
        pollMs: 20,
        memoryLimitMiB: settings.maxRssMiB,
        stdout: logFd,
      });
    } catch (err) {
      if (!(err instanceof ServiceStartError)) throw err;
      const outcome =
        err.reason === 'timeout'
          ? `timed out after ${settings.startTimeoutMs / 1000} s (at ${err.rssMiB.toFixed(0)} MiB)`
          : err.reason === 'memory'
            ? `killed above ${settings.maxRssMiB} MiB while starting`
            : err.message;
      if (err.reason === 'exit') log(`  ${err.message}; the end of its log:\n${await tail(logFile)}`);
      log(`  ${outcome}`);
      return { ...row, outcome };
    }
    const readyMs = performance.now() - started;
    const rssReady = service.memoryMiB('VmRSS');
    log(`  ready in ${(readyMs / 1000).toFixed(2)} s at ${rssReady.toFixed(0)} MiB; walking …`);
    let measured: Measured | null = null;
    let outcome = 'ok';
    const walkDeadline = Date.now() + settings.walkTimeoutMs;
    try {
      measured = await measure({
        origin: service.origin,
        documents: corpus.documents,
        delos: corpus.delos,
        walk: settings.walk,
        warm: settings.warm,
        rounds: settings.rounds,
        concurrency: settings.concurrency,
        warmConcurrency: settings.warmConcurrency,
        requestTimeoutMs: settings.requestTimeoutMs,
        seed: SEED,
        rss: () => service.memoryMiB('VmRSS'),
        alive: () => {
          const killed = service.killedAtMiB();
          if (killed !== null) throw new Error(`killed above ${settings.maxRssMiB} MiB during the walk`);
          if (service.process.exitCode !== null || service.process.signalCode !== null) throw new Error('exited during the walk');
          if (Date.now() > walkDeadline) throw new Error(`walk not done after ${settings.walkTimeoutMs / 1000} s`);
        },
      });
      if (measured.failures.length) outcome = 'errors (below)';
      log(`  walk and warm phases took ${((settings.walkTimeoutMs - (walkDeadline - Date.now())) / 1000).toFixed(0)} s`);
    } catch (err) {
      outcome = (err as Error).message;
      log(`  ${outcome}`);
    }
    const rssPeak = service.memoryMiB('VmHWM') || service.killedAtMiB();
    await service.stop();
    return { ...row, readyMs, rssReady, rssPeak, measured, outcome };
  } finally {
    closeSync(logFd);
    if (args.keep) log(`  kept ${run}`);
    else await rm(run, { recursive: true, force: true });
  }
}

if (await buildServer()) log('built server/dist');
const catalog = catalogStep();
const rows: Row[] = [];
for (const documents of sizes) rows.push(await runSize(documents, catalog));

const s = settings;
const lines = [
  '',
  `Corpus benchmark: copies of the cable (3 leaves each), ${s.perDelo} documents per delo; ${cpus().length} cores, Node ${process.version}`,
  `walk: ${s.walk} documents (distinct while N allows; first visits are cold), ${s.concurrency} at a time; warm: ${s.warm} of them × ${s.rounds} rounds after an untimed one, each round every delo collection, cycled to ${collectionsPerRound(1, s.rounds)} or more, ${s.warmConcurrency} at a time`,
  `latencies in ms, p50 / p99; catalog: ${catalog ? `${catalog.label}, timed` : 'no catalog step (npm run check)'}`,
  '',
  ...growthTable(rows),
  '',
  ...slopeLines(rows),
  '',
  ...targetLines(rows),
  ...rows.flatMap((r) => (r.measured?.failures.length ? [`N = ${r.documents}: non-200 answers: ${r.measured.failures.join('; ')}`] : [])),
  '',
];
process.stdout.write(lines.join('\n'));
