/**
 * The corpus benchmark's printout: the growth table (one row per corpus size), the slope of
 * every figure from N = 100 to the largest N, and the targets, each PASS or FAIL.
 */
import { kinds, type Kind, type Latency, type Measured } from './measure.js';

export interface Row {
  readonly documents: number;
  readonly leaves: number;
  /** The catalog step's time in ms, or why there is none ("n/a (no catalog step)", "failed …"). */
  readonly catalog: number | string;
  /** "ok", or what stopped the run: "timed out after 120 s", "killed at 3100 MiB", … */
  readonly outcome: string;
  readonly readyMs: number | null;
  readonly rssReady: number | null;
  readonly rssPeak: number | null;
  readonly measured: Measured | null;
}

/** The targets at N = 10,000; `max` is the largest value that passes. */
export const targets: readonly {
  readonly label: string;
  readonly max: number;
  readonly unit: string;
  /** A request's latency, set against the floor of its phase (the walk's for cold, the warm phase's for warm). */
  readonly phase?: 'cold' | 'warm';
  readonly value: (r: Row) => number | null;
}[] = [
  { label: 'ready', max: 3000, unit: 'ms', value: (r) => r.readyMs },
  { label: 'RSS after the walk', max: 300, unit: 'MiB', value: (r) => r.measured?.rssAfterWalk ?? null },
  { label: 'manifest cold p99', max: 50, unit: 'ms', phase: 'cold', value: (r) => r.measured?.cold.manifest.p99 ?? null },
  { label: 'manifest warm p99', max: 5, unit: 'ms', phase: 'warm', value: (r) => r.measured?.warm.manifest.p99 ?? null },
  { label: 'search warm p99', max: 10, unit: 'ms', phase: 'warm', value: (r) => r.measured?.warm.search.p99 ?? null },
];
export const TARGET_DOCUMENTS = 10_000;
/** The slope is measured from this size … */
export const SLOPE_FROM = 100;
/** … and may grow by at most this factor up to N = 10,000. */
export const SLOPE_MAX = 1.5;

const kindLabel: Record<Kind, string> = {
  manifest: 'manifest',
  annotationPage: 'annotation page',
  collection: 'delo collection',
  search: 'search',
};

/** Every figure the slope compares, by label. */
/** Fewer samples than this, and a p99 is just the slowest of them: not a figure to compare. */
export const MIN_P99_SAMPLES = 100;

/** Every figure the slope compares, by label, with its sample count (null: not a sampled latency). */
function figures(row: Row): [string, number | null, string, number | null][] {
  const out: [string, number | null, string, number | null][] = [
    ['ready', row.readyMs, 'ms', null],
    ['RSS at ready', row.rssReady, 'MiB', null],
    ['RSS after the walk', row.measured?.rssAfterWalk ?? null, 'MiB', null],
  ];
  for (const phase of ['cold', 'warm'] as const) {
    for (const kind of kinds) {
      const l = row.measured?.[phase][kind];
      out.push(
        [`${kindLabel[kind]} ${phase} p50`, l?.count ? l.p50 : null, 'ms', null],
        [`${kindLabel[kind]} ${phase} p99`, l?.count ? l.p99 : null, 'ms', l?.count ?? 0],
      );
    }
  }
  return out;
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const cell = (l: Latency | undefined) => (l?.count ? `${ms(l.p50)} / ${ms(l.p99)}` : '-');
const value = (v: number, unit: string) => (unit === 'ms' ? `${ms(v)} ms` : `${v.toFixed(0)} ${unit}`);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}

export function growthTable(rows: readonly Row[]): string[] {
  const header = [
    'N',
    'leaves',
    'catalog',
    'ready',
    'RSS ready',
    'RSS walk',
    'RSS peak',
    'floor walk',
    'floor warm',
    ...kinds.flatMap((k) => [`${kindLabel[k]} cold`, `${kindLabel[k]} warm`]),
    'outcome',
  ];
  const body = rows.map((r) => [
    r.documents.toLocaleString('en'),
    r.leaves.toLocaleString('en'),
    typeof r.catalog === 'number' ? `${(r.catalog / 1000).toFixed(1)} s` : r.catalog,
    r.readyMs === null ? '-' : `${(r.readyMs / 1000).toFixed(2)} s`,
    r.rssReady === null ? '-' : `${r.rssReady.toFixed(0)} MiB`,
    r.measured ? `${r.measured.rssAfterWalk.toFixed(0)} MiB` : '-',
    r.rssPeak === null ? '-' : `${r.rssPeak.toFixed(0)} MiB`,
    cell(r.measured?.walkFloor),
    cell(r.measured?.floor),
    ...kinds.flatMap((k) => [cell(r.measured?.cold[k]), cell(r.measured?.warm[k])]),
    r.outcome,
  ]);
  return table(header, body);
}

/** The row the targets apply to: N = 10,000, else the largest N measured. */
export function targetRow(rows: readonly Row[]): Row | undefined {
  return rows.find((r) => r.documents === TARGET_DOCUMENTS) ?? [...rows].sort((a, b) => b.documents - a.documents)[0];
}

export function targetLines(rows: readonly Row[]): string[] {
  const row = targetRow(rows);
  if (!row) return [];
  const note = row.documents === TARGET_DOCUMENTS ? '' : ` (N = ${TARGET_DOCUMENTS.toLocaleString('en')} was not run)`;
  const lines = [`targets at N = ${row.documents.toLocaleString('en')}${note}:`];
  for (const t of targets) {
    const v = t.value(row);
    const verdict = v === null ? `FAIL (${row.outcome})` : v <= t.max ? 'PASS' : 'FAIL';
    const floorOfPhase = t.phase === 'cold' ? row.measured?.walkFloor : t.phase === 'warm' ? row.measured?.floor : undefined;
    const floor = v !== null && floorOfPhase?.count ? `  (${(v / floorOfPhase.p99).toFixed(1)}× the floor's p99)` : '';
    lines.push(`  ${t.label.padEnd(20)} ≤ ${value(t.max, t.unit).padEnd(8)} ${(v === null ? '-' : value(v, t.unit)).padStart(10)}  ${verdict}${floor}`);
  }
  const { walkFloor, floor } = row.measured ?? {};
  if (walkFloor?.count) lines.push(`  floor of the walk: /healthz, as often and as concurrent as the walk: ${ms(walkFloor.p50)} / ${ms(walkFloor.p99)} ms (p50 / p99).`);
  if (floor?.count) lines.push(`  floor of the warm phase: /healthz, as often and as concurrent as it: ${ms(floor.p50)} / ${ms(floor.p99)} ms (p50 / p99).`);
  if (walkFloor?.count || floor?.count) {
    lines.push('  No latency of a phase can be below its floor: a target under it measures the machine, not the service.');
  }
  return lines;
}

/** Each figure's growth from N = 100 to the target row, PASS when within SLOPE_MAX. */
export function slopeLines(rows: readonly Row[]): string[] {
  const from = rows.find((r) => r.documents === SLOPE_FROM);
  const to = targetRow(rows);
  if (!from || !to || to.documents <= SLOPE_FROM) return [`slope: needs N = ${SLOPE_FROM} and a larger N`];
  const lines = [`slope N = ${to.documents.toLocaleString('en')} / N = ${SLOPE_FROM} (within ${SLOPE_MAX}×):`];
  for (const r of [from, to]) {
    if (!r.measured) return [...lines, `  FAIL: N = ${r.documents.toLocaleString('en')} ${r.outcome}`];
  }
  const before = new Map(figures(from).map(([label, v, , n]) => [label, { v, n }]));
  for (const [label, v, unit, n] of figures(to)) {
    const b = before.get(label)?.v ?? null;
    const fewest = Math.min(n ?? Infinity, before.get(label)?.n ?? Infinity);
    if (b !== null && v !== null && fewest < MIN_P99_SAMPLES) {
      lines.push(`  ${label.padEnd(26)} ${value(b, unit).padStart(10)} → ${value(v, unit).padStart(10)}           n/a (${fewest} samples: a p99 needs ${MIN_P99_SAMPLES})`);
      continue;
    }
    if (b === null || v === null) {
      lines.push(`  ${label.padEnd(26)} ${'-'.padStart(10)} → ${'-'.padStart(10)}           FAIL (not measured)`);
      continue;
    }
    const ratio = b > 0 ? v / b : Infinity;
    lines.push(
      `  ${label.padEnd(26)} ${value(b, unit).padStart(10)} → ${value(v, unit).padStart(10)}  ${`${ratio.toFixed(2)}×`.padStart(7)}  ${ratio <= SLOPE_MAX ? 'PASS' : 'FAIL'}`,
    );
  }
  if (typeof from.catalog === 'number' && typeof to.catalog === 'number') {
    lines.push(`  catalog build (grows with N; for information) ${value(from.catalog, 'ms')} → ${value(to.catalog, 'ms')}  ${(to.catalog / from.catalog).toFixed(1)}×`);
  }
  return lines;
}
