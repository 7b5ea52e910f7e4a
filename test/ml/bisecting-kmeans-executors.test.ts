// BisectingKMeans on the executors (docs/ARCHITECTURE.md, "Training data stays where it lives"):
// the same model on `local` and `local[2]` (large enough for the pool's worker threads to run
// the tasks, so each row's cluster index is updated in place in shared memory), from 1 or 4
// partitions; computeCost and the summary's sizes from one pass; and the bytes moved per level do
// not grow with the rows (only centres and per-child sums travel).
import t from 'tap';
import * as arrow from 'apache-arrow';
import { Session } from '../../ts/src/index.js';
import { BisectingKMeans, denseVectorColumn, type BisectingKMeansModel } from '../../ts/ml/index.js';
import { mulberry32 } from '../reference/rng.js';

/** n rows around four centres (two far groups of two blobs), with a weight column. */
function blobs(n: number, seed: number): { x: Float64Array; w: Float64Array } {
  const r = mulberry32(seed);
  const centres = [[0, 0], [0, 20], [100, 0], [100, 20]];
  const x = new Float64Array(n * 2);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 4]!;
    x[2 * i] = c[0]! + 4 * (r() - 0.5);
    x[2 * i + 1] = c[1]! + 4 * (r() - 0.5);
    w[i] = 1 + (i % 3);
  }
  return { x, w };
}

function frame(spark: Session, x: Float64Array, w: Float64Array, parts: number) {
  const b = new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, 2) as never), w: arrow.makeVector(w) }).batches[0]!;
  const n = w.length;
  return spark.createDataFrame(new arrow.Table(Array.from({ length: parts }, (_, p) => b.slice(Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)))));
}

const centres = (m: BisectingKMeansModel) => m.clusterCenters.map((c) => Array.from(c.values));

function sameCentres(t: { ok(v: unknown, m: string): unknown }, a: number[][], b: number[][], msg: string): void {
  t.ok(a.length === b.length && a.every((row, i) => row.every((v, j) => Math.abs(v - b[i]![j]!) <= 1e-9 * Math.max(1, Math.abs(v)))), msg);
}

t.test('local and local[2], 1 and 4 partitions: the same tree, sizes and costs', async (t) => {
  const n = 60_000;
  const { x, w } = blobs(n, 7);
  const results: Array<{ label: string; centres: number[][]; sizes: number[]; cost: number; weightedCost: number; shape: unknown }> = [];
  for (const master of ['local', 'local[2]']) {
    const spark = await Session.builder().master(master).getOrCreate();
    try {
      for (const parts of [1, 4]) {
        const df = frame(spark, x, w, parts);
        const m = await new BisectingKMeans({ k: 5, seed: 11, maxIter: 5 }).fit(df);
        const shape = (nd: BisectingKMeansModel['root']): unknown => (nd.children.length ? [nd.index, nd.size, nd.children.map(shape)] : [nd.index, nd.size]);
        const weighted = await new BisectingKMeans({ k: 5, seed: 11, maxIter: 5, weightCol: 'w' }).fit(df);
        results.push({ label: `${master}, ${parts} partition(s)`, centres: centres(m), sizes: m.summary.clusterSizes, cost: await m.computeCost(df), weightedCost: await weighted.computeCost(df), shape: shape(m.root) });
      }
    } finally {
      await spark.stop();
    }
  }
  const [first, ...rest] = results;
  t.equal(first!.sizes.reduce((a, b) => a + b, 0), n);
  t.equal(first!.centres.length, 5);
  for (const r of rest) {
    sameCentres(t, r.centres, first!.centres, `${r.label}: the centres of ${first!.label}`);
    t.same(r.sizes, first!.sizes, `${r.label}: the cluster sizes`);
    t.same(r.shape, first!.shape, `${r.label}: the tree`);
    t.ok(Math.abs(r.cost - first!.cost) <= 1e-9 * first!.cost, `${r.label}: computeCost ${r.cost}`);
    t.ok(Math.abs(r.weightedCost - first!.weightedCost) <= 1e-9 * first!.weightedCost, `${r.label}: weighted computeCost ${r.weightedCost}`);
  }
});

t.test('local[2]: bytes moved per level do not grow with the number of rows', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const perLevel: number[][] = [];
  for (const n of [60_000, 240_000]) {
    const { x, w } = blobs(n, 3);
    const df = frame(spark, x, w, 2).cache();
    t.equal(await df.count(), n);
    const marks: number[] = [];
    const m = await new BisectingKMeans({ k: 4, seed: 5, maxIter: 4 }).fit(df, undefined, {
      onProgress: () => marks.push(spark.metrics.bytesToExecutors + spark.metrics.bytesFromExecutors),
    });
    t.same(m.summary.clusterSizes, [n / 4, n / 4, n / 4, n / 4], 'the four blobs');
    perLevel.push(marks.slice(1).map((b, i) => b - marks[i]!));
  }
  t.equal(perLevel[0]!.length, 1, 'two levels: one interval');
  t.same(perLevel[1], perLevel[0], 'the same bytes per level for 4x the rows');
  t.ok(perLevel[0]!.every((b) => b > 0 && b < 64 * 1024), `per level: ${perLevel[0]!.join(', ')} bytes`);
});
