// GaussianMixture / GaussianMixtureModel: scikit-learn's full-covariance EM from the same initial
// mixture (iris for 1, 2, 10 and 100 iterations; iris with row weights against sklearn on the
// repeated rows), Spark's init and EM loop (takeSample with replacement, diagonal initial
// covariances, the Double.MinValue start, tol on the total log-likelihood), 1/2/5 partitions,
// seeds, the M-step alone, transform / predict / summary / gaussiansDF, Spark persistence, and the
// errors: k above the number of distinct points, NaN features naming the row, a singular
// covariance (regularised, with a warning); and what Spark returns a model for, with a coded
// warning: a collapsed component (a singular one as Spark's degenerate Gaussian, checked by hand
// and against numpy) and high-dimensional data whose densities sit under Spark's EPSILON.
//
// scikit-learn 1.2.1 results: test/fixtures/ml/gmm-sklearn.json, written by
// test/fixtures/ml/gmm_sklearn.py (reg_covar = 0, tol = 0; see the script's docstring).
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import { Session } from '../../ts/src/index.js';
import { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import {
  GaussianMixture, GaussianMixtureModel, MultivariateGaussian, Pipeline, PipelineModel, Vectors, denseVectorColumn, gmmMStep,
  javaStringHash, readData, readMetadata,
} from '../../ts/ml/index.js';
import { initRandom, sampleFraction, takeSampleWithReplacement } from '../../ts/ml/clustering/gaussian-mixture.js';
import { prepareInstances } from '../../ts/ml/data/instances.js';
import { gmmPosteriorsJs, gmmStepAddJs, gmmStepZero } from '../../ts/src/kernels/gmm.js';
import type { ProgressEvent } from '../../ts/ml/stage.js';
import { gaussian, mulberry32 } from '../reference/rng.js';

const sk = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/ml/gmm-sklearn.json', import.meta.url)), 'utf8'));

const spark = await Session.builder().appName('gmm-test').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());
const tmp = mkdtempSync(join(tmpdir(), 'kindling-gmm-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

type TestLike = { ok(value: unknown, message: string): unknown };

function close(t: TestLike, a: number, e: number, msg: string, tol: number): void {
  t.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${msg} (got ${a}, expected ${e})`);
}

function closeAll(t: TestLike, a: ArrayLike<number>, e: ArrayLike<number>, msg: string, tol: number): void {
  let worst = a.length === e.length ? 0 : Infinity;
  for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!) / Math.max(1, Math.abs(e[i]!)));
  t.ok(worst <= tol, `${msg}: largest difference ${worst} <= ${tol}`);
}

/** A DataFrame of row-major points (n x d) in exactly `parts` contiguous partitions (row order kept). */
function frame(x: Float64Array, d: number, parts = 2, extra: Record<string, Float64Array> = {}): DataFrame {
  const table = new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, d) as never), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, arrow.makeVector(v)])) });
  const n = x.length / d;
  const b = table.batches[0]!;
  const batches = Array.from({ length: parts }, (_, p) => b.slice(Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)));
  return new DataFrame(spark, { op: 'memory', schema: table.schema, partitions: batches });
}

const irisRows = readFileSync(fileURLToPath(new URL('../fixtures/data/iris.csv', import.meta.url)), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).map(Number));
const iris = Float64Array.from(irisRows.flat());
const irisW = Float64Array.from(irisRows, (_, i) => 1 + (i % 3));
const init = sk.init as { weights: number[]; means: number[][]; covariances: number[][][] };

function flatCov(m: GaussianMixtureModel): number[][] {
  return m.gaussians.map((g) => {
    const out: number[] = [];
    for (let i = 0; i < g.cov.numRows; i++) for (let j = 0; j < g.cov.numCols; j++) out.push(g.cov.apply(i, j));
    return out;
  });
}

t.test('iris from a given mixture: the log-likelihood, mixture and posteriors of scikit-learn EM', async (t) => {
  for (const ref of sk.iris) {
    for (const parts of [1, 3]) {
      const df = frame(iris, 4, parts);
      const model = await new GaussianMixture({ k: 3, maxIter: ref.maxIter, tol: 0, initialModel: init }).fit(df);
      const s = model.summary;
      const what = `maxIter ${ref.maxIter}, ${parts} partition(s)`;
      // tol = 0: Spark stops when the log-likelihood repeats exactly, sklearn runs to max_iter
      if (ref.maxIter < 100) t.equal(s.numIter, ref.nIter, `${what}: iterations`);
      else t.ok(s.numIter > 10 && s.numIter <= 100, `${what}: ${s.numIter} iterations (stopped when the log-likelihood repeated exactly)`);
      const tol = ref.maxIter < 100 ? 1e-8 : 1e-6;
      close(t, s.logLikelihood, ref.logLikelihood, `${what}: total log-likelihood = n x sklearn lower_bound_`, 1e-6);
      t.ok(Math.abs(s.logLikelihood - ref.logLikelihood) <= 1e-9 * Math.abs(ref.logLikelihood), `${what}: in fact within 1e-9 (${s.logLikelihood} vs ${ref.logLikelihood})`);
      closeAll(t, model.weights, ref.weights, `${what}: weights`, tol);
      closeAll(t, model.gaussians.flatMap((g) => Array.from(g.mean.toArray())), ref.means.flat(), `${what}: means`, tol);
      closeAll(t, flatCov(model).flat(), (ref.covariances as number[][][]).flat(2), `${what}: covariances`, tol);
      for (let i = 0; i < 10; i++) closeAll(t, model.predictProbability(irisRows[i]!).toArray(), ref.proba[i], `${what}: predictProbability row ${i}`, 1e-7);
      if (ref.labels) {
        const pred = (await model.transform(df).select('prediction').collect()).map((r) => r.prediction);
        t.same(pred, ref.labels, `${what}: predictions equal sklearn's labels`);
        const sizes = [0, 0, 0];
        for (const l of ref.labels as number[]) sizes[l]!++;
        t.same(s.clusterSizes, sizes, `${what}: clusterSizes`);
      }
    }
  }
});

t.test('iris with row weights equals scikit-learn on the rows repeated weight times', async (t) => {
  const ref = sk.irisWeighted;
  const model = await new GaussianMixture({ k: 3, maxIter: ref.maxIter, tol: 0, weightCol: 'w', initialModel: init }).fit(frame(iris, 4, 2, { w: irisW }));
  t.equal(model.summary.numIter, ref.nIter);
  close(t, model.summary.logLikelihood, ref.logLikelihood, 'weighted total log-likelihood', 1e-6);
  closeAll(t, model.weights, ref.weights, 'weights', 1e-8);
  closeAll(t, model.gaussians.flatMap((g) => Array.from(g.mean.toArray())), ref.means.flat(), 'means', 1e-8);
  closeAll(t, flatCov(model).flat(), (ref.covariances as number[][][]).flat(2), 'covariances', 1e-8);
});

t.test("Spark's EPSILON: p_c = EPSILON + w_c pdf_c, not scikit-learn's plain mixture density", async (t) => {
  const e = sk.sparkEpsilon;
  t.equal(e.flooredRows, 8, 'the fixture start leaves 8 rows with every w_c pdf_c below EPSILON');
  const start = { ...init, covariances: e.covariances };
  const model = await new GaussianMixture({ k: 3, maxIter: 1, tol: 0, initialModel: start }).fit(frame(iris, 4, 2));
  close(t, model.summary.logLikelihood, e.logLikelihoodSpark, "the first E-step's log-likelihood is Spark's formula (numpy, direct)", 1e-12);
  t.ok(Math.abs(model.summary.logLikelihood - e.logLikelihoodSklearn) > 100, `and not sklearn's ${e.logLikelihoodSklearn} (no EPSILON)`);
  const byValue = new GaussianMixtureModel({ mixture: start });
  for (let i = 0; i < 10; i++) closeAll(t, byValue.predictProbability(irisRows[i]!).toArray(), e.proba[i], `predictProbability row ${i}: (EPSILON + w_c pdf_c) / sum`, 1e-12);
});

t.test("Spark's init: takeSample with replacement, 5 samples per component, diagonal covariances", async (t) => {
  t.equal(sampleFraction(10, 150), (10 + 9 * Math.sqrt(10)) / 150, 'numStd 9 for 6 <= s < 16');
  t.equal(sampleFraction(5, 100), (5 + 12 * Math.sqrt(5)) / 100, 'numStd 12 for s < 6');
  t.equal(sampleFraction(20, 100), (20 + 6 * Math.sqrt(20)) / 100, 'numStd 6 for s >= 16');
  const s = takeSampleWithReplacement(150, 15, 42);
  t.equal(s.length, 15);
  t.ok(s.every((r) => Number.isInteger(r) && r >= 0 && r < 150), 'row indices');
  t.same(takeSampleWithReplacement(150, 15, 42), s, 'same seed, same sample');
  t.notSame(takeSampleWithReplacement(150, 15, 43), s, 'another seed, another sample');
  const tiny = takeSampleWithReplacement(2, 10, 1);
  t.equal(tiny.length, 10, 'with replacement: more samples than rows');
  t.ok(tiny.includes(0) && tiny.includes(1), 'both rows drawn');
  // The init from a sample, by hand (the data prepared on the executors, as a fit does).
  const data = await prepareInstances('test', frame(iris, 4, 2, { w: irisW }), { featuresCol: 'features', weightCol: 'w', emptyMessage: 'none' });
  t.teardown(() => data.release());
  const st = await initRandom('test', data, 3, 7);
  const rows = takeSampleWithReplacement(150, 15, 7);
  let wsum = 0;
  for (const r of rows) wsum += irisW[r]!;
  for (let i = 0; i < 3; i++) {
    const slice = rows.slice(5 * i, 5 * i + 5);
    const local = slice.reduce((a, r) => a + irisW[r]!, 0);
    close(t, st.weights[i]!, local / wsum, `component ${i}: weight = sample weight share`, 1e-15);
    for (let f = 0; f < 4; f++) {
      const mean = slice.reduce((a, r) => a + irisW[r]! * iris[r * 4 + f]!, 0) / local;
      const v = slice.reduce((a, r) => a + irisW[r]! * (iris[r * 4 + f]! - mean) ** 2, 0) / local;
      close(t, st.means[i * 4 + f]!, mean, `component ${i}: mean ${f}`, 1e-14);
      close(t, st.covs[i * 10 + (f * (f + 1)) / 2 + f]!, v, `component ${i}: variance ${f} (biased, weighted)`, 1e-13);
    }
    t.equal(st.covs.subarray(i * 10, i * 10 + 10).filter((v, e) => v !== 0 && ![0, 2, 5, 9].includes(e)).length, 0, `component ${i}: diagonal covariance`);
  }
});

t.test('seeded fits: defaults, determinism, and 1/2/5 partitions agree', async (t) => {
  const gm = new GaussianMixture();
  t.equal(gm.getK(), 2);
  t.equal(gm.getMaxIter(), 100);
  t.equal(gm.getTol(), 0.01);
  t.equal(gm.getAggregationDepth(), 2);
  t.equal(gm.getSeed(), javaStringHash('org.apache.spark.ml.clustering.GaussianMixture'), "Spark's default seed: the class name's hashCode");
  t.equal(gm.getProbabilityCol(), 'probability');
  t.equal(gm.getPredictionCol(), 'prediction');
  t.equal(gm.getFeaturesCol(), 'features');
  const fits = [];
  for (const parts of [1, 2, 5]) fits.push(await new GaussianMixture({ k: 3, seed: 11 }).fit(frame(iris, 4, parts)));
  const [a, b, c] = fits as [GaussianMixtureModel, GaussianMixtureModel, GaussianMixtureModel];
  for (const [m, name] of [[b, '2 partitions'], [c, '5 partitions']] as const) {
    t.equal(m.summary.numIter, a.summary.numIter, `${name}: iterations`);
    close(t, m.summary.logLikelihood, a.summary.logLikelihood, `${name}: log-likelihood`, 1e-10);
    closeAll(t, m.weights, a.weights, `${name}: weights`, 1e-9);
    closeAll(t, flatCov(m).flat(), flatCov(a).flat(), `${name}: covariances`, 1e-8);
    t.same(m.summary.clusterSizes, a.summary.clusterSizes, `${name}: cluster sizes`);
  }
  t.ok(a.summary.numIter < 100 && a.summary.numIter >= 1, `converged by tol in ${a.summary.numIter} iterations`);
  const again = await new GaussianMixture({ k: 3, seed: 11 }).fit(frame(iris, 4, 2));
  t.same(again.weights, b.weights, 'same seed and partitions: identical model');
  const other = await new GaussianMixture({ k: 3, seed: 12 }).fit(frame(iris, 4, 2));
  t.notSame(other.weights, b.weights, 'another seed: another start');
  // 2 EM iterations of the same fit, continued by hand from the summary statistics.
  const events: ProgressEvent[] = [];
  await new GaussianMixture({ k: 3, seed: 11, maxIter: 2 }).fit(frame(iris, 4, 2), undefined, { onProgress: (e) => events.push(e) });
  t.same(events.map((e) => [e.kind, e.current, e.total]), [['iteration', 1, 2], ['iteration', 2, 2]], 'one progress event per iteration');
  const zero = await new GaussianMixture({ k: 3, seed: 11, maxIter: 0 }).fit(frame(iris, 4, 2));
  t.equal(zero.summary.numIter, 0, 'maxIter 0: no iteration');
  t.equal(zero.summary.logLikelihood, -Number.MAX_VALUE, "maxIter 0: Spark's logLikelihood stays Double.MinValue");
});

t.test("the M-step alone is Spark's updateWeightsAndGaussians (one-pass, equal to the centred form)", async (t) => {
  const d = 4;
  const mus = [[5, 3, 1.5, 0.3], [6.5, 3, 5, 1.8]];
  const chol = new Float64Array(2 * d * d);
  for (let j = 0; j < 2; j++) for (let f = 0; f < d; f++) chol[j * d * d + f * d + f] = 0.7;
  const comps = { k: 2, d, weights: Float64Array.of(0.4, 0.6), means: Float64Array.from(mus.flat()), shift: Float64Array.of(5.8, 3, 3.8, 1.2), chol, logDet: Float64Array.of(8 * Math.log(0.7), 8 * Math.log(0.7)) };
  const stats = gmmStepAddJs(gmmStepZero(2, d), iris, d, comps, { weights: irisW });
  const st = gmmMStep(stats);
  const post = gmmPosteriorsJs(iris, d, comps);
  const W = stats.respSum[0]! + stats.respSum[1]!;
  for (let j = 0; j < 2; j++) {
    close(t, st.weights[j]!, stats.respSum[j]! / W, `weight ${j} = W_j / sum W`, 1e-15);
    let wj = 0;
    const mu = new Float64Array(d);
    for (let i = 0; i < 150; i++) {
      const r = post[i * 2 + j]! * irisW[i]!;
      wj += r;
      for (let f = 0; f < d; f++) mu[f] += r * iris[i * d + f]!;
    }
    for (let f = 0; f < d; f++) mu[f] /= wj;
    closeAll(t, st.means.subarray(j * d, j * d + d), mu, `mean ${j}`, 1e-13);
    const cov: number[] = [];
    for (let b = 0; b < d; b++) {
      for (let a = 0; a <= b; a++) {
        let c = 0;
        for (let i = 0; i < 150; i++) c += post[i * 2 + j]! * irisW[i]! * (iris[i * d + a]! - mu[a]!) * (iris[i * d + b]! - mu[b]!);
        cov.push(c / wj);
      }
    }
    closeAll(t, st.covs.subarray(j * 10, j * 10 + 10), cov, `covariance ${j} (packed upper)`, 1e-12);
  }
});

t.test('transform, predict, summary and gaussiansDF', async (t) => {
  const df = frame(iris, 4, 3);
  const model = await new GaussianMixture({ k: 3, maxIter: 100, tol: 0, initialModel: init }).fit(df);
  const out = model.transform(df);
  t.same(out.columns, ['features', 'probability', 'prediction'], "Spark's transform adds probability, then prediction");
  t.equal(String(out.schema.fields[2]!.type), 'Int32', 'int predictions');
  const rows = await out.collect();
  t.equal(rows.length, 150);
  for (const i of [0, 77, 149]) {
    const p = rows[i]!.probability as { toArray(): Float64Array };
    closeAll(t, p.toArray(), model.predictProbability(irisRows[i]!).toArray(), `row ${i}: probability column = predictProbability`, 1e-15);
    t.equal(rows[i]!.prediction, model.predict(Vectors.dense(irisRows[i]!)), `row ${i}: prediction = predict`);
    close(t, Array.from(p.toArray()).reduce((a, b) => a + b, 0), 1, `row ${i}: probabilities sum to 1`, 1e-15);
  }
  const s = model.summary;
  t.equal(s.k, 3);
  t.equal(s.clusterSizes.reduce((a, b) => a + b, 0), 150, 'cluster sizes count every row');
  t.same(s.cluster.columns, ['prediction']);
  t.same(s.probability.columns, ['probability']);
  t.same(s.regularizations, [], 'no covariance needed regularising');
  t.ok(model.hasSummary);
  // The model's Gaussians: Spark's MultivariateGaussian pdf.
  const g = model.gaussians[0]!;
  const x = irisRows[3]!;
  const mu = g.mean.toArray();
  const L = (() => {
    const a = new Float64Array(16);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) a[i * 4 + j] = g.cov.apply(i, j);
    return a;
  })();
  // log pdf by the quadratic form with an explicit inverse (Gauss-Jordan) as an independent check
  const inv = invert(L, 4);
  let q = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) q += (x[i]! - mu[i]!) * inv.inv[i * 4 + j]! * (x[j]! - mu[j]!);
  close(t, g.logpdf(x), -0.5 * (4 * Math.log(2 * Math.PI) + Math.log(inv.det) + q), 'MultivariateGaussian.logpdf', 1e-12);
  close(t, g.pdf(x), Math.exp(g.logpdf(x)), 'pdf = exp(logpdf)', 1e-15);
  const gdf = model.gaussiansDF;
  t.same(gdf.columns, ['mean', 'cov']);
  const grows = await gdf.collect();
  t.equal(grows.length, 3);
  const cov0 = grows[0]!.cov as { numRows: number; values: number[] | Float64Array };
  t.equal(cov0.numRows, 4, 'cov rows hold Spark MatrixUDT structs');
  closeAll(t, Array.from(cov0.values), Array.from(g.cov.toArray()), 'cov values, column-major', 0);
  // schema checks
  t.throws(() => model.transform(out), { message: /Column prediction already exists \(predictionCol\)/ });
  t.throws(() => model.transform(out.drop('prediction')), { message: /Column probability already exists \(probabilityCol\)/ });
  t.throws(() => model.transform(df.withColumnRenamed('features', 'f')), { message: /features/ });
  t.throws(() => model.predict([1, 2, 3]), { message: /a vector of size 4/ });
  t.throws(() => new GaussianMixtureModel().predict([1, 2]), { code: 'ERR_KINDLING_NOT_FITTED' });
  t.throws(() => new GaussianMixtureModel().summary, { code: 'ERR_KINDLING_NOT_FITTED' });
  // transform names a NaN row of another DataFrame
  const bad = iris.slice();
  bad[77 * 4 + 2] = NaN;
  await t.rejects(model.transform(frame(bad, 4, 3)).collect(), { message: /row 77 of column features has a non-finite value \(NaN\) at index 2/ });
});

function invert(a: Float64Array, d: number): { inv: Float64Array; det: number } {
  const m = Array.from({ length: d }, (_, i) => [...Array.from(a.subarray(i * d, i * d + d)), ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]);
  let det = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (p !== c) {
      [m[p], m[c]] = [m[c]!, m[p]!];
      det = -det;
    }
    const piv = m[c]![c]!;
    det *= piv;
    for (let j = 0; j < 2 * d; j++) m[c]![j] /= piv;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * d; j++) m[r]![j] -= f * m[c]![j]!;
    }
  }
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) inv[i * d + j] = m[i]![d + j]!;
  return { inv, det };
}

t.test('persistence in Spark\'s layout', async (t) => {
  const df = frame(iris, 4, 2);
  const model = await new GaussianMixture({ k: 3, maxIter: 10, tol: 0, initialModel: init, probabilityCol: 'p' }).fit(df);
  const path = join(tmp, 'gmm-model');
  await model.save(path);
  const md = await readMetadata(path);
  t.equal(md.className, 'org.apache.spark.ml.clustering.GaussianMixtureModel');
  t.equal(md.uid, model.uid);
  t.same(md.paramMap, { probabilityCol: 'p', k: 3, maxIter: 10, tol: 0 }, 'set params (initialModel is not a Spark param: not saved)');
  t.same(Object.keys(md.defaultParamMap!).sort(), ['aggregationDepth', 'featuresCol', 'k', 'maxIter', 'predictionCol', 'probabilityCol', 'seed', 'tol'], "Spark's GaussianMixtureParams defaults");
  t.match(md.json, /"tol":0\.0/, 'tol written as a double');
  const data = await readData(path);
  t.same(data.schema.fields.map((f) => f.name), ['weights', 'mus', 'sigmas']);
  t.equal(data.numRows, 1, 'one row');
  const file = readdirSync(join(path, 'data')).find((f) => f.endsWith('.snappy.parquet'))!;
  t.match(file, /^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/);
  const raw = readFileSync(join(path, 'data', file)).toString('latin1');
  t.match(raw, /org\.apache\.spark\.mllib\.linalg\.VectorUDT/, 'mus elements are spark.mllib vectors, as Spark\'s writer');
  t.match(raw, /org\.apache\.spark\.mllib\.linalg\.MatrixUDT/, 'sigmas elements are spark.mllib matrices');
  t.notMatch(raw, /org\.apache\.spark\.ml\.linalg\.VectorUDT/);
  const back = await GaussianMixtureModel.load(path);
  t.equal(back.uid, model.uid);
  t.equal(back.getProbabilityCol(), 'p');
  t.same(back.weights, model.weights, 'weights round-trip exactly');
  t.same(flatCov(back), flatCov(model), 'covariances round-trip exactly');
  t.same(back.gaussians.map((g) => Array.from(g.mean.toArray())), model.gaussians.map((g) => Array.from(g.mean.toArray())), 'means round-trip exactly');
  t.same(await back.transform(df).select('prediction').collect(), await model.transform(df).select('prediction').collect(), 'same predictions');
  t.notOk(back.hasSummary, 'a loaded model has no summary');
  // the estimator, and both inside a pipeline
  const est = new GaussianMixture({ k: 4, seed: 5, initialModel: model });
  await est.save(join(tmp, 'gmm-est'));
  const emd = await readMetadata(join(tmp, 'gmm-est'));
  t.equal(emd.className, 'org.apache.spark.ml.clustering.GaussianMixture');
  t.same(emd.paramMap, { k: 4, seed: 5 }, 'initialModel is not saved');
  const est2 = await GaussianMixture.load(join(tmp, 'gmm-est'));
  t.equal(est2.getK(), 4);
  t.equal(est2.getInitialModel(), undefined);
  const pm = await new Pipeline({ stages: [new GaussianMixture({ k: 3, maxIter: 5, initialModel: init })] }).fit(df);
  await pm.save(join(tmp, 'gmm-pipe'));
  const pm2 = await PipelineModel.load(join(tmp, 'gmm-pipe'));
  t.same(await pm2.transform(df).select('prediction').collect(), await pm.transform(df).select('prediction').collect(), 'pipeline round trip');
  // constructing a model by value
  const byValue = new GaussianMixtureModel({ mixture: { weights: model.weights, means: model.gaussians.map((g) => g.mean), covariances: model.gaussians.map((g) => g.cov) } });
  closeAll(t, byValue.predictProbability(irisRows[60]!).toArray(), model.predictProbability(irisRows[60]!).toArray(), 'a model built from the same mixture predicts the same', 0);
});

t.test('errors and lack of convergence', async (t) => {
  const df = frame(iris, 4, 2);
  // k above the number of distinct points
  const few = Float64Array.of(1, 2, 1, 2, 3, 4, 3, 4, 1, 2);
  await t.rejects(new GaussianMixture({ k: 3 }).fit(frame(few, 2, 1)), { message: /^GaussianMixture: k = 3 exceeds the number of distinct points of positive weight \(2\)/ });
  // ... counting only rows of positive weight
  await t.rejects(new GaussianMixture({ k: 2, weightCol: 'w' }).fit(frame(Float64Array.of(1, 1, 2, 2, 3, 3), 2, 1, { w: Float64Array.of(1, 0, 0) })), { message: /exceeds the number of distinct points of positive weight \(1\)/ });
  // NaN features name the row
  const bad = iris.slice();
  bad[101 * 4 + 3] = NaN;
  await t.rejects(new GaussianMixture({ k: 3 }).fit(frame(bad, 4, 2)), { message: /row 101 of column features has a non-finite value \(NaN\) at index 3/ });
  // bad weights (Spark's checkNonNegativeWeights)
  const w = irisW.slice();
  w[9] = -1;
  await t.rejects(new GaussianMixture({ k: 3, weightCol: 'w' }).fit(frame(iris, 4, 2, { w })), { message: /row 9 of weight column w is -1: Weights MUST NOT be Negative or Infinity/ });
  // params and initialModel
  t.throws(() => new GaussianMixture({ k: 1 }), { message: /expected integer > 1 for k, got 1/ });
  await t.rejects(new GaussianMixture({ k: 2, initialModel: init }).fit(df), { message: /expected a mixture of k = 2 components \(set k to 3 or pass 2 components\) for initialModel/ });
  await t.rejects(new GaussianMixture({ k: 3, initialModel: { ...init, covariances: [init.covariances[0]!, [[1, 2, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], init.covariances[2]!] } }).fit(df), { message: /expected a symmetric matrix for initialModel\.covariances\[1\]/ });
  await t.rejects(new GaussianMixture({ k: 3, featuresCol: 'nope' }).fit(df), { message: /nope/ });
});

t.test('a singular covariance is regularised with a warning', async (t) => {
  // The third feature is constant: every covariance is singular until regularised.
  const rand = mulberry32(3);
  const g = gaussian(rand);
  const n = 300;
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = i % 2 ? 3 : -3;
    x[i * 3] = c + g();
    x[i * 3 + 1] = c + g();
    x[i * 3 + 2] = 7;
  }
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  const seeded = await new GaussianMixture({ k: 2, seed: 1, maxIter: 3 }).fit(frame(x, 3, 2));
  t.same(seeded.summary.regularizations.filter((r) => r.iteration === 0).map((r) => r.component), [0, 1], "Spark's init: the constant feature has variance 0 among each component's 5 samples");
  const diag = (v: number[]) => v.map((e, i) => v.map((_, j) => (i === j ? e : 0)));
  const start = { weights: [0.5, 0.5], means: [[-2, -2, 7], [2, 2, 7]], covariances: [diag([1, 1, 0]), diag([1, 1, 0])] };
  const model = await new GaussianMixture({ k: 2, initialModel: start }).fit(frame(x, 3, 2));
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  const regs = model.summary.regularizations;
  t.ok(regs.length >= 2 * (model.summary.numIter + 1), `${regs.length} regularisations recorded: both components, every iteration (${model.summary.numIter})`);
  t.ok(regs.some((r) => r.iteration === 0), 'the initial covariances');
  const scale = (2 * (9 + 1)) / 3; // mean feature variance: 10, 10, 0 (approximately)
  t.ok(regs.every((r) => r.lambda > 0 && r.lambda < 1e-3 * scale * 10), 'lambda = 1e-6 x 10^m x the mean feature variance');
  const warning = warnings.find((w) => (w as { code?: string }).code === 'KINDLING_GMM_SINGULAR_COVARIANCE');
  t.ok(warning, 'one KindlingWarning');
  t.match(warning?.message, /singular covariance\(s\) .* were regularised by adding up to .* to the diagonal \(1e-6 x 10\^m x the mean feature variance/);
  t.equal(warning?.name, 'KindlingWarning');
  // a model given by value with a singular covariance is regularised too, and warns
  const warned: Error[] = [];
  const onW = (w: Error) => warned.push(w);
  process.on('warning', onW);
  const byValue = new GaussianMixtureModel({ mixture: { weights: [1, 0], means: [[0, 0], [1, 1]], covariances: [[[1, 1], [1, 1]], [[1, 0], [0, 1]]] } });
  await new Promise((r) => setImmediate(r));
  process.off('warning', onW);
  t.match(warned.map((w) => w.message).join('\n'), /the covariance\(s\) of component\(s\) 0 are singular and were regularised by adding 0\.000001 to the diagonal/);
  t.ok(byValue.gaussians[0]!.cov.apply(0, 0) > 1, 'the regularised covariance is kept');
  // a large offset is not a singular covariance: iris + 1e5 (variance / second moment ~ 1e-11)
  const shifted = iris.map((v) => v + 1e5);
  const shiftedInit = { ...init, means: init.means.map((m) => m.map((v) => v + 1e5)) };
  const sm = await new GaussianMixture({ k: 3, maxIter: 10, tol: 0, initialModel: shiftedInit }).fit(frame(shifted, 4, 2));
  t.same(sm.summary.regularizations, [], 'iris + 1e5: no regularisation');
  close(t, sm.summary.logLikelihood, sk.iris[2].logLikelihood, 'iris + 1e5: the log-likelihood of iris (sums taken around the data mean keep the digits)', 1e-9);
  // the model is usable: two clusters of 150
  t.same([...model.summary.clusterSizes].sort(), [150, 150]);
  t.ok(model.gaussians.every((gg) => gg.cov.apply(2, 2) > 0), 'regularised covariances are kept (positive definite)');
});

/** Runs `f`, collecting the process warnings it emits. */
async function withWarnings<T>(f: () => Promise<T>): Promise<{ value: T; warnings: Array<Error & { code?: string }> }> {
  const warnings: Array<Error & { code?: string }> = [];
  const on = (w: Error) => warnings.push(w);
  process.on('warning', on);
  try {
    const value = await f();
    await new Promise((r) => setImmediate(r));
    return { value, warnings };
  } finally {
    process.off('warning', on);
  }
}

t.test('a collapsed component and high-dimensional data: as Spark, the model is returned, with a coded warning', async (t) => {
  // A component far from every point: its responsibility is EPSILON-level.
  const far = {
    weights: [0.5, 0.5],
    means: [[5.8, 3, 3.8, 1.2], [1000, 1000, 1000, 1000]],
    covariances: [init.covariances[0]!, [[0.01, 0, 0, 0], [0, 0.01, 0, 0], [0, 0, 0.01, 0], [0, 0, 0, 0.01]]],
  };
  const { value: model, warnings } = await withWarnings(() => new GaussianMixture({ k: 2, initialModel: far }).fit(frame(iris, 4, 2)));
  const collapsed = model.summary.collapsed;
  t.same(collapsed[0] && [collapsed[0].iteration, collapsed[0].component], [1, 1], 'component 1 collapsed in iteration 1');
  t.ok(collapsed[0]!.responsibility < 1e-6, `its total responsibility ${collapsed[0]!.responsibility} is EPSILON-level`);
  t.ok(model.weights[1]! < 1e-6 && model.weights[1]! >= 0, `its weight ${model.weights[1]} is ~0`);
  t.ok(Number.isFinite(model.summary.logLikelihood) && model.summary.numIter >= 1, 'the fit ran to the end');
  t.equal(model.summary.clusterSizes.reduce((a, b) => a + b, 0), 150);
  const warning = warnings.find((w) => w.code === 'KINDLING_GMM_COLLAPSED_COMPONENT');
  t.equal(warning?.name, 'KindlingWarning');
  t.match(warning?.message, /^GaussianMixture \(GaussianMixture_[0-9a-f]+\): component\(s\) 1 collapsed \(first in iteration 1\): a total responsibility below 0\.000001 x an average row's weight \(1\), .* As Spark, EM went on and the model keeps the component/);
  // d = 60 standard normal features: every density is far below EPSILON, responsibilities uniform.
  const rand = mulberry32(5);
  const g = gaussian(rand);
  const d = 60;
  const n = 400;
  const x = new Float64Array(n * d).map(() => g());
  const high = await withWarnings(() => new GaussianMixture({ k: 3, seed: 2 }).fit(frame(x, d, 2)));
  close(t, high.value.summary.flooredFraction, 1, 'every row floored by EPSILON in the last E-step', 1e-12);
  const floor = high.warnings.find((w) => w.code === 'KINDLING_GMM_EPSILON_FLOOR');
  t.match(floor?.message, /on 100\.0% of the weight, every component's weight x density was at most Spark's EPSILON \(2\.220446049250313e-16\) .* EM could not separate the 3 components: as Spark, the model is returned, .* d = 60 features: standardise or rescale the features, reduce the dimension/);
  t.equal(high.value.weights.length, 3, 'a model of 3 components');
  // the same data scaled down (densities scale with 1/sigma^d): no complaint
  const small = x.map((v) => v * 0.05);
  const ok = await withWarnings(() => new GaussianMixture({ k: 3, seed: 2, maxIter: 5 }).fit(frame(small, d, 2)));
  t.ok(Number.isFinite(ok.value.summary.logLikelihood), 'rescaled: the fit runs');
  t.notOk(ok.warnings.some((w) => w.code === 'KINDLING_GMM_EPSILON_FLOOR'), 'rescaled: no EPSILON warning');
});

t.test("a collapsed component with a singular covariance is Spark's degenerate Gaussian (pseudo-inverse, pseudo-determinant)", async (t) => {
  // The third feature is constant (7): every covariance is singular along it. Component 1 starts far
  // away, collapses, and its covariance (a weighted covariance of the first two features, 0 in the
  // third) is evaluated through its pseudo-inverse; the live component 0 is regularised.
  const g = gaussian(mulberry32(3));
  const n = 200;
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    x[i * 3] = 1 + g();
    x[i * 3 + 1] = -1 + 0.5 * g();
    x[i * 3 + 2] = 7;
  }
  const diag = (v: number[]) => v.map((e, i) => v.map((_, j) => (i === j ? e : 0)));
  const start = { weights: [0.5, 0.5], means: [[0, 0, 7], [500, 500, 7]], covariances: [diag([1, 1, 0]), diag([0.01, 0.01, 0])] };
  const { value: model, warnings } = await withWarnings(() => new GaussianMixture({ k: 2, maxIter: 4, tol: 0, initialModel: start }).fit(frame(x, 3, 2)));
  const s = model.summary;
  t.ok(s.collapsed.some((c) => c.iteration === 1 && c.component === 1), 'component 1 collapsed in iteration 1');
  t.ok(s.pseudoInverses.some((p) => p.iteration === 1 && p.component === 1 && p.rank === 2), "its covariance after iteration 1: Spark's pseudo-inverse of rank 2");
  t.notOk(s.pseudoInverses.some((p) => p.component === 0), 'the live component is regularised, not pseudo-inverted');
  t.ok(s.regularizations.some((r) => r.component === 0), 'component 0 regularised');
  t.ok(warnings.some((w) => w.code === 'KINDLING_GMM_COLLAPSED_COMPONENT'), 'collapse warning');
  const last = s.pseudoInverses.filter((p) => p.iteration === s.numIter && p.component === 1);
  t.equal(last.length, 1, 'the final component 1 is degenerate');
  // By hand, Spark's definition: cov = [[B, 0], [0, 0]] keeps B's eigenvalues, so the pseudo-inverse is
  // B^-1 (and 0), the pseudo-determinant det B, and pdf(x) = (2 pi)^(-3/2) det(B)^(-1/2) exp(-v' B^-1 v / 2)
  // with v the first two coordinates of x - mean (Spark keeps d = 3 in the constant).
  const g1 = model.gaussians[1]!;
  const c = (i: number, j: number) => g1.cov.apply(i, j);
  t.equal(c(2, 2), 0, 'the constant feature has variance 0');
  const det = c(0, 0) * c(1, 1) - c(0, 1) * c(1, 0);
  const mu = g1.mean.toArray();
  const pdf1 = (p: number[]) => {
    const v0 = p[0]! - mu[0]!;
    const v1 = p[1]! - mu[1]!;
    const q = (c(1, 1) * v0 * v0 - 2 * c(0, 1) * v0 * v1 + c(0, 0) * v1 * v1) / det;
    return Math.exp(-0.5 * q) / ((2 * Math.PI) ** 1.5 * Math.sqrt(det));
  };
  for (const i of [0, 17, 101]) {
    const p = [x[i * 3]!, x[i * 3 + 1]!, 7];
    close(t, g1.pdf(p), pdf1(p), `MultivariateGaussian.pdf of the degenerate component at row ${i}`, 1e-9);
    const w = model.weights;
    const p0 = w[0]! * model.gaussians[0]!.pdf(p);
    const p1 = w[1]! * pdf1(p);
    const e = 2.220446049250313e-16;
    closeAll(t, model.predictProbability(p).toArray(), [(e + p0) / (2 * e + p0 + p1), (e + p1) / (2 * e + p0 + p1)], `row ${i}: posteriors with the degenerate density (the kernel's pseudo-inverse path)`, 1e-9);
  }
  const probs = (await model.transform(frame(x, 3, 2)).select('probability').collect()).map((r) => (r.probability as { toArray(): Float64Array }).toArray());
  closeAll(t, probs[17]!, model.predictProbability([x[17 * 3]!, x[17 * 3 + 1]!, 7]).toArray(), 'transform agrees', 1e-15);
});

t.test("MultivariateGaussian with a singular covariance: Spark's pseudo-inverse and pseudo-determinant", async (t) => {
  // numpy, Spark's recipe (eigh, tol = eps * max * d): for cov [[2, 1, 0], [1, 2, 0], [0, 0, 0]] the kept
  // eigenvalues are 1 and 3, log pdet = log 3, and at x - mu = (1, -0.5, 4) the quadratic form is 1.1666666666666665 (= v' B^-1 v over the first two features).
  const gm = new MultivariateGaussian([1, 2, 3], [[2, 1, 0], [1, 2, 0], [0, 0, 0]]);
  const want = -0.5 * (3 * Math.log(2 * Math.PI) + Math.log(3)) - 0.5 * 1.1666666666666665;
  close(t, gm.logpdf([2, 1.5, 7]), want, 'logpdf = -(d log 2pi + log pdet)/2 - v pinv v / 2', 1e-14);
  // rank 1: [[1, 1], [1, 1]] keeps 2 along (1, 1)/sqrt 2
  const r1 = new MultivariateGaussian([0, 0], [[1, 1], [1, 1]]);
  close(t, r1.logpdf([1, 2]), -0.5 * (2 * Math.log(2 * Math.PI) + Math.log(2)) - 9 / 8, 'rank 1', 1e-14);
  // a model given by value keeps a regularised covariance; a covariance that no regularisation fixes is degenerate
  const { value: byValue, warnings } = await withWarnings(async () => new GaussianMixtureModel({ mixture: { weights: [0.5, 0.5], means: [[0, 0], [3, 3]], covariances: [[[1, 0], [0, 1]], [[1, 1e3], [1e3, 1]]] } }));
  t.match(warnings.map((w) => w.message).join('\n'), /component\(s\) 1 stay singular with 100 added to the diagonal and are evaluated as Spark's degenerate Gaussian \(pseudo-inverse and pseudo-determinant, rank 1\)/);
  t.ok(Number.isFinite(byValue.predictProbability([1, 1]).toArray()[1]!), 'and predicts');
});
