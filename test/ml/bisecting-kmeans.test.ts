// BisectingKMeans / BisectingKMeansModel: PySpark's doctest (weights), Spark's documentation
// example, a hierarchical blob set whose tree (pre-order leaf / internal numbering, sizes,
// costs, heights) is checked by hand, Spark's divisibility rules (minDivisibleClusterSize,
// largest clusters first, no split of a zero-cost cluster), tree-walk prediction, partitions and
// seeds, the cosine measure, the partition-summary algebra, errors, and Spark's persistence
// layout (mllib's BisectingKMeansModel format 3.0 under data/, older versions read).
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import { Session } from '../../ts/src/index.js';
import { localContext } from '../../ts/src/exec/task.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import {
  BisectingKMeans, BisectingKMeansModel, bisectStepSummary, ClusteringEvaluator, Vectors, denseVectorColumn, readMetadata,
  type ClusteringTreeNode, type BisectBroadcast, type BisectPartition,
} from '../../ts/ml/index.js';
import { mulberry32 } from '../reference/rng.js';

const spark = await Session.builder().appName('bisecting-kmeans-test').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());
const tmp = mkdtempSync(join(tmpdir(), 'kindling-bkm-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

type TestLike = { ok(value: unknown, message: string): unknown };

function close(t: TestLike, a: number, e: number, msg: string, tol = 1e-12): void {
  t.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${msg} (got ${a}, expected ${e})`);
}

function frame(x: Float64Array, d: number, parts = 2, extra: Record<string, Float64Array> = {}): DataFrame {
  const table = new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, d) as never), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, arrow.makeVector(v)])) });
  const n = x.length / d;
  const b = table.batches[0]!;
  const batches = Array.from({ length: parts }, (_, p) => b.slice(Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)));
  const df = spark.createDataFrame(new arrow.Table(batches));
  return parts === 1 ? df.repartition(1) : df;
}

const centersOf = (m: BisectingKMeansModel) => m.clusterCenters.map((c) => Array.from(c.values));

/** Two far groups (around x = 0 and x = 100), each of two sub-blobs (y = 0 / y = 20); sizes 40, 30 | 20, 10. */
function hierarchical(): { x: Float64Array; truth: number[] } {
  const r = mulberry32(4);
  const blobs: Array<[number, number, number]> = [[0, 0, 40], [0, 20, 30], [100, 0, 20], [100, 20, 10]];
  const pts: number[] = [];
  const truth: number[] = [];
  for (let round = 0; round < 40; round++) {
    blobs.forEach(([cx, cy, n], b) => {
      if (round < n) {
        pts.push(cx + 2 * (r() - 0.5), cy + 2 * (r() - 0.5));
        truth.push(b);
      }
    });
  }
  return { x: Float64Array.from(pts), truth };
}

function mean(x: Float64Array, rows: number[], d: number): number[] {
  const m = new Array<number>(d).fill(0);
  for (const i of rows) for (let t = 0; t < d; t++) m[t]! += x[i * d + t]!;
  return m.map((v) => v / rows.length);
}

t.test('params: Spark names, docs and defaults', async (t) => {
  const b = new BisectingKMeans();
  t.same([b.getK(), b.getMaxIter(), b.getMinDivisibleClusterSize(), b.getDistanceMeasure(), b.getFeaturesCol(), b.getPredictionCol(), b.getWeightCol()], [4, 20, 1, 'euclidean', 'features', 'prediction', undefined]);
  t.equal(b.getSeed(), 566573821, "the Scala class name's hashCode (OpenJDK)");
  t.match(b.explainParams(), /^k: The desired number of leaf clusters\. Must be > 1\. \(default: 4\)$/m);
  t.match(b.explainParams(), /^minDivisibleClusterSize: The minimum number of points \(if >= 1\.0\) or the minimum proportion of points \(if < 1\.0\) of a divisible cluster\. \(default: 1\)$/m);
  t.throws(() => new BisectingKMeans({ k: 1 }), /BisectingKMeans: expected integer > 1 for k/);
  t.throws(() => new BisectingKMeans({ minDivisibleClusterSize: 0 }), /expected a number > 0 for minDivisibleClusterSize/);
});

t.test("PySpark's doctest: weighted points, k = 2, maxIter 10", async (t) => {
  const df = spark.createDataFrame([
    { features: Vectors.dense(0, 0), weighCol: 2 },
    { features: Vectors.dense(1, 1), weighCol: 2 },
    { features: Vectors.dense(9, 8), weighCol: 2 },
    { features: Vectors.dense(8, 9), weighCol: 2 },
  ]);
  const bkm = new BisectingKMeans({ k: 2, minDivisibleClusterSize: 1.0 }).setMaxIter(10).setWeightCol('weighCol');
  const model = await bkm.fit(df);
  t.equal(model.getMaxIter(), 10);
  model.setPredictionCol('newPrediction');
  t.equal(model.predict(Vectors.dense(0, 0)), 0);
  t.equal(model.clusterCenters.length, 2);
  t.equal(model.hasSummary, true);
  const s = model.summary;
  t.equal(s.k, 2);
  t.same(s.clusterSizes, [2, 2]);
  close(t, s.trainingCost, 4.0, 'trainingCost 4.000...');
  t.equal(s.numIter, 10);
  const rows = await model.transform(df).select('features', 'newPrediction').collect();
  t.equal(rows[0]!.newPrediction, rows[1]!.newPrediction);
  t.equal(rows[2]!.newPrediction, rows[3]!.newPrediction);
  close(t, await model.computeCost(df), 4.0, 'computeCost (weighted)');
});

t.test("Spark's documentation example (sample_kmeans_data, k = 2, seed 1): centres [0.1 …] then [9.1 …]", async (t) => {
  const pts = [[0, 0, 0], [0.1, 0.1, 0.1], [0.2, 0.2, 0.2], [9, 9, 9], [9.1, 9.1, 9.1], [9.2, 9.2, 9.2]];
  const df = spark.createDataFrame(pts.map((p) => ({ features: Vectors.dense(p) })));
  const model = await new BisectingKMeans({ k: 2, seed: 1 }).fit(df);
  const c = centersOf(model);
  for (let t2 = 0; t2 < 3; t2++) {
    close(t, c[0]![t2]!, 0.1, 'centre 0');
    close(t, c[1]![t2]!, 9.1, 'centre 1');
  }
  const sil = await new ClusteringEvaluator().evaluate(model.transform(df));
  close(t, sil, 0.9997530305375207, "the documented silhouette", 1e-12);
});

t.test('a hierarchical blob set: the tree numbered, sized and costed as Spark builds it', async (t) => {
  const { x, truth } = hierarchical();
  const df = frame(x, 2, 3);
  const events: Array<[number, number, string]> = [];
  const m = await new BisectingKMeans({ k: 4, seed: 3 }).fit(df, undefined, { onProgress: (e) => events.push([e.current, e.total, e.message!]) });
  t.same(events, [[1, 3, 'level 1: 1 cluster(s) divided, 2 leaves'], [2, 3, 'level 2: 2 cluster(s) divided, 4 leaves']], 'one progress event per level');
  const root = m.root;
  // pre-order: root -1, left group -2 with leaves 0, 1, right group -3 with leaves 2, 3
  const shape = (n: ClusteringTreeNode): unknown => (n.children.length ? [n.index, n.children.map(shape)] : n.index);
  t.same(shape(root), [-1, [[-2, [0, 1]], [-3, [2, 3]]]]);
  t.equal(root.size, 100);
  const byBlob = [0, 1, 2, 3].map((b) => truth.flatMap((tb, i) => (tb === b ? [i] : [])));
  const leaves = centersOf(m);
  // the left child of the root is the group nearer the origin (centre - level·noise), and each group's left leaf is y ≈ 0
  for (const [leaf, blob] of [[0, 0], [1, 1], [2, 2], [3, 3]] as const) {
    const want = mean(x, byBlob[blob]!, 2);
    close(t, leaves[leaf]![0]!, want[0]!, `leaf ${leaf} x`, 1e-9);
    close(t, leaves[leaf]![1]!, want[1]!, `leaf ${leaf} y`, 1e-9);
  }
  const [left, right] = root.children as [ClusteringTreeNode, ClusteringTreeNode];
  t.same([left.size, right.size, ...left.children.map((c) => c.size), ...right.children.map((c) => c.size)], [70, 30, 40, 30, 20, 10]);
  // costs: Σ squared distances to the centre; heights: the largest Euclidean distance to a child's centre
  for (const [node, rows] of [[left.children[0]!, byBlob[0]!], [right.children[1]!, byBlob[3]!]] as const) {
    const c = mean(x, rows, 2);
    const cost = rows.reduce((s, i) => s + (x[i * 2]! - c[0]!) ** 2 + (x[i * 2 + 1]! - c[1]!) ** 2, 0);
    close(t, node.cost, cost, `leaf ${node.index} cost`, 1e-9);
    t.equal(node.height, 0);
  }
  const h = Math.max(...root.children.map((c) => Math.hypot(c.center[0]! - root.center[0]!, c.center[1]! - root.center[1]!)));
  close(t, root.height, h, 'root height');
  close(t, m.summary.trainingCost, root.children.flatMap((c) => c.children).reduce((s, l) => s + l.cost, 0), 'trainingCost = Σ leaf costs');
  close(t, await m.computeCost(df), m.summary.trainingCost, 'computeCost = trainingCost here', 1e-9);
  t.same(m.summary.clusterSizes, [40, 30, 20, 10]);
  const pred = (await m.transform(df).collect()).map((r) => r.prediction);
  t.same(pred, truth, 'every row in its blob');
  t.equal(m.predict([99, 19]), 3);
});

t.test('divisibility: the larger clusters first, minDivisibleClusterSize, zero-cost clusters, fewer leaves than k', async (t) => {
  const { x } = hierarchical();
  const df = frame(x, 2, 2);
  const m3 = await new BisectingKMeans({ k: 3, seed: 3 }).fit(df);
  t.same(m3.summary.clusterSizes, [40, 30, 30], 'with one split left, the larger group (70 rows) is divided');
  const big = await new BisectingKMeans({ k: 4, seed: 3, minDivisibleClusterSize: 41 }).fit(df);
  t.same(big.summary.clusterSizes, [40, 30, 30, 0], 'with minDivisibleClusterSize 41 only the 70-row group divides; then nothing is divisible');
  t.equal(big.clusterCenters.length, 3);
  const frac = await new BisectingKMeans({ k: 4, seed: 3, minDivisibleClusterSize: 0.41 }).fit(df);
  t.same(frac.summary.clusterSizes, big.summary.clusterSizes, 'a fraction of the rows (ceil(0.41 x 100) = 41)');
  const mid = await new BisectingKMeans({ k: 4, seed: 3, minDivisibleClusterSize: 31 }).fit(df);
  t.same(mid.summary.clusterSizes.slice(2), [30, 30], 'with 31, the 30-row group stays a leaf at level 2 and the 40-row blob is split at level 3');
  t.equal(mid.summary.clusterSizes[0]! + mid.summary.clusterSizes[1]!, 40);
  const dup = spark.createDataFrame([[1, 1], [1, 1], [1, 1], [5, 5], [5, 5]].map((p) => ({ features: Vectors.dense(p) })));
  const md = await new BisectingKMeans({ k: 4 }).fit(dup);
  t.equal(md.clusterCenters.length, 2, 'clusters of identical points (cost 0) are not divided');
  t.same(md.summary.clusterSizes, [3, 2, 0, 0]);
});

t.test('prediction walks the tree (not the nearest leaf overall)', async (t) => {
  const leaf = (index: number, c: number[]): ClusteringTreeNode => ({ index, size: 1, center: Float64Array.from(c), norm: Math.hypot(...c), cost: 0, height: 0, children: [] });
  const root: ClusteringTreeNode = {
    index: -1, size: 4, center: Float64Array.of(5, 0), norm: 5, cost: 1, height: 5,
    children: [
      { index: -2, size: 2, center: Float64Array.of(0, 0), norm: 0, cost: 1, height: 4, children: [leaf(0, [-4, 0]), leaf(1, [4, 0])] },
      { index: -3, size: 2, center: Float64Array.of(10, 0), norm: 10, cost: 1, height: 1, children: [leaf(2, [9, 0]), leaf(3, [11, 0])] },
    ],
  };
  const m = new BisectingKMeansModel({ root });
  t.equal(m.predict([4.9, 0]), 1, 'nearer the left group centre: leaf 1');
  t.equal(m.predict([5.1, 0]), 2, 'nearer the right group centre, though leaf 1 (at 4) is nearer than leaf 2 (at 9)');
  t.same(centersOf(m), [[-4, 0], [4, 0], [9, 0], [11, 0]]);
  t.equal(m.trainingCost, 0);
});

t.test('1, 2 and 5 partitions, same seed → same model; weights; cosine', async (t) => {
  const r = mulberry32(12);
  const n = 300;
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) x[i * 3 + j] = (i % 5) * (j === i % 3 ? 3 : 1) + r();
  const models = [];
  for (const parts of [1, 2, 5]) models.push(await new BisectingKMeans({ k: 5, seed: 9 }).fit(frame(x, 3, parts)));
  for (const m of models.slice(1)) {
    const a = centersOf(m);
    const b = centersOf(models[0]!);
    t.ok(a.every((row, i) => row.every((v, j) => Math.abs(v - b[i]![j]!) < 1e-9)), 'same centres');
    t.same(m.summary.clusterSizes, models[0]!.summary.clusterSizes);
  }
  const again = await new BisectingKMeans({ k: 5, seed: 9 }).fit(frame(x, 3, 2));
  t.same(centersOf(again), centersOf(models[1]!), 'same seed, identical model');
  const w = Float64Array.from({ length: n }, (_, i) => (i < 60 ? 50 : 1));
  const weighted = await new BisectingKMeans({ k: 5, seed: 9, weightCol: 'w' }).fit(frame(x, 3, 2, { w }));
  t.notSame(centersOf(weighted), centersOf(models[1]!), 'weights move the centres');
  const cos = await new BisectingKMeans({ k: 3, seed: 9, distanceMeasure: 'cosine' }).fit(frame(x.map((v) => v + 0.5), 3, 2));
  for (const c of centersOf(cos)) close(t, Math.hypot(...c), 1, 'cosine centres have unit length');
  t.equal(cos.clusterCenters.length, 3);
  const saved = join(tmp, 'cosine');
  await cos.save(saved);
  const back = await BisectingKMeansModel.load(saved);
  t.equal(back.getDistanceMeasure(), 'cosine');
  t.same(centersOf(back), centersOf(cos));
  t.equal(JSON.parse(readFileSync(join(saved, 'data/metadata/part-00000'), 'utf8')).distanceMeasure, 'cosine');
});

t.test('bisectStepSummary: zero is the identity, splits of a partition merge to the whole', async (t) => {
  const r = mulberry32(2);
  const n = 50;
  const x = Float64Array.from({ length: n * 2 }, () => r() * 10);
  const assign = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2 : 3));
  const b: BisectBroadcast = { d: 2, measure: 'euclidean', parents: Float64Array.of(2, 3), centers: Float64Array.of(1, 1, 9, 9, 2, 8, 8, 2), exists: Uint8Array.of(1, 1, 1, 0) };
  const whole = bisectStepSummary.add(bisectStepSummary.zero(b), [{ x, w: null, n, d: 2 }, assign], b, localContext());
  const parts: BisectPartition[] = [0, 17, 31].map((lo, i) => {
    const hi = [17, 31, n][i]!;
    return [{ x: x.subarray(lo * 2, hi * 2), w: null, n: hi - lo, d: 2 }, assign.subarray(lo, hi)];
  });
  const merged = parts.map((p, i) => bisectStepSummary.add(bisectStepSummary.zero(b), p, b, localContext(i))).reduce((acc, s) => bisectStepSummary.merge(acc, s), bisectStepSummary.zero(b));
  t.same(Array.from(merged.counts), Array.from(whole.counts));
  t.ok(merged.sums.every((v, i) => Math.abs(v - whole.sums[i]!) < 1e-9));
  const z = bisectStepSummary.merge(bisectStepSummary.zero(b), whole);
  t.same(Array.from(z.weights), Array.from(whole.weights));
  t.equal(whole.counts[3], 0, 'a child that does not exist gets no rows');
  t.equal(whole.counts.reduce((a, v) => a + v, 0), n);
});

t.test('errors', async (t) => {
  await t.rejects(new BisectingKMeans({ maxIter: 0 }).fit(frame(Float64Array.of(1, 2, 3, 4), 2, 1)), /BisectingKMeans: expected an integer >= 1 .* for maxIter, got 0/);
  await t.rejects(new BisectingKMeans().fit(spark.createDataFrame([], 'features vector')), { message: 'BisectingKMeans: the DataFrame has no rows (column features); clustering needs at least one point' });
  await t.rejects(new BisectingKMeans().fit(frame(Float64Array.of(1, 2, NaN, 4), 2, 1)), /BisectingKMeans: row 1 of column features has a non-finite value \(NaN\) at index 0/);
  await t.rejects(new BisectingKMeans({ distanceMeasure: 'cosine' }).fit(frame(Float64Array.of(1, 2, 0, 0), 2, 1)), /row 1 of column features is a zero vector/);
  await t.rejects(new BisectingKMeans().fit(spark.createDataFrame([{ features: Vectors.dense(1), prediction: 1 }])), /BisectingKMeans: Column prediction already exists/);
  t.throws(() => new BisectingKMeansModel().clusterCenters, { code: 'ERR_KINDLING_NOT_FITTED' });
  t.throws(() => new BisectingKMeansModel().summary, { code: 'ERR_KINDLING_NOT_FITTED' });
});

t.test("persistence: Spark's layout (mllib format 3.0 under data/), round trip, older versions", async (t) => {
  const { x } = hierarchical();
  const df = frame(x, 2, 2);
  const est = new BisectingKMeans({ k: 4, seed: 3, predictionCol: 'leaf' });
  const m = await est.fit(df);
  const dir = join(tmp, 'model');
  await m.save(dir);
  const md = await readMetadata(dir);
  t.equal(md.className, 'org.apache.spark.ml.clustering.BisectingKMeansModel');
  t.same(md.paramMap, { k: 4, predictionCol: 'leaf', seed: 3 });
  t.equal(md.defaultParamMap!.minDivisibleClusterSize, 1);
  t.match(readFileSync(join(dir, 'metadata/part-00000'), 'utf8'), /"minDivisibleClusterSize":1\.0/);
  const mllib = JSON.parse(readFileSync(join(dir, 'data/metadata/part-00000'), 'utf8'));
  t.same(Object.keys(mllib), ['class', 'version', 'rootId', 'distanceMeasure', 'trainingCost']);
  t.same([mllib.class, mllib.version, mllib.rootId, mllib.distanceMeasure], ['org.apache.spark.mllib.clustering.BisectingKMeansModel', '3.0', -1, 'euclidean']);
  close(t, mllib.trainingCost, m.summary.trainingCost, 'trainingCost');
  const file = readdirSync(join(dir, 'data/data')).find((f) => f.endsWith('.snappy.parquet'))!;
  const buf = readFileSync(join(dir, 'data/data', file));
  const pm = parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const rowMd = JSON.parse(pm.key_value_metadata!.find((kv) => kv.key === 'org.apache.spark.sql.parquet.row.metadata')!.value!);
  t.same(rowMd.fields.map((f: { name: string }) => f.name), ['index', 'size', 'center', 'norm', 'cost', 'height', 'children']);
  t.same(rowMd.fields.map((f: { type: unknown }) => (typeof f.type === 'string' ? f.type : (f.type as { type: string }).type)), ['integer', 'long', 'udt', 'double', 'double', 'double', 'array']);
  t.equal(rowMd.fields[2].type.class, 'org.apache.spark.mllib.linalg.VectorUDT', "mllib's VectorUDT, as its Data case class holds an mllib Vector");
  const back = await BisectingKMeansModel.load(dir);
  t.equal(back.uid, m.uid);
  t.same(centersOf(back), centersOf(m));
  t.equal(back.getPredictionCol(), 'leaf');
  t.same(back.root.index, -1);
  t.same((await back.transform(df).collect()).map((r) => r.leaf), (await m.transform(df).collect()).map((r) => r.leaf));
  close(t, back.trainingCost, m.summary.trainingCost, 'trainingCost read back');
  // format 1.0 (Spark 2.x): no distanceMeasure, no trainingCost
  writeFileSync(join(dir, 'data/metadata/part-00000'), `{"class":"org.apache.spark.mllib.clustering.BisectingKMeansModel","version":"1.0","rootId":-1}\n`);
  const old = await BisectingKMeansModel.load(dir);
  t.same(centersOf(old), centersOf(m));
  close(t, old.trainingCost, m.summary.trainingCost, 'trainingCost from the leaves', 1e-9);
  const edir = join(tmp, 'estimator');
  await est.save(edir);
  const e2 = await BisectingKMeans.load(edir);
  t.same([e2.uid, e2.getK(), e2.getSeed(), e2.getPredictionCol()], [est.uid, 4, 3, 'leaf']);
  t.equal((await readMetadata(edir)).className, 'org.apache.spark.ml.clustering.BisectingKMeans');
});
