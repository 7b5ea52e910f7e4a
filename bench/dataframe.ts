/**
 * npm run bench:dataframe — the DataFrame engine on `local[2]` against DuckDB (2 threads) and
 * arquero on the same data, already in memory:
 *   - groupBy(k).agg(count, sum, avg) over 10M rows with 100, 1,000 and 1,000,000 int keys and
 *     1,000 string keys;
 *   - an inner join of two 1M-row tables on int keys.
 * KINDLING_BENCH_SIZE sets the row count (default 10,000,000); KINDLING_BENCH_FILTER picks
 * sections (groupby, strings, join).
 */
import { Session, functions as F } from '../ts/src/index.js';
import { bar, report, saveResults, timeAsync, type Timing } from './harness.js';
import { fmix32, groupByData } from './data.js';
import { arqueroGroupBy, duckdbGroupBy, duckdbJoin } from './peers.js';

const N = Number(process.env.KINDLING_BENCH_SIZE ?? 10_000_000);
const FILTER = process.env.KINDLING_BENCH_FILTER ?? '';
const want = (s: string) => !FILTER || FILTER.split(',').some((f) => s.includes(f));
const results: Record<string, unknown> = { size: N };
const bars: ReturnType<typeof bar>[] = [];

const spark = await Session.builder().appName('bench').master('local[2]').getOrCreate();
console.log(`# kindling DataFrame bench: ${N.toLocaleString()} rows, master local[2], node ${process.version}`);

async function kindlingGroupBy(keys: Int32Array | string[], values: Float64Array, label: string): Promise<Timing> {
  // "data already in memory": cached partitions in shared memory, as the peers hold their tables
  const df = spark.createDataFrame({ k: keys, v: values }).cache();
  await df.count();
  const q = () => df.groupBy('k').agg(F.count('*'), F.sum('v'), F.avg('v')).partitions();
  const res = await q();
  const groups = res.reduce((s, b) => s + b.numRows, 0);
  return timeAsync(`kindling local[2] ${label}`, q, { reps: 7, warmup: 2, note: `${groups} groups` });
}

if (want('groupby')) {
  for (const k of [100, 1000, 1_000_000]) {
    const { keys, values } = groupByData(N, k);
    const rows = [await kindlingGroupBy(keys, values, 'groupBy(k).agg(count, sum, avg)')];
    rows.push(...(await duckdbGroupBy(N, k)));
    rows.push(...(await arqueroGroupBy(keys, values, k)));
    report(`groupBy over ${N.toLocaleString()} rows, ${k.toLocaleString()} int keys`, rows, { baseline: rows.find((r) => r.name.startsWith('DuckDB') && r.name.includes('2 threads'))?.name });
    results[`groupby_${k}`] = rows;
    const duck2 = rows.find((r) => r.name.startsWith('DuckDB') && r.name.includes('2 threads'));
    const aq = rows.find((r) => r.name.startsWith('arquero'));
    const ours = rows[0]!;
    if (duck2 && k === 1000) bars.push(bar('groupBy 1,000 keys >= 3x DuckDB (2 threads)', duck2.medianMs / ours.medianMs >= 3, `${(duck2.medianMs / ours.medianMs).toFixed(2)}x`));
    if (aq && k === 1000) bars.push(bar('groupBy 1,000 keys >= 50x arquero', aq.medianMs / ours.medianMs >= 50, `${(aq.medianMs / ours.medianMs).toFixed(1)}x`));
    if (duck2 && k === 1_000_000) bars.push(bar('groupBy 1,000,000 keys >= 5x DuckDB (2 threads)', duck2.medianMs / ours.medianMs >= 5, `${(duck2.medianMs / ours.medianMs).toFixed(2)}x`));
  }
}

if (want('strings')) {
  const k = 1000;
  const { keys, values } = groupByData(N, k);
  const names = Array.from({ length: k }, (_, i) => `key-${i}`);
  const skeys = Array.from(keys, (x) => names[x]!);
  const rows = [await kindlingGroupBy(skeys, values, 'groupBy(string k).agg(count, sum, avg)')];
  rows.push(...(await duckdbGroupBy(N, k, { stringKeys: true })));
  rows.push(...(await arqueroGroupBy(skeys, values, k)));
  report(`groupBy over ${N.toLocaleString()} rows, ${k} string keys`, rows, { baseline: rows.find((r) => r.name.includes('2 threads'))?.name });
  results.groupby_strings = rows;
}

if (want('join')) {
  const n = Math.min(N, 1_000_000);
  const ak = Int32Array.from({ length: n }, (_, i) => fmix32(i) % n);
  const ax = Float64Array.from({ length: n }, (_, i) => i);
  const bk = Int32Array.from({ length: n }, (_, i) => i);
  const by = Float64Array.from({ length: n }, (_, i) => i * 2);
  const a = spark.createDataFrame({ k: ak, x: ax }).cache();
  const b = spark.createDataFrame({ k: bk, y: by }).cache();
  await a.count();
  await b.count();
  const q = () => a.join(b, 'k').partitions();
  const out = await q();
  const rowsOut = out.reduce((s, p) => s + p.numRows, 0);
  const rows = [await timeAsync('kindling local[2] a.join(b, "k")', q, { reps: 3, warmup: 1, note: `${rowsOut} rows` })];
  rows.push(...(await duckdbJoin(n)));
  report(`inner join ${n.toLocaleString()} x ${n.toLocaleString()} rows on int keys`, rows, { baseline: rows.find((r) => r.name.includes('DuckDB'))?.name });
  results.join = rows;
}

results.bars = bars;
console.log(`\n# results: ${saveResults('dataframe', results)}`);
await spark.stop();
