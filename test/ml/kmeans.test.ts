// KMeans / KMeansModel: scikit-learn's Lloyd from the same fixed centres (iris, iris weighted,
// a 5,000-point blob set, a 3-iteration cut), 1/2/5 partitions, seeds, the pure update, the
// cosine measure against a hand computation, k-means|| and random init, fewer distinct points
// than k, errors naming the column and row, transform/predict, and Spark persistence (round
// trips and the Spark 3.3.1 / 3.5.5 fixtures, whose predictions are checked by hand).
//
// scikit-learn 1.2.1 results: test/fixtures/ml/kmeans-sklearn.json, written by
// test/fixtures/ml/kmeans_sklearn.py (the blob generator below is the script's, step for step).
import t from 'tap';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import { Session } from '../../ts/src/index.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import { KMeans, KMeansModel, Vectors, denseVectorColumn, kmeansUpdateCenters, readData, readMetadata, writeData, writeMetadata, Pipeline, PipelineModel } from '../../ts/ml/index.js';
import { JavaRandom, uniformAt } from '../../ts/ml/clustering/kmeans-common.js';
import { kMeansPlusPlus } from '../../ts/ml/clustering/kmeans-init.js';
import type { ProgressEvent } from '../../ts/ml/stage.js';
import { mulberry32 } from '../reference/rng.js';

const sk = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/ml/kmeans-sklearn.json', import.meta.url)), 'utf8'));
const SPARK = fileURLToPath(new URL('../../../shared/fixtures/spark-models/', import.meta.url));

const spark = await Session.builder().appName('kmeans-test').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());
const tmp = mkdtempSync(join(tmpdir(), 'kindling-kmeans-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

type TestLike = { ok(value: unknown, message: string): unknown };

function close(t: TestLike, a: number, e: number, msg: string, tol = 1e-12): void {
  t.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${msg} (got ${a}, expected ${e})`);
}

function closeMatrix(t: TestLike, a: ArrayLike<ArrayLike<number>>, e: ArrayLike<ArrayLike<number>>, msg: string, tol = 1e-12): void {
  t.ok(a.length === e.length, `${msg}: ${a.length} rows, expected ${e.length}`);
  let worst = 0;
  for (let i = 0; i < e.length; i++) for (let j = 0; j < e[i]!.length; j++) worst = Math.max(worst, Math.abs(a[i]![j]! - e[i]![j]!) / Math.max(1, Math.abs(e[i]![j]!)));
  t.ok(worst <= tol, `${msg}: largest relative difference ${worst} <= ${tol}`);
}

const centersOf = (m: KMeansModel) => m.clusterCenters.map((c) => Array.from(c.values));

/** A DataFrame of row-major points (n x d) in `parts` contiguous partitions (row order kept). */
function frame(x: Float64Array, d: number, parts = 2, extra: Record<string, Float64Array> = {}): DataFrame {
  const table = new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, d) as never), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, arrow.makeVector(v)])) });
  const n = x.length / d;
  const b = table.batches[0]!;
  const batches = Array.from({ length: parts }, (_, p) => b.slice(Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)));
  const df = spark.createDataFrame(new arrow.Table(batches));
  return parts === 1 ? df.repartition(1) : df;
}

const irisRows = readFileSync(fileURLToPath(new URL('../fixtures/data/iris.csv', import.meta.url)), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).map(Number));
const iris = Float64Array.from(irisRows.flat());
const irisW = Float64Array.from(irisRows, (_, i) => 1 + (i % 3));

/** The fixture script's blobs: centres 4u - 2, points centre + 1.5 (u1 + u2 + u3 + u4 - 2), mulberry32(7). */
function blobs(n = 5000, d = 5, centres = 6, seed = 7): Float64Array {
  const r = mulberry32(seed);
  const c = Array.from({ length: centres }, () => Array.from({ length: d }, () => 4 * r() - 2));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const cj = c[i % centres]!;
    for (let t = 0; t < d; t++) x[i * d + t] = cj[t]! + 1.5 * (r() + r() + r() + r() - 2);
  }
  return x;
}
const blob = blobs();

// ----- params -------------------------------------------------------------------------------------

t.test('params: Spark names, docs, defaults and validation', async (t) => {
  const km = new KMeans();
  t.equal(km.getK(), 2);
  t.equal(km.getMaxIter(), 20);
  t.equal(km.getTol(), 1e-4);
  t.equal(km.getInitMode(), 'k-means||');
  t.equal(km.getInitSteps(), 2);
  t.equal(km.getDistanceMeasure(), 'euclidean');
  t.equal(km.getFeaturesCol(), 'features');
  t.equal(km.getPredictionCol(), 'prediction');
  t.equal(km.getWeightCol(), undefined);
  t.equal(km.getSeed(), -1689246527, "the default seed is the Scala class name's hashCode (Spark 3.0.3 fixture)");
  t.match(km.uid, /^KMeans_[0-9a-f]{12}$/);
  t.match(km.explainParams(), /^k: The number of clusters to create\. Must be > 1\. \(default: 2\)$/m);
  t.match(km.explainParams(), /^initMode: The initialization algorithm\. Supported options: 'random' and 'k-means\|\|'\. \(default: k-means\|\|\)$/m);
  const set = new KMeans({ k: 5, maxIter: 7, tol: 0, seed: 42, initMode: 'random', distanceMeasure: 'cosine', weightCol: 'w' });
  t.same([set.getK(), set.getMaxIter(), set.getTol(), set.getSeed(), set.getInitMode(), set.getDistanceMeasure(), set.getWeightCol()], [5, 7, 0, 42, 'random', 'cosine', 'w']);
  t.throws(() => new KMeans({ k: 1 }), { message: 'KMeans: expected integer > 1 for k, got 1 (number)' });
  t.throws(() => new KMeans({ k: 2.5 }), /expected integer > 1 for k, got 2\.5/);
  t.throws(() => new KMeans({ initMode: 'kmeans++' as never }), /expected one of random, k-means\|\| for initMode/);
  t.throws(() => new KMeans({ distanceMeasure: 'manhattan' as never }), /expected one of euclidean, cosine for distanceMeasure/);
  t.throws(() => new KMeans({ initSteps: 0 }), /expected integer > 0 for initSteps/);
  t.throws(() => new KMeans({ initialModel: [[1, 2], [3]] }), /expected a KMeansModel or a non-empty array of centres .* for initialModel/);
  t.throws(() => new KMeans({ nope: 1 } as never), /KMeans: expected param names among .* for options, got "nope"/);
  const copy = set.copy();
  t.equal(copy.uid, set.uid);
  t.equal(copy.getK(), 5);
});

// ----- against scikit-learn -----------------------------------------------------------------------

t.test('iris from fixed centres: the centres, cost, labels and sizes of scikit-learn Lloyd', async (t) => {
  const ref = sk.iris;
  const df = frame(iris, 4);
  const events: ProgressEvent[] = [];
  const m = await new KMeans({ k: 3, initialModel: ref.C0, tol: 0, maxIter: 300 }).fit(df, undefined, { onProgress: (e) => events.push(e) });
  closeMatrix(t, centersOf(m), ref.centers, 'centres');
  close(t, await m.computeCost(df), ref.inertia, 'computeCost = inertia_');
  close(t, m.summary.trainingCost, ref.inertia, 'converged: the last assignment cost is the inertia');
  t.ok(m.summary.numIter >= ref.nIter && m.summary.numIter <= ref.nIter + 1, `numIter ${m.summary.numIter} (sklearn ${ref.nIter}; Spark counts the confirming iteration)`);
  const labels = (await m.transform(df).collect()).map((r) => r.prediction);
  t.same(labels, ref.labels, 'labels');
  const sizes = [0, 0, 0];
  for (const l of ref.labels as number[]) sizes[l]!++;
  t.same(m.summary.clusterSizes, sizes);
  t.equal(m.summary.k, 3);
  t.same((await m.summary.cluster.collect()).map((r) => r.prediction), ref.labels);
  t.equal(events.length, m.summary.numIter);
  t.same(events.map((e) => [e.kind, e.current, e.total, e.stage]), events.map((_, i) => ['iteration', i + 1, 300, m.uid]));
  t.match(events.at(-1)!.message!, /\(converged\)$/);
  t.equal(m.parent?.uid, m.uid);
  t.equal(m.hasSummary, true);
});

t.test('iris with weightCol: scikit-learn with sample_weight', async (t) => {
  const ref = sk.irisWeighted;
  const df = frame(iris, 4, 3, { w: irisW });
  const m = await new KMeans({ k: 3, initialModel: ref.C0, tol: 0, maxIter: 300, weightCol: 'w' }).fit(df);
  closeMatrix(t, centersOf(m), ref.centers, 'weighted centres');
  close(t, await m.computeCost(df), ref.inertia, 'weighted inertia');
  close(t, m.summary.trainingCost, ref.inertia, 'weighted training cost');
  t.same(m.summary.clusterSizes.reduce((a, b) => a + b, 0), 150, 'cluster sizes count rows, not weights');
  const unweighted = await new KMeans({ k: 3, initialModel: ref.C0, tol: 0, maxIter: 300 }).fit(df);
  t.notSame(centersOf(unweighted), centersOf(m), 'the weights matter');
});

t.test('5,000 blob points: scikit-learn to convergence and after 3 iterations', async (t) => {
  t.equal(blob.reduce((a, b) => a + b, 0), sk.blobs.checksum, 'the test generates the fixture script\'s points (checksum)');
  t.same(Array.from(blob.subarray(0, 5)), sk.blobs.first);
  t.same(Array.from(blob.subarray(blob.length - 5)), sk.blobs.last);
  const df = frame(blob, 5, 4);
  const m = await new KMeans({ k: 5, initialModel: sk.blobs.C0, tol: 0, maxIter: 300 }).fit(df);
  closeMatrix(t, centersOf(m), sk.blobs.centers, 'centres at convergence', 1e-10);
  close(t, await m.computeCost(df), sk.blobs.inertia, 'inertia', 1e-11);
  t.ok(m.summary.numIter >= sk.blobs.nIter && m.summary.numIter <= sk.blobs.nIter + 1, `numIter ${m.summary.numIter} vs sklearn ${sk.blobs.nIter}`);
  const m3 = await new KMeans({ k: 5, initialModel: sk.blobs3.C0, tol: 0, maxIter: 3 }).fit(df);
  t.equal(m3.summary.numIter, 3);
  closeMatrix(t, centersOf(m3), sk.blobs3.centers, 'centres after 3 iterations', 1e-10);
  close(t, await m3.computeCost(df), sk.blobs3.inertia, 'inertia after 3 iterations (final centres)', 1e-11);
  t.ok(m3.summary.trainingCost > sk.blobs3.inertia, "Spark's trainingCost is the cost before the last update, above the final inertia");
});

// ----- partitions, seeds --------------------------------------------------------------------------

t.test('1, 2 and 5 partitions give the same model (fixed centres and k-means||); same seed → same model', async (t) => {
  const runs: number[][][] = [];
  const seeded: number[][][] = [];
  for (const parts of [1, 2, 5]) {
    const df = frame(blob, 5, parts);
    t.equal((await df.partitions()).length, parts);
    runs.push(centersOf(await new KMeans({ k: 5, initialModel: sk.blobs.C0, maxIter: 50 }).fit(df)));
    seeded.push(centersOf(await new KMeans({ k: 4, seed: 11, maxIter: 50 }).fit(df)));
  }
  closeMatrix(t, runs[1]!, runs[0]!, '2 vs 1 partitions', 1e-4);
  closeMatrix(t, runs[2]!, runs[0]!, '5 vs 1 partitions', 1e-4);
  closeMatrix(t, seeded[1]!, seeded[0]!, 'k-means||: 2 vs 1 partitions', 1e-4);
  closeMatrix(t, seeded[2]!, seeded[0]!, 'k-means||: 5 vs 1 partitions', 1e-4);
  const df = frame(blob, 5, 3);
  for (const initMode of ['k-means||', 'random'] as const) {
    const a = await new KMeans({ k: 6, seed: 5, initMode }).fit(df);
    const b = await new KMeans({ k: 6, seed: 5, initMode }).fit(df);
    t.same(centersOf(a), centersOf(b), `${initMode}: same seed, identical model`);
    t.equal(a.clusterCenters.length, 6);
    t.equal(a.summary.trainingCost, b.summary.trainingCost);
  }
  const d1 = centersOf(await new KMeans({ k: 6, seed: 5, maxIter: 0 }).fit(df));
  const d2 = centersOf(await new KMeans({ k: 6, seed: 6, maxIter: 0 }).fit(df));
  t.notSame(d1, d2, 'another seed, other initial centres');
});

t.test('k-means|| and random init reach a good clustering of separated blobs', async (t) => {
  const r = mulberry32(3);
  const truth = [[0, 0], [0, 10], [10, 0], [10, 10]];
  const x = new Float64Array(400 * 2);
  for (let i = 0; i < 400; i++) for (let j = 0; j < 2; j++) x[i * 2 + j] = truth[i % 4]![j]! + (r() - 0.5);
  const df = frame(x, 2, 3);
  for (const initMode of ['k-means||', 'random'] as const) {
    for (const seed of [1, 2, 3]) {
      const m = await new KMeans({ k: 4, seed, initMode }).fit(df);
      const found = centersOf(m).map((c) => c.map((v) => Math.round(v / 10) * 10)).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
      if (initMode === 'k-means||') t.same(found, truth, `k-means|| seed ${seed}: one centre per blob`);
      else t.ok(m.summary.trainingCost > 0, `random seed ${seed}: fitted`);
      t.equal(m.summary.clusterSizes.reduce((a, b) => a + b, 0), 400);
    }
  }
});

t.test('random streams: java.util.Random bit for bit, a partition-free uniform', async (t) => {
  // values printed by OpenJDK's java.util.Random
  const r = new JavaRandom(42);
  t.equal(r.nextDouble(), 0.7275636800328681);
  t.equal(r.nextDouble(), 0.6832234717598454);
  const q = new JavaRandom(42);
  t.same([q.nextInt(10), q.nextInt(10), q.nextInt(16)], [0, 3, 10]);
  const big = new JavaRandom(123456789012345);
  t.same(Array.from({ length: 5 }, () => big.nextInt(1000003)), [975866, 824671, 600454, 128728, 128606], 'a seed above 2^32');
  const z = new JavaRandom(0);
  t.equal(z.nextDouble(), 0.730967787376657, 'new Random(0).nextDouble()');
  t.equal(new JavaRandom(-1).next(32), 1155099827, 'negative seeds: new Random(-1).nextInt()');
  const u = Array.from({ length: 10000 }, (_, i) => uniformAt(7, 1, i));
  t.ok(u.every((v) => v >= 0 && v < 1));
  const mean = u.reduce((a, b) => a + b, 0) / u.length;
  t.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  t.not(uniformAt(7, 1, 5), uniformAt(7, 2, 5));
  t.not(uniformAt(7, 1, 5), uniformAt(8, 1, 5));
  t.equal(uniformAt(7, 1, 5), uniformAt(7, 1, 5));
});

t.test("LocalKMeans.kMeansPlusPlus: weighted seeding, Lloyd on the candidates", async (t) => {
  const pts = Float64Array.from([0, 0, 0.1, 0, 10, 10, 10.1, 10, 20, 0, 20.2, 0]);
  const w = Float64Array.from([1, 3, 1, 1, 2, 2]);
  const c = kMeansPlusPlus(0, pts, w, 2, 3, 30);
  const got = [Array.from(c.subarray(0, 2)), Array.from(c.subarray(2, 4)), Array.from(c.subarray(4, 6))].sort((a, b) => a[0]! - b[0]!);
  closeMatrix(t, got, [[0.075, 0], [10.05, 10], [20.1, 0]], 'weighted means of the three pairs');
});

// ----- the update, cosine ------------------------------------------------------------------------

t.test('updateCenters: weighted means, empty clusters stay, convergence at tol, cosine normalised', async (t) => {
  const centers = Float64Array.from([0, 0, 5, 5, 9, 9]);
  const stats = { sums: Float64Array.from([2, 4, 0, 0, 27, 27.3]), weights: Float64Array.from([2, 0, 3]) };
  const up = kmeansUpdateCenters(stats, centers, 2, 'euclidean', 1e-4);
  t.same(Array.from(up.centers), [1, 2, 5, 5, 9, 9.1], 'means; the empty centre 1 keeps its place');
  t.equal(up.converged, false);
  close(t, up.maxShift, Math.sqrt(5), 'largest move');
  t.same(Array.from(centers), [0, 0, 5, 5, 9, 9], 'pure: the input is not changed');
  const still = kmeansUpdateCenters({ sums: Float64Array.from([0.3, 0, 0, 0]), weights: Float64Array.from([1, 0]) }, Float64Array.from([0, 0, 7, 7]), 2, 'euclidean', 0.3);
  t.equal(still.converged, true, 'a move of exactly tol counts as converged');
  const cos = kmeansUpdateCenters({ sums: Float64Array.from([1, 1, 0, 3]), weights: Float64Array.from([2, 0]) }, Float64Array.from([1, 0, 0, 1]), 2, 'cosine', 1e-4);
  close(t, cos.centers[0]!, Math.SQRT1_2, 'cosine: unit length');
  close(t, cos.centers[1]!, Math.SQRT1_2, 'cosine: unit length');
  close(t, cos.maxShift, 1 - Math.SQRT1_2, 'cosine move is the cosine distance');
  t.same(Array.from(cos.centers.subarray(2)), [0, 1]);
});

t.test('cosine measure: the same centres and labels as a hand computation of Spark\'s algorithm', async (t) => {
  const r = mulberry32(9);
  const n = 60;
  const x = new Float64Array(n * 3);
  const dirs = [[1, 0.2, 0.1], [0.1, 1, 0.3], [0.2, 0.1, 1]];
  for (let i = 0; i < n; i++) {
    const s = 0.5 + 3 * r();
    for (let j = 0; j < 3; j++) x[i * 3 + j] = s * (dirs[i % 3]![j]! + 0.6 * (r() - 0.5));
  }
  const C0 = [[1, 1, 0], [0, 1, 1], [1, 0, 1]];
  // hand: assign by the largest cosine; centre = normalise(mean of x/|x|); stop when every centre's cosine move <= tol
  const unit = (v: number[]) => {
    const nr = Math.hypot(...v);
    return v.map((a) => a / nr);
  };
  let c = C0.map((v) => v.slice());
  let iters = 0;
  let labels: number[] = [];
  for (; iters < 20; ) {
    labels = [];
    const sums = c.map(() => [0, 0, 0]);
    const cnt = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const p = unit(Array.from(x.subarray(i * 3, i * 3 + 3)));
      let best = -1;
      let bd = Infinity;
      c.forEach((cc, j) => {
        const dist = 1 - (p[0]! * cc[0]! + p[1]! * cc[1]! + p[2]! * cc[2]!) / Math.hypot(...cc);
        if (dist < bd) {
          bd = dist;
          best = j;
        }
      });
      labels.push(best);
      for (let k = 0; k < 3; k++) sums[best]![k]! += p[k]!;
      cnt[best]!++;
    }
    const next = sums.map((s, j) => (cnt[j]! > 0 ? unit(s.map((v) => v / cnt[j]!)) : c[j]!));
    iters++;
    const conv = next.every((v, j) => 1 - (v[0]! * c[j]![0]! + v[1]! * c[j]![1]! + v[2]! * c[j]![2]!) / Math.hypot(...c[j]!) <= 1e-9);
    c = next;
    if (conv) break;
  }
  const df = frame(x, 3, 2);
  const m = await new KMeans({ k: 3, initialModel: C0, distanceMeasure: 'cosine', tol: 1e-9, maxIter: 20 }).fit(df);
  closeMatrix(t, centersOf(m), c, 'cosine centres', 1e-12);
  t.equal(m.summary.numIter, iters);
  t.same((await m.transform(df).collect()).map((r) => r.prediction), labels);
  for (const cc of centersOf(m)) close(t, Math.hypot(...cc), 1, 'cosine centres have unit length');
  t.equal(m.predict(Vectors.dense(5, 1, 0.5)), labels[0]);
  t.equal(m.predict([10, 0.5, 0]), m.predict([1, 0.05, 0]), 'cosine prediction ignores the scale');
  // the cosine cost: Σ (1 - cos)
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const p = unit(Array.from(x.subarray(i * 3, i * 3 + 3)));
    const cc = c[labels[i]!]!;
    cost += 1 - (p[0]! * cc[0]! + p[1]! * cc[1]! + p[2]! * cc[2]!);
  }
  close(t, await m.computeCost(df), cost, 'cosine cost', 1e-10);
  const saved = join(tmp, 'cosine-model');
  await m.save(saved);
  const back = await KMeansModel.load(saved);
  t.equal(back.getDistanceMeasure(), 'cosine');
  t.same((await back.transform(df).collect()).map((r) => r.prediction), labels);
});

// ----- edge cases and errors ------------------------------------------------------------------------

t.test('k larger than the number of distinct points: fewer centres, with a warning', async (t) => {
  const x = Float64Array.from([1, 1, 1, 1, 5, 5, 5, 5, 9, 0, 9, 0, 9, 0]);
  const df = frame(x, 2, 2);
  for (const initMode of ['k-means||', 'random'] as const) {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const m = await new KMeans({ k: 8, initMode, seed: 3 }).fit(df);
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    t.equal(m.clusterCenters.length, 3, `${initMode}: one centre per distinct point`);
    t.same(centersOf(m).sort((a, b) => a[0]! - b[0]!), [[1, 1], [5, 5], [9, 0]]);
    t.same(m.summary.clusterSizes.slice().sort(), [0, 0, 0, 0, 0, 2, 2, 3]);
    t.equal(m.summary.k, 8);
    t.equal(warnings.length, 1);
    t.equal((warnings[0] as Error & { code?: string }).code, 'KINDLING_KMEANS_FEWER_CENTERS');
    t.match(warnings[0]!.message, /found only 3 distinct cluster centres for k = 8/);
  }
});

t.test('features as array<double>, struct vectors, maxIter 0, one row', async (t) => {
  const rows = irisRows.slice(0, 20).map((r) => ({ f: r }));
  const df = spark.createDataFrame(rows);
  const m = await new KMeans({ k: 2, featuresCol: 'f', initialModel: [irisRows[0]!, irisRows[1]!], maxIter: 5 }).fit(df);
  t.equal(m.numFeatures, 4);
  const sparse = spark.createDataFrame([{ features: Vectors.sparse(3, [0], [1]) }, { features: Vectors.dense(0, 1, 0) }, { features: Vectors.sparse(3, [2], [4]) }]);
  const ms = await new KMeans({ k: 2, initialModel: [[1, 0, 0], [0, 0, 1]], maxIter: 5 }).fit(sparse);
  t.same((await ms.transform(sparse).collect()).map((r) => r.prediction), [0, 0, 1]);
  const m0 = await new KMeans({ k: 2, initialModel: [[0, 0, 0, 0], [9, 9, 9, 9]], maxIter: 0 }).fit(frame(iris, 4));
  t.same(centersOf(m0), [[0, 0, 0, 0], [9, 9, 9, 9]], 'maxIter 0 keeps the initial centres');
  t.equal(m0.summary.numIter, 0);
  const one = await new KMeans({ k: 3, seed: 1 }).fit(frame(Float64Array.from([2, 3]), 2, 1));
  t.same(centersOf(one), [[2, 3]]);
});

t.test('errors name the column and the row', async (t) => {
  const km = new KMeans({ k: 2 });
  await t.rejects(km.fit(spark.createDataFrame([{ x: 1 }])), { code: 'ERR_KINDLING_SCHEMA', message: /KMeans: cannot resolve column "features" among \[x\]/ });
  await t.rejects(km.fit(spark.createDataFrame([{ features: 'a' }])), { code: 'ERR_KINDLING_SCHEMA', message: /KMeans: column features \(featuresCol\) must be a vector or an array of numbers .*, but is string/ });
  await t.rejects(km.fit(spark.createDataFrame([{ features: Vectors.dense(1, 2), prediction: 1 }])), /KMeans: Column prediction already exists/);
  const nan = Float64Array.from([1, 2, 3, 4, 5, NaN, 7, 8]);
  await t.rejects(km.fit(frame(nan, 2, 2)), { message: 'KMeans: row 2 of column features has a non-finite value (NaN) at index 1; features must be finite numbers' });
  await t.rejects(km.fit(frame(Float64Array.from([1, 2, Infinity, 0]), 2, 1)), /row 1 of column features has a non-finite value \(Infinity\) at index 0/);
  await t.rejects(new KMeans({ distanceMeasure: 'cosine' }).fit(frame(Float64Array.from([1, 2, 0, 0, 3, 1]), 2, 1)), { message: 'KMeans: row 1 of column features is a zero vector, for which the cosine distance is undefined' });
  await t.rejects(km.fit(spark.createDataFrame([{ features: Vectors.dense(1, 2) }, { features: null }], 'features vector')), /row 1 of column features is null/);
  await t.rejects(km.fit(spark.createDataFrame([{ features: Vectors.dense(1, 2) }, { features: Vectors.dense(1, 2, 3) }])), /row 1 of column features has 3 features, but earlier rows have 2/);
  await t.rejects(km.fit(spark.createDataFrame([], 'features vector')), { code: 'ERR_KINDLING_SCHEMA', message: 'KMeans: the DataFrame has no rows (column features); clustering needs at least one point' });
  await t.rejects(new KMeans({ weightCol: 'w' }).fit(frame(iris.subarray(0, 12), 4, 1, { w: Float64Array.from([1, -1, 1]) })), /KMeans: row 1 of weight column w is -1: Weights MUST NOT be Negative or Infinity/);
  await t.rejects(new KMeans({ weightCol: 'w' }).fit(frame(iris.subarray(0, 12), 4, 1, { w: Float64Array.from([1, 1, NaN]) })), /row 2 of weight column w is null or NaN/);
  await t.rejects(new KMeans({ weightCol: 'nope' }).fit(frame(iris, 4)), /cannot resolve column "nope"/);
  await t.rejects(new KMeans({ k: 3, initialModel: [[1, 2, 3, 4], [1, 1, 1, 1]] }).fit(frame(iris, 4)), /KMeans: expected a model with k = 3 centres \(mismatched cluster count.*for initialModel, got "2 centres"/);
  await t.rejects(new KMeans({ k: 2, initialModel: [[1, 2], [1, 1]] }).fit(frame(iris, 4)), /expected centres with 4 features .* for initialModel, got "2 features"/);
  const model = new KMeansModel({ clusterCenters: [[0, 0], [1, 1]] });
  t.throws(() => model.transform(spark.createDataFrame([{ features: Vectors.dense(1, 2), prediction: 0 }])), /KMeansModel: Column prediction already exists/);
  await t.rejects(model.transform(frame(Float64Array.from([1, 2, 3]), 3, 1)).collect(), /row 0 of column features has 3 features, but the model was fitted on 2/);
  await t.rejects(model.transform(frame(Float64Array.from([1, 2, NaN, 3]), 2, 1)).collect(), /KMeansModel: row 1 of column features has a non-finite value \(NaN\)/);
  t.throws(() => model.predict([1, 2, 3]), /KMeansModel\.predict: expected a vector of size 2/);
  t.throws(() => model.summary, { code: 'ERR_KINDLING_NOT_FITTED', message: /No training summary available/ });
  t.equal(model.hasSummary, false);
  t.throws(() => new KMeansModel().predict([1]), { code: 'ERR_KINDLING_NOT_FITTED' });
});

t.test('transform and predict agree; transform appends an int column lazily', async (t) => {
  const m = await new KMeans({ k: 3, seed: 1, predictionCol: 'cluster' }).fit(frame(iris, 4));
  const out = m.transform(frame(iris, 4, 3));
  t.same(out.columns, ['features', 'cluster']);
  t.same(out.dtypes[1], ['cluster', 'int']);
  const rows = await out.collect();
  rows.forEach((r, i) => {
    if (r.cluster !== m.predict(irisRows[i]!)) t.fail(`row ${i}`);
  });
  t.equal(rows.length, 150);
  t.equal(m.copy().predict(irisRows[0]!), m.predict(irisRows[0]!), 'copy keeps the centres');
  t.ok(m.copy().hasSummary, 'and the summary');
});

// ----- persistence --------------------------------------------------------------------------------

t.test('save/load round trip in Spark\'s layout', async (t) => {
  const df = frame(iris, 4);
  const est = new KMeans({ k: 3, seed: 7, maxIter: 9, initialModel: sk.iris.C0, predictionCol: 'cluster' });
  const m = await est.fit(df);
  const dir = join(tmp, 'model');
  await m.save(dir);
  const md = await readMetadata(dir);
  t.equal(md.className, 'org.apache.spark.ml.clustering.KMeansModel');
  t.equal(md.uid, m.uid);
  t.same(md.paramMap, { k: 3, maxIter: 9, predictionCol: 'cluster', seed: 7 });
  t.equal(md.defaultParamMap!.tol, 1e-4);
  t.match(readFileSync(join(dir, 'metadata/part-00000'), 'utf8'), /"tol":1\.0E-4/);
  t.ok(readdirSync(join(dir, 'data')).some((f) => /^part-00000-.*-c000\.snappy\.parquet$/.test(f)));
  const data = await readData(dir);
  t.same(data.schema.fields.map((f) => [f.name, String(f.type), f.nullable]), [['clusterIdx', 'Int32', false], ['clusterCenter', 'Struct<{type:Int8, size:Int32, indices:List<Int32>, values:List<Float64>}>', true]]);
  const back = await KMeansModel.load(dir);
  t.equal(back.uid, m.uid);
  t.same(centersOf(back), centersOf(m));
  t.equal(back.getPredictionCol(), 'cluster');
  t.equal(back.hasSummary, false);
  t.same((await back.transform(df).collect()).map((r) => r.cluster), (await m.transform(df).collect()).map((r) => r.cluster));
  const edir = join(tmp, 'estimator');
  await est.save(edir);
  const emd = await readMetadata(edir);
  t.equal(emd.className, 'org.apache.spark.ml.clustering.KMeans');
  t.notOk('initialModel' in emd.paramMap, 'initialModel is not a Spark param: not saved');
  const e2 = await KMeans.load(edir);
  t.same([e2.uid, e2.getK(), e2.getSeed(), e2.getMaxIter(), e2.getInitialModel()], [est.uid, 3, 7, 9, undefined]);
  const withModel = new KMeans({ k: 3, initialModel: m });
  const m2 = await withModel.fit(df);
  closeMatrix(t, centersOf(m2), centersOf(m), 'warm start from a KMeansModel');
  t.ok(m2.summary.numIter <= 2, 'already converged');
  // inside a Pipeline
  const pm = await new Pipeline({ stages: [new KMeans({ k: 3, seed: 2 })] }).fit(df);
  await pm.save(join(tmp, 'pipeline'));
  const pm2 = await PipelineModel.load(join(tmp, 'pipeline'));
  t.same((await pm2.transform(df).collect()).map((r) => r.prediction), (await pm.transform(df).collect()).map((r) => r.prediction));
});

t.test('Spark 1.6 data layout (one row of clusterCenters) loads', async (t) => {
  const dir = join(tmp, 'spark16');
  const m = new KMeansModel({ clusterCenters: [[0, 0], [3, 4]] });
  await writeMetadata(m, dir, { api: 'test' });
  const centers = arrow.makeVector(denseVectorColumn(Float64Array.from([0, 0, 3, 4]), 2) as never);
  const listType = new arrow.List(new arrow.Field('element', centers.type, true));
  const list = arrow.makeData({ type: listType, length: 1, nullCount: 0, valueOffsets: Int32Array.from([0, 2]), child: centers.data[0] });
  await writeData(dir, new arrow.Table({ clusterCenters: arrow.makeVector(list as never) }));
  const back = await KMeansModel.load(dir);
  t.same(centersOf(back), [[0, 0], [3, 4]]);
});

/** Index of the nearest centre by squared Euclidean distance (the first on ties), by hand. */
function nearest(centers: number[][], p: number[]): number {
  let best = Infinity;
  let bj = -1;
  centers.forEach((c, j) => {
    const dd = c.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0);
    if (dd < best) {
      best = dd;
      bj = j;
    }
  });
  return bj;
}

t.test('Spark 3.3.1 KMeansModel fixture (k = 100, 2-D) loads and predicts the nearest centre', async (t) => {
  const dir = join(SPARK, 'kmeans-k100-3.3.1');
  const m = await KMeansModel.load(dir);
  t.equal(m.uid, 'KMeans_521f05a99718');
  t.equal(m.clusterCenters.length, 100);
  t.equal(m.numFeatures, 2);
  t.same([m.getK(), m.getSeed(), m.getFeaturesCol(), m.getPredictionCol(), m.getMaxIter(), m.getTol(), m.getInitMode()], [100, 100, 'GeocCoordinates', 'cluster', 20, 1e-4, 'k-means||']);
  t.same(Array.from(m.clusterCenters[0]!.values), [52.978420970234396, 6.480178124527063], 'centre 0 (clusterIdx 0 of the unordered data rows)');
  t.same(Array.from(m.clusterCenters[2]!.values), [19.77519216767, -98.92968236162]);
  const centers = centersOf(m);
  const r = mulberry32(5);
  const pts = Array.from({ length: 300 }, () => [-60 + 130 * r(), -180 + 360 * r()]);
  const df = spark.createDataFrame(pts.map((p) => ({ GeocCoordinates: Vectors.dense(p) })));
  const got = (await m.transform(df).collect()).map((row) => row.cluster);
  t.same(got, pts.map((p) => nearest(centers, p)), 'transform = nearest centre by hand');
  t.same(pts.map((p) => m.predict(p)), got);
  t.same(centers.map((c, j) => m.predict(c) === j), centers.map(() => true), 'each centre predicts itself');
  const again = join(tmp, 'k100');
  await m.save(again);
  t.same(centersOf(await KMeansModel.load(again)), centers);
});

t.test('the KMeans stage of the Spark 3.5.5 pipeline fixture loads and predicts', async (t) => {
  const dir = join(SPARK, 'pipeline-vecassembler-stdscaler-kmeans-3.5.5/stages/2_KMeans_ae88aac955c0');
  const m = await KMeansModel.load(dir);
  t.equal(m.uid, 'KMeans_ae88aac955c0');
  t.equal(m.clusterCenters.length, 5);
  t.same([m.getK(), m.getSeed(), m.getFeaturesCol(), m.getPredictionCol(), m.getSolver(), m.getMaxBlockSizeInMB()], [5, 42, 'scaled_features', 'cluster', 'auto', 0]);
  t.equal(m.isSet('seed'), true);
  const centers = centersOf(m);
  const d = m.numFeatures;
  t.ok(d > 100, `${d} features`);
  const r = mulberry32(8);
  const pts = Array.from({ length: 200 }, (_, i) => {
    const c = centers[i % 5]!;
    return c.map((v) => v + 0.8 * (r() - 0.5));
  });
  const df = spark.createDataFrame(pts.map((p) => ({ scaled_features: Vectors.dense(p) })));
  const got = (await m.transform(df).collect()).map((row) => row.cluster);
  t.same(got, pts.map((p) => nearest(centers, p)));
  t.ok(existsSync(join(dir, 'data')));
});
