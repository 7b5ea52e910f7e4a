// PCA: Spark's documented example (PySpark docstring; the ML guide's data), a case against
// numpy, every param, local vs local[2], persistence (alone and in a Pipeline), bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PCA, PCAModel, Pipeline, PipelineModel, Vectors, DenseVector, VectorAssembler } from '../../../ts/ml/index.js';
import { Session, col, lit } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('pca').master('local').getOrCreate();
t.teardown(() => spark.stop());

const docData = () => spark.createDataFrame([
  { features: Vectors.sparse(5, [1, 3], [1.0, 7.0]) },
  { features: Vectors.dense([2.0, 0.0, 3.0, 4.0, 5.0]) },
  { features: Vectors.dense([4.0, 0.0, 0.0, 6.0, 7.0]) },
]);
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => a.length === b.length && Array.from(a).every((x, i) => Math.abs(x - b[i]!) <= tol);

t.test("Spark's documented example: pc, explainedVariance and the projections", async (t) => {
  const pca = new PCA({ k: 2, inputCol: 'features' });
  pca.setOutputCol('pca_features');
  const model = await pca.fit(docData());
  t.equal(model.getK(), 2);
  t.equal(model.pc.numRows, 5);
  t.equal(model.pc.numCols, 2);
  // PySpark docstring: DenseMatrix(5, 2, [-0.4486, 0.133, -0.1252, 0.2165, -0.8477, -0.2842, -0.0562, 0.7636, -0.5653, -0.1156], False)
  t.ok(close(model.pc.toArray(), [-0.4486, 0.133, -0.1252, 0.2165, -0.8477, -0.2842, -0.0562, 0.7636, -0.5653, -0.1156], 5e-5), String(model.pc.toArray()));
  // DenseVector([0.794..., 0.205...]); numpy's svd of the covariance: 0.79439325, 0.20560675
  t.ok(close(model.explainedVariance.toArray(), [0.794393253, 0.205606747], 1e-9));
  const rows = await model.transform(docData()).collect();
  // the ML guide's output (first two components): [1.6485728230883807,-4.013282700516296], …
  const want = [[1.6485728230883807, -4.013282700516296], [-4.645104331781534, -1.1167972663619026], [-6.428880535676489, -5.337951427775355]];
  rows.forEach((r, i) => t.ok(close((r.pca_features as DenseVector).toArray(), want[i]!, 1e-9), `row ${i}`));
  t.ok(rows[0]!.pca_features instanceof DenseVector, 'a sparse input gives a dense output');
});

t.test('a case against numpy: covariance (n - 1), eigenvectors up to sign, projections pc^T x without centring', async (t) => {
  const x = [[2, 0, 1], [0, 3, 1], [4, 1, 0], [1, 1, 5], [3, 2, 2]];
  const df = new VectorAssembler({ inputCols: ['a', 'b', 'c'], outputCol: 'f' }).transform(spark.createDataFrame(x.map(([a, b, c]) => ({ a, b, c }))));
  const m = await new PCA({ k: 3, inputCol: 'f', outputCol: 'p' }).fit(df);
  // numpy: u, s, _ = np.linalg.svd(np.cov(X.T)); s / s.sum(), u[:, :2]
  t.ok(close(m.explainedVariance.toArray(), [0.60147424, 0.29852576, 0.1], 1e-8));
  const numpyPc = [[-0.54966172, 0.08958446, 0.83057006], [0.6419951, -0.59086164, 0.48859472]];
  const pc = m.pc.toArray();
  numpyPc.forEach((u, c) => {
    const got = Array.from(pc.subarray(c * 3, c * 3 + 3));
    t.ok(close(got, u, 1e-8) || close(got.map((v) => -v), u, 1e-8), `component ${c} up to sign`);
    t.ok(got[0]! < 0, 'kindling sign rule: first non-zero entry negative');
  });
  const rows = await m.transform(df).collect();
  rows.forEach((r, i) => {
    const p = (r.p as DenseVector).toArray();
    for (let c = 0; c < 3; c++) t.ok(Math.abs(p[c]! - x[i]!.reduce((s, v, j) => s + v * pc[c * 3 + j]!, 0)) < 1e-12);
  });
});

t.test('defaults and params: outputCol <uid>__output, k required and > 0', async (t) => {
  const pca = new PCA({ inputCol: 'features', k: 1 });
  t.equal(pca.getOutputCol(), `${pca.uid}__output`);
  const m = await pca.fit(docData());
  t.same(m.transform(docData()).columns, ['features', `${pca.uid}__output`]);
  t.throws(() => new PCA({ k: 0 }), /expected integer > 0 for k/);
  t.throws(() => new PCA({ k: 1.5 }), /expected integer > 0 for k/);
  await t.rejects(new PCA({ inputCol: 'features' }).fit(docData()), /PCA: expected a value \(the param has no default and was not set\) for k/);
});

t.test('bad input: k above the size, one row, empty, null row, size mismatch, NaN, wrong type', async (t) => {
  await t.rejects(new PCA({ k: 6, inputCol: 'features' }).fit(docData()), /source vector size 5 must be no less than k=6/);
  await t.rejects(new PCA({ k: 1, inputCol: 'f' }).fit(spark.createDataFrame([{ f: Vectors.dense([1, 2]) }])), /computeCovariance called on matrix with only 1 rows/);
  await t.rejects(new PCA({ k: 1, inputCol: 'features' }).fit(docData().filter(col('features').isNull())), /only 0 rows/);
  await t.rejects(new PCA({ k: 1, inputCol: 'f' }).fit(spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: null }])), /row 1 of the features column is null/);
  await t.rejects(new PCA({ k: 1, inputCol: 'f' }).fit(spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([1, 2, 3]) }])), /row 1 of the features column has size 3, but earlier rows have size 2/);
  await t.rejects(new PCA({ k: 1, inputCol: 'f' }).fit(spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([1, NaN]) }])), /row 1 of the features column has NaN at position 1; PCA needs finite values/);
  await t.rejects(new PCA({ k: 1, inputCol: 'f' }).fit(spark.createDataFrame([{ f: Vectors.sparse(70000, [1], [1]) }, { f: Vectors.sparse(70000, [2], [1]) }])), /PCA\.fit: expected at most 65535 \(Argument with more than 65535 cols\) for vector size, got 70000/);
  await t.rejects(new PCA({ k: 1, inputCol: 's' }).fit(spark.createDataFrame([{ s: 'x' }])), /column s \(inputCol\) must be a vector column, but is string/);
  const m = await new PCA({ k: 2, inputCol: 'features', outputCol: 'p' }).fit(docData());
  t.throws(() => m.transform(docData().withColumn('p', lit(1))), /output column p already exists/);
  await t.rejects(m.transform(spark.createDataFrame([{ features: Vectors.dense([1, 2]) }])).collect(), /expected 5 \(the fitted size\) for vector size, got 2/);
  t.same(await m.transform(docData().filter(col('features').isNull())).collect(), [], 'empty DataFrame transforms to empty');
  const withNull = await m.transform(spark.createDataFrame([{ features: Vectors.dense([1, 0, 0, 0, 0]) }, { features: null }])).collect();
  t.equal(withNull[1]!.p, null, 'a null row stays null in transform');
});

t.test('save/load in Spark layout (pc MatrixUDT, explainedVariance VectorUDT), alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const m = await new PCA({ k: 2, inputCol: 'features', outputCol: 'p' }).fit(docData());
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.PCAModel');
  t.same(meta.paramMap, { k: 2, inputCol: 'features', outputCol: 'p' });
  const back = await PCAModel.load(join(dir, 'm'));
  t.same(Array.from(back.pc.toArray()), Array.from(m.pc.toArray()));
  t.same(Array.from(back.explainedVariance.toArray()), Array.from(m.explainedVariance.toArray()));
  t.same(await back.transform(docData()).collect(), await m.transform(docData()).collect());
  const pm = await new Pipeline({ stages: [new PCA({ k: 3, inputCol: 'features', outputCol: 'p' })] }).fit(docData());
  await pm.save(join(dir, 'p'));
  t.same(await (await PipelineModel.load(join(dir, 'p'))).transform(docData()).collect(), await pm.transform(docData()).collect());
});

// last: it stops the `local` session and starts a `local[2]` one
t.test('local and local[2] give the same model', async (t) => {
  const rows = Array.from({ length: 300 }, (_, i) => ({ f: Vectors.dense([Math.sin(i), Math.cos(i * 0.7) * 3, (i % 13) - 6, i / 100]) }));
  const a = await new PCA({ k: 3, inputCol: 'f' }).fit(spark.createDataFrame(rows).repartition(1));
  await spark.stop();
  const s2 = await Session.builder().appName('pca2').master('local[2]').getOrCreate();
  t.teardown(() => s2.stop());
  const b = await new PCA({ k: 3, inputCol: 'f' }).fit(s2.createDataFrame(rows).repartition(4));
  t.ok(close(a.pc.toArray(), b.pc.toArray(), 1e-10));
  t.ok(close(a.explainedVariance.toArray(), b.explainedVariance.toArray(), 1e-12));
});
