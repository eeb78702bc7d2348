/**
 * `npm run fuzz`: 100,000 random and hostile Image API (3.0 and 2.1), presentation and
 * search requests against the whole service in this process (small generated images),
 * four at a time. Prints the counts by status and by kind, and every case with a problem,
 * checked as the fuzz test checks (`problems` in fuzz-target.ts: a status the spec does not
 * allow for it, a 5xx other than the spec's 501, an error that is not plain text or names a
 * local folder or a stack trace, a valid request not answered with an image); a request that
 * hangs for more than 10 s is a failure too. Exit code 1 when any case failed.
 *
 *   npm run fuzz [-- --runs 100000 --seed 42 --concurrency 4]
 */
import { Agent } from 'node:http';
import fc from 'fast-check';
import type { FuzzCase } from '../test/hardening/fuzz-cases.js';
import { fuzzCases, problems, startFuzzTarget } from '../test/hardening/fuzz-target.js';
import { request, type RawResponse } from '../test/helpers/http.js';
import { cliOptions } from './cli-options.js';

const { values } = cliOptions(
  `Usage: npm run fuzz [-- options]

Sends random requests of every kind the service answers and prints the counts by status; a
status the specifications do not allow, a 5xx but 501, or a request hanging 10 s is a failure.

Options:
  --runs N          requests (default 100000)
  --seed N          the random seed (default: from the clock, printed)
  --concurrency N   requests at once (default 4)
  -h, --help        this text
`,
  {
    runs: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
  },
);
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const concurrency = Number(values.concurrency);

const target = await startFuzzTarget();
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const arbitrary = fuzzCases(target);
const cases = fc.sample(arbitrary, { numRuns: runs, seed });

const byStatus = new Map<number, number>();
const byKind = new Map<string, Map<number, number>>();
const failures: string[] = [];
let done = 0;
const started = Date.now();

async function one(c: FuzzCase): Promise<void> {
  let res: RawResponse;
  try {
    res = await request(target.url, c.path, { agent, timeoutMs: 10_000 });
  } catch (err) {
    failures.push(`${c.kind}: GET ${c.path} → ${(err as Error).message}`);
    return;
  }
  const { status } = res;
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const kind = byKind.get(c.kind) ?? new Map<number, number>();
  kind.set(status, (kind.get(status) ?? 0) + 1);
  byKind.set(c.kind, kind);
  const found = problems(c, res, target);
  if (found.length > 0) failures.push(`${c.kind}: GET ${c.path} → ${status}: ${found.join('; ')}`);
}

let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < cases.length) {
      await one(cases[next++]!);
      if (++done % 10_000 === 0) process.stderr.write(`${done} / ${runs}\n`);
    }
  }),
);
agent.destroy();
await target.close();

const fmt = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
const seconds = (Date.now() - started) / 1000;
process.stdout.write(`fuzz: ${runs} requests in ${seconds.toFixed(1)} s (seed ${seed})\n`);
process.stdout.write(`by status: ${fmt(byStatus)}\n`);
for (const [kind, m] of [...byKind].sort()) process.stdout.write(`  ${kind.padEnd(24)} ${fmt(m)}\n`);
process.stdout.write(`failures: ${failures.length}\n`);
for (const f of failures.slice(0, 50)) process.stdout.write(`  ${f}\n`);
process.exitCode = failures.length === 0 ? 0 : 1;
