import { loadDocument } from '../src/document/load-document.js';
import { buildSearchIndex } from '../src/search/build-index.js';
import { encodeSearchIndex, decodeSearchIndex } from '../src/search/index-file.js';
import { answerSearch } from '../src/search/answer.js';
import { readParams } from '../src/search/read-params.js';
const d = await loadDocument('manifests/rgaspi-f558-op11-d340-l43-45');
const bytes = encodeSearchIndex(buildSearchIndex(d));
console.log('encoded', bytes.length);
const targets = { service: 'https://x/s', canvas: (l: string) => `https://x/c/${l}`, place: (_l: string, b: any) => b } as any;
const qs = ['Kaesong', 'negotiations', '"38 параллели"', 'peregovory', 'перемирие', 'Korea', 'иностранных войск', 'prisoners', 'переговоры'];
for (const q of qs) {
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const index = decodeSearchIndex(bytes)!;
    const json = answerSearch(2, index, targets, readParams(`q=${encodeURIComponent(q)}`, 'search'), 50);
    size = JSON.stringify(json).length;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(q.padEnd(20), 'median ms', times[15]!.toFixed(2), 'size', size);
}
let t = performance.now();
for (let i = 0; i < 30; i++) { const ix = decodeSearchIndex(bytes)!; ix.postings; }
console.log('decode+postings', ((performance.now() - t) / 30).toFixed(2));
