/**
 * `npm run bench:search`: queries per second and latency of Content Search on the real service
 * (started as `npm start` does: node on the compiled server/dist/main.js with the start
 * script's flags, on 127.0.0.1, serving the cable in manifests/), at 8 concurrent connections, over
 * a mixed set of queries: Russian words and inflections, Latin transliterations, phrases,
 * English words, multi-word queries, misses, both API versions and autocomplete.
 *
 * Two mixes: "repeated" cycles through the set (what a popular document sees: answers come
 * from the bounded response cache after the first round) and "distinct" makes every request
 * new (an extra motivation value that changes nothing but the cache key), so every request
 * runs the query. The baseline, measured in the same run, is a bare Express server answering
 * a search response's bytes from memory (bench-search-baseline.ts); "floor" is the service's
 * own cheapest route (`/healthz`), i.e. what its middleware costs before any search. Each phase
 * runs `--repeat` times (default 3) and the median is printed: the machine is shared.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { loadDocuments } from '../src/document/load-document.js';
import { answerAutocomplete, answerSearch } from '../src/search/answer.js';
import { buildSearchIndex } from '../src/search/build-index.js';
import { readParams } from '../src/search/read-params.js';
import { searchIds } from '../src/search/search-ids.js';
import { median } from './bench-stats.js';
import { buildServer, startArgs } from './build-server.js';
import { freePort, startServiceProcess, type ServiceProcess } from './service-process.js';
import { cliOptions } from './cli-options.js';

const { values: args } = cliOptions(
  `Usage: npm run bench:search [-- options]

Starts the service as \`npm start\` does and drives a mixed query set, printing queries per
second and p50/p99 latency beside two baselines from the same run (a bare server answering the
same bytes, and the service's /healthz), and the search work alone in-process.

Options:
  --repeat N        fresh runs (default 3; medians are printed)
  --duration S      seconds each run drives the service (default 5)
  --connections N   concurrent connections (default 8)
  -h, --help        this text
`,
  {
    repeat: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
  },
);
const REPEAT = Math.max(1, Number(args.repeat));
const DURATION = Math.max(1, Number(args.duration));
const CONNECTIONS = Math.max(1, Number(args.connections));
const DOC = 'rgaspi-f558-op11-d340-l43-45';

/** The mixed query set: [API, q], as readers and viewers send them. */
const queries: readonly [string, string][] = [
  ['2', 'переговоры'],
  ['2', 'переговоров'],
  ['2', '"38 параллели"'],
  ['2', 'peregovory'],
  ['2', 'Filippov'],
  ['2', 'Kaesong'],
  ['2', 'negotiations'],
  ['2', 'кайдзъе'],
  ['2', 'иностранных войск'],
  ['2', '"withdrawal of foreign troops"'],
  ['2', 'the'],
  ['2', 'nonexistentword'],
  ['1', 'переговоры'],
  ['1', 'Kaesong'],
  ['1', '"38 параллели"'],
  ['1', 'vyvode'],
  ['1', 'Korea'],
  ['1', 'мао цзэдун'],
  ['2/autocomplete', 'пере'],
  ['2/autocomplete', 'neg'],
  ['1/autocomplete', 'kor'],
  ['1/autocomplete', 'во'],
];

const pathOf = ([api, q]: readonly [string, string], distinct?: number): string => {
  const [version, auto] = api.split('/');
  const params = new URLSearchParams({ q });
  if (distinct !== undefined) params.set('motivation', `${version === '2' ? 'supplementing' : 'painting'} n${distinct}`);
  return `/iiif/search/${version}/${DOC}${auto ? '/autocomplete' : ''}?${params}`;
};

interface Stats {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `connections` keep-alive connections for DURATION seconds, each request's path from `next`. */
async function load(origin: string, next: () => string): Promise<Stats> {
  const result = await autocannon({
    url: origin,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req) => ({ ...req, path: next() }) }],
  });
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * The search work alone, in this process without HTTP: parse, match, build and serialise the
 * answer of each query of the mix, many times over. Returns p50 and p99 in microseconds.
 */
async function queryWork(rounds: number): Promise<{ p50: number; p99: number; indexMs: number }> {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const doc = (await loadDocuments(config.manifestsDir)).find((d) => d.id === DOC)!;
  const t0 = performance.now();
  const index = buildSearchIndex(doc);
  const indexMs = performance.now() - t0;
  const ids = searchIds('http://127.0.0.1', DOC);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [api, q] of queries) {
      const [version, auto] = api.split('/');
      const endpoint = version === '2' ? ids.v2 : ids.v1;
      const start = performance.now();
      const params = readParams(new URLSearchParams({ q }).toString(), auto ? 'autocomplete' : 'search');
      const json = auto
        ? answerAutocomplete(version === '2' ? 2 : 1, index, endpoint, params)
        : answerSearch(version === '2' ? 2 : 1, index, { service: endpoint.search, canvas: endpoint.canvas }, params, 50);
      JSON.stringify(json);
      if (r > 0) times.push((performance.now() - start) * 1000);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, p99: times[Math.floor(times.length * 0.99)]!, indexMs };
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'bench-search-'));
  if (await buildServer()) process.stderr.write('built server/dist\n');
  const servicePort = await freePort();
  const service = await startServiceProcess(
    'service',
    startArgs(),
    { HOST: '127.0.0.1', PORT: String(servicePort), LOG_LEVEL: 'warn', INGEST_ON_START: 'false' },
    servicePort,
  );
  let baseline: ServiceProcess | null = null;
  try {
    // Every query must answer 200 with JSON before we time anything.
    for (const query of queries) {
      const res = await fetch(`${service.origin}${pathOf(query)}`);
      if (res.status !== 200) throw new Error(`${pathOf(query)} answered ${res.status}`);
      await res.arrayBuffer();
    }
    const sample = await (await fetch(`${service.origin}${pathOf(['2', 'переговоры'])}`)).text();
    const bodyFile = path.join(tmp, 'body.json');
    await writeFile(bodyFile, sample);
    const baselinePort = await freePort();
    baseline = await startServiceProcess(
      'baseline',
      ['--import', 'tsx', 'server/scripts/bench-search-baseline.ts', bodyFile, String(baselinePort)],
      {},
      baselinePort,
    );

    const runs: Record<'baseline' | 'floor' | 'repeated' | 'distinct', Stats[]> = {
      baseline: [],
      floor: [],
      repeated: [],
      distinct: [],
    };
    let counter = 0;
    for (let r = 0; r < REPEAT; r++) {
      runs.baseline.push(await load(baseline.origin, () => '/json'));
      runs.floor.push(await load(service.origin, () => '/healthz'));
      runs.repeated.push(await load(service.origin, () => pathOf(queries[counter++ % queries.length]!)));
      runs.distinct.push(
        await load(service.origin, () => {
          const n = counter++;
          return pathOf(queries[n % queries.length]!, n);
        }),
      );
      process.stderr.write(`round ${r + 1}/${REPEAT} done\n`);
    }

    const summary = (name: keyof typeof runs) => ({
      perSecond: median(runs[name].map((s) => s.perSecond)),
      p50: median(runs[name].map((s) => s.p50)),
      p99: median(runs[name].map((s) => s.p99)),
      errors: runs[name].reduce((n, s) => n + s.errors, 0),
    });
    const base = summary('baseline');
    const lines = [
      `Content Search on 127.0.0.1, ${queries.length} queries, c=${CONNECTIONS}, ${DURATION} s × ${REPEAT} (medians)`,
      '',
      'phase      req/s    p50 ms  p99 ms  errors  req/s ratio to baseline',
    ];
    for (const name of ['baseline', 'floor', 'repeated', 'distinct'] as const) {
      const s = summary(name);
      lines.push(
        `${name.padEnd(9)} ${s.perSecond.toFixed(0).padStart(6)}  ${s.p50.toFixed(1).padStart(6)}  ${s.p99
          .toFixed(1)
          .padStart(6)}  ${String(s.errors).padStart(6)}  ${(s.perSecond / base.perSecond).toFixed(2)}`,
      );
    }
    const distinct = summary('distinct');
    lines.push('', `target p99 ≤ 10 ms on the distinct mix: ${distinct.p99 <= 10 ? 'met' : 'NOT met'} (${distinct.p99} ms)`);
    const work = await queryWork(200);
    lines.push(
      `search work alone (in-process, no HTTP, same mix): p50 ${work.p50.toFixed(0)} µs, p99 ${work.p99.toFixed(0)} µs; index build ${work.indexMs.toFixed(0)} ms`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await service.stop();
    if (baseline) await baseline.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
