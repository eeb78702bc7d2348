import { readFileSync } from 'node:fs';
import { measure } from './bench-corpus/measure.js';
const [origin, corpusJson] = process.argv.slice(2);
const corpus = JSON.parse(readFileSync(corpusJson!, 'utf8'));
const m = await measure({ origin: origin!, documents: corpus.documents, delos: corpus.delos, walk: 1000, warm: 200, rounds: 5, concurrency: 4, requestTimeoutMs: 30000, seed: 21756, rss: () => 0, alive: () => {} });
console.log(JSON.stringify({ cold: m.cold, warm: m.warm, floor: m.floor, failures: m.failures }, null, 1));
