import { startFuzzTarget } from './test/hardening/fuzz-target.js';
const t = await startFuzzTarget();
let bad = 0;
const ids = ['p1', 'nope', 'leaf_2.v2', 'zzz', 'L-003'];
const start = Date.now();
await Promise.all(Array.from({ length: 4 }, async (_, k) => {
  for (let i = 0; i < 400; i++) {
    const id = ids[(i + k) % ids.length]!;
    const r = await fetch(`${t.url}/iiif/3/${id}/info.json`);
    await r.arrayBuffer();
    if (['p1', 'leaf_2.v2', 'L-003'].includes(id) && r.status !== 200) { bad++; console.log(Date.now() - start, id, r.status); }
  }
}));
console.log('bad', bad);
await t.close();
