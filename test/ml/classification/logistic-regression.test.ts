// LogisticRegression: PySpark's docstring examples with their documented outputs, the optimum of
// Spark's objective against scipy references (test/reference/logistic_regression_reference.py →
// test/fixtures/ml/logreg_reference.json: L-BFGS-B to gtol 1e-13 on Spark's objective written in
// numpy, the L1 part split as u − v ≥ 0), Spark's special cases and its errors.
import t from 'tap';
import { Session } from '../../../ts/src/index.js';
import { LogisticRegression, LogisticRegressionModel, Matrices, Vectors, BinaryLogisticRegressionSummary, BinaryLogisticRegressionTrainingSummary, LogisticRegressionSummary, LogisticRegressionTrainingSummary, type DenseVector } from '../../../ts/ml/index.js';
import { REFERENCE, frameOf, libsvmRows, relErr, rowsOf } from './logreg-helpers.js';

const approx = (a: number, b: number, digits: number) => Math.abs(a - b) < 0.5 * 10 ** -digits;

t.test('PySpark docstring: binomial with weights, thresholds, predictions, evaluate', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const bdf = spark.createDataFrame(
    [
      { label: 1.0, weight: 1.0, features: Vectors.dense(0.0, 5.0) },
      { label: 0.0, weight: 2.0, features: Vectors.dense(1.0, 2.0) },
      { label: 1.0, weight: 3.0, features: Vectors.dense(2.0, 1.0) },
      { label: 0.0, weight: 4.0, features: Vectors.dense(3.0, 3.0) },
    ],
    'label double, weight double, features vector',
  );
  const blor = new LogisticRegression({ weightCol: 'weight' });
  t.equal(blor.getRegParam(), 0);
  blor.setRegParam(0.01);
  t.equal(blor.getRegParam(), 0.01);
  blor.setMaxIter(10);
  t.equal(blor.getMaxIter(), 10);
  blor.clear(blor.maxIter);
  const blorModel = await blor.fit(bdf);
  blorModel.setFeaturesCol('features');
  blorModel.setProbabilityCol('newProbability');
  t.equal(blorModel.getProbabilityCol(), 'newProbability');
  t.equal(blorModel.getMaxBlockSizeInMB(), 0);
  blorModel.setThreshold(0.1);
  t.equal(blorModel.getThreshold(), 0.1);
  const c = blorModel.coefficients.toArray();
  t.ok(String(c[0]).startsWith('-1.080') && String(c[1]).startsWith('-0.646'), `coefficients ${c}`);
  t.ok(String(blorModel.intercept).startsWith('3.112'));
  // Spark computes the summary lazily, so after setThreshold(0.1) both sides use 0.1; kindling's
  // training summary is computed at fit (threshold 0.5): compare evaluate with the fit-time threshold.
  t.equal((await blorModel.copy().setThreshold(0.5).evaluate(bdf)).accuracy, blorModel.summary.accuracy);
  t.equal(blorModel.predict(Vectors.dense(-1.0, 1.0)), 1);
  const raw = blorModel.predictRaw(Vectors.dense(-1.0, 1.0)).toArray();
  t.ok(String(raw[0]).startsWith('-3.54') && String(raw[1]).startsWith('3.54'));
  const p = blorModel.predictProbability(Vectors.dense(-1.0, 1.0)).toArray();
  t.ok(approx(p[0]!, 0.028, 3) && approx(p[1]!, 0.972, 3));
  const test0 = spark.createDataFrame([{ features: Vectors.dense(-1.0, 1.0) }], 'features vector');
  const [result] = await blorModel.transform(test0).collect();
  t.equal(result!.prediction, 1);
  t.ok(String((result!.newProbability as DenseVector).toArray()[0]).startsWith('0.02'));
  t.ok(String((result!.rawPrediction as DenseVector).toArray()[1]).startsWith('3.54'));
  const test1 = spark.createDataFrame([{ features: Vectors.sparse(2, [0], [1.0]) }], 'features vector');
  t.equal((await blorModel.transform(test1).collect())[0]!.prediction, 1);
  t.ok(blorModel.summary instanceof BinaryLogisticRegressionTrainingSummary);
});

t.test('PySpark docstring: multinomial, L1 (sample_multiclass_classification_data)', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const mdf = frameOf(spark, libsvmRows('sample_multiclass_classification_data.txt', 4));
  const mlorModel = await new LogisticRegression({ regParam: 0.1, elasticNetParam: 1.0, family: 'multinomial' }).fit(mdf);
  // SparseMatrix(3, 4, [0, 1, 2, 3], [3, 2, 1], [1.87..., -2.75..., -0.50...], 1): row-major, one entry a row
  const cm = mlorModel.coefficientMatrix;
  const nz = cm.toRows().map((r) => r.map((v, j) => [j, v] as const).filter(([, v]) => v !== 0));
  t.same(nz.map((r) => r.map(([j]) => j)), [[3], [2], [1]]);
  t.ok(String(nz[0]![0]![1]).startsWith('1.87') && String(nz[1]![0]![1]).startsWith('-2.75') && String(nz[2]![0]![1]).startsWith('-0.50'));
  const iv = mlorModel.interceptVector.toArray();
  t.ok(String(iv[0]).startsWith('0.04') && String(iv[1]).startsWith('-0.42') && String(iv[2]).startsWith('0.37'), `intercepts ${iv}`);
  t.ok(mlorModel.summary instanceof LogisticRegressionTrainingSummary);
  t.equal(mlorModel.summary.labels.length, 3);
  t.throws(() => mlorModel.binarySummary, /Cannot create a binary summary for a non-binary model/);
  const ev = await mlorModel.evaluate(mdf);
  t.ok(ev instanceof LogisticRegressionSummary && !(ev instanceof BinaryLogisticRegressionSummary));
  t.equal(ev.accuracy, mlorModel.summary.accuracy);
  t.throws(() => ev.asBinary, /Cannot cast to a binary summary/);
});

t.test("Spark's objective optimum against scipy (1e-4 relative): binomial, multinomial, elastic net, standardization, weights, no intercept", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const bc = frameOf(spark, rowsOf('breast_cancer'));
  const iris = rowsOf('iris');
  const versus = iris.filter((r) => r.label > 0).map((r, i) => ({ x: r.x, label: r.label - 1, weight: 1 + (i % 3) }));
  const cases: Array<[string, ReturnType<typeof frameOf>, Record<string, unknown>]> = [
    ['bc_l2_std', bc, {}],
    ['bc_enet_std', bc, {}],
    ['bc_enet_nostd', bc, {}],
    ['bc_l2_noint', bc, {}],
    ['iris_l2_std', frameOf(spark, iris), {}],
    ['iris_l2_nostd', frameOf(spark, iris), {}],
    ['iris_enet_std', frameOf(spark, iris), {}],
    ['iris_binary_weighted', frameOf(spark, versus), { weightCol: 'weight' }],
    ['iris_binary_nostd', frameOf(spark, versus.map(({ x, label }) => ({ x, label }))), {}],
    ['digits_l2_std', frameOf(spark, rowsOf('digits300')), {}],
  ];
  for (const [name, df, extra] of cases) {
    const ref = REFERENCE[name]!;
    const m = await new LogisticRegression({ ...(ref.params as Record<string, never>), ...extra, tol: 1e-12, maxIter: 2000 }).fit(df);
    t.ok(relErr(m.coefficientMatrix.values, ref.coefficients) < 1e-4, `${name}: coefficients (${relErr(m.coefficientMatrix.values, ref.coefficients)})`);
    if (ref.params.fitIntercept) t.ok(relErr(m.interceptVector.toArray(), ref.intercepts) < 1e-4, `${name}: intercepts`);
    else t.same([...m.interceptVector.toArray()], [0], `${name}: no intercept`);
    const h = m.summary.objectiveHistory;
    t.ok(Math.abs(h[h.length - 1]! - ref.objective) < 1e-9 * ref.objective, `${name}: objective ${h[h.length - 1]} vs ${ref.objective}`);
    t.ok(m.summary.converged);
  }
});

t.test('one class: no training (coefficients 0, intercept ±Infinity) and Spark’s warning', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const warnings: string[] = [];
  const onWarn = (w: Error & { code?: string }) => warnings.push(`${w.code}`);
  process.on('warning', onWarn);
  t.teardown(() => process.off('warning', onWarn));
  const ones = frameOf(spark, [{ x: [1, 2], label: 1 }, { x: [3, 1], label: 1 }]);
  const m1 = await new LogisticRegression().fit(ones);
  t.same([...m1.coefficients.toArray()], [0, 0]);
  t.equal(m1.intercept, Infinity);
  t.same(m1.summary.objectiveHistory, [0]);
  t.equal(m1.predict([5, 5]), 1);
  const zeros = await new LogisticRegression().fit(frameOf(spark, [{ x: [1, 2], label: 0 }, { x: [3, 1], label: 0 }]));
  t.equal(zeros.intercept, -Infinity, 'numClasses 1: −∞');
  t.equal(zeros.predict([5, 5]), 0);
  const multi = await new LogisticRegression({ family: 'multinomial' }).fit(ones);
  t.same([...multi.interceptVector.toArray()], [0, Infinity]);
  await new Promise((r) => setImmediate(r));
  t.ok(warnings.filter((w) => w === 'KINDLING_LOGISTIC_CONSTANT_LABEL').length >= 3);
});

t.test('a constant feature gets coefficient 0; non-convergence is a warning and the summary says so', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const rows = rowsOf('iris').filter((r) => r.label > 0).map((r) => ({ x: [...r.x, 7], label: r.label - 1 }));
  const m = await new LogisticRegression({ regParam: 0.01 }).fit(frameOf(spark, rows));
  t.equal(m.coefficients.toArray()[4], 0);
  const codes: string[] = [];
  const onWarn = (w: Error & { code?: string }) => codes.push(`${w.code}`);
  process.on('warning', onWarn);
  t.teardown(() => process.off('warning', onWarn));
  const short = await new LogisticRegression({ regParam: 0.01, maxIter: 2 }).fit(frameOf(spark, rows));
  await new Promise((r) => setImmediate(r));
  t.equal(short.summary.converged, false);
  t.equal(short.summary.totalIterations, 2);
  t.ok(codes.includes('KINDLING_LOGISTIC_NOT_CONVERGED'));
});

t.test('summary: Spark’s binary metrics of probability[1] and the multiclass metrics', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const rows = rowsOf('iris').filter((r) => r.label > 0).map((r) => ({ x: r.x, label: r.label - 1 }));
  const m = await new LogisticRegression({ regParam: 0.05 }).fit(frameOf(spark, rows));
  const s = m.binarySummary;
  t.same(s.labels, [0, 1]);
  const preds = await s.predictions.collect();
  const acc = preds.filter((r) => r.prediction === r.label).length / preds.length;
  t.equal(s.accuracy, acc);
  // precision of class 1 by hand
  const tp = preds.filter((r) => r.prediction === 1 && r.label === 1).length;
  const fp = preds.filter((r) => r.prediction === 1 && r.label === 0).length;
  t.equal(s.precisionByLabel[1], tp / (tp + fp));
  t.ok(s.areaUnderROC > 0.95 && s.areaUnderROC <= 1);
  const roc = await s.roc.collect();
  t.same(roc[0], { FPR: 0, TPR: 0 });
  t.same(roc[roc.length - 1], { FPR: 1, TPR: 1 });
  t.same(s.roc.columns, ['FPR', 'TPR']);
  t.same(s.pr.columns, ['recall', 'precision']);
  t.same(s.fMeasureByThreshold.columns, ['threshold', 'F-Measure']);
  t.same(s.precisionByThreshold.columns, ['threshold', 'precision']);
  t.same(s.recallByThreshold.columns, ['threshold', 'recall']);
  t.equal(s.scoreCol, 'probability');
  t.equal(s.totalIterations, s.objectiveHistory.length - 1);
  for (let i = 1; i < s.objectiveHistory.length; i++) t.ok(s.objectiveHistory[i]! <= s.objectiveHistory[i - 1]! + 1e-15);
  t.throws(() => new LogisticRegressionModel({ coefficients: [1] }).summary, /No training summary available/);
  t.equal(new LogisticRegressionModel({ coefficients: [1] }).hasSummary, false);
});

t.test('thresholds and threshold: Spark’s consistency rules and binomial predictions', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const m = new LogisticRegressionModel({ coefficients: [1], intercept: 0 });
  t.equal(m.getThreshold(), 0.5);
  t.equal(m.getThresholds(), undefined);
  m.setThresholds([0.4, 0.6]);
  t.ok(Math.abs(m.getThreshold() - 0.6) < 1e-15, '1 / (1 + t0 / t1)');
  m.setThreshold(0.3);
  t.equal(m.isSet(m.thresholds), false, 'setThreshold clears thresholds');
  t.same(m.getThresholds(), [0.7, 0.3]);
  // p1 = sigmoid(x): 0.3 < sigmoid(-0.5) = 0.377 → 1
  t.equal(m.predict([-0.5]), 1);
  const df = spark.createDataFrame([{ features: Vectors.dense(-0.5) }, { features: Vectors.dense(-1) }], 'features vector');
  t.same((await m.transform(df).collect()).map((r) => r.prediction), [1, 0]);
  m.setProbabilityCol('');
  t.same((await m.transform(df).collect()).map((r) => r.prediction), [1, 0], 'from the raw margin: m > log(t / (1 − t))');
  m.setThreshold(0);
  t.equal(m.predict([-100]), 1);
  m.setThreshold(1);
  t.equal(m.predict([100]), 0);
  const both = new LogisticRegression({ threshold: 0.3, thresholds: [0.5, 0.5] });
  t.throws(() => both.getThreshold(), /inconsistent values for threshold \(0\.3\) and thresholds \(equivalent to 0\.5\)/);
  const three = new LogisticRegression({ threshold: 0.3, thresholds: [0.2, 0.3, 0.5] });
  t.throws(() => three.transformSchema(df.schema), /Param threshold is set \(0\.3\), indicating binary classification, but Param thresholds is set with length 3/);
  t.throws(() => new LogisticRegression({ thresholds: [0.2, 0.3, 0.5] }).getThreshold(), /getThreshold only applies to binary classification, but thresholds has length != 2/);
});

t.test('bad input: Spark’s messages naming the param or column', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const three = frameOf(spark, [{ x: [1], label: 0 }, { x: [2], label: 1 }, { x: [3], label: 2 }]);
  await t.rejects(new LogisticRegression({ family: 'binomial' }).fit(three), /Binomial family only supports 1 or 2 outcome classes but found 3\.\) for family/);
  await t.rejects(new LogisticRegression({ thresholds: [0.5, 0.5] }).fit(three), /non-matching numClasses and thresholds\.length\. numClasses=3, but thresholds has length 2\) for thresholds/);
  await t.rejects(new LogisticRegression({ lowerBoundsOnCoefficients: Matrices.dense(1, 2, [0, 0]) }).fit(three), /a 3 x 1 matrix \(The shape of lowerBoundsOnCoefficients must be compatible.*got "\(1, 2\)"/);
  await t.rejects(new LogisticRegression({ lowerBoundsOnIntercepts: Vectors.dense(0, 0) }).fit(frameOf(spark, [{ x: [1], label: 0 }, { x: [2], label: 1 }])), /lowerBoundsOnIntercepts.*size 2/);
  await t.rejects(new LogisticRegression({ lowerBoundsOnCoefficients: Matrices.dense(1, 1, [0]), elasticNetParam: 0.5 }).fit(three), /only supports L2 regularization, but got elasticNetParam = 0\.5/);
  await t.rejects(new LogisticRegression({ lowerBoundsOnIntercepts: Vectors.dense(0), fitIntercept: false }).fit(three), /Please don't set bounds on intercepts if fitting without intercept/);
  await t.rejects(new LogisticRegression().fit(frameOf(spark, [{ x: [1], label: 0 }, { x: [2], label: 0.5 }])), /row 1 of label column label is 0\.5/);
  await t.rejects(new LogisticRegression().fit(frameOf(spark, [{ x: [1], label: 0 }, { x: [NaN], label: 1 }])), /row 1/);
  await t.rejects(new LogisticRegression({ weightCol: 'weight' }).fit(frameOf(spark, [{ x: [1], label: 0, weight: 1 }, { x: [2], label: 1, weight: -1 }])), /row 1.*weight/i);
  await t.rejects(new LogisticRegression().fit(frameOf(spark, [])), /no rows|at least one/);
  t.throws(() => new LogisticRegression({ family: 'poisson' as never }), /family/);
  t.throws(() => new LogisticRegression({ elasticNetParam: 2 }), /elasticNetParam/);
  const m = new LogisticRegressionModel({ coefficients: [1, 2] });
  await t.rejects(m.transform(frameOf(spark, [{ x: [1, 2, 3], label: 0 }])).collect(), /size 3|3 features|size 2/);
  t.throws(() => m.predict([1]), /a vector of size 2/);
});

t.test('bounds: L-BFGS-B keeps coefficients and intercepts in their boxes', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const rows = rowsOf('iris').filter((r) => r.label > 0).map((r) => ({ x: r.x, label: r.label - 1 }));
  const free = await new LogisticRegression({ regParam: 0.01 }).fit(frameOf(spark, rows));
  const neg = free.coefficients.toArray().findIndex((v) => v < 0);
  t.ok(neg >= 0, 'some coefficient is negative without bounds');
  const m = await new LogisticRegression({ regParam: 0.01, lowerBoundsOnCoefficients: Matrices.dense(1, 4, [0, 0, 0, 0]), upperBoundsOnIntercepts: Vectors.dense(-1) }).fit(frameOf(spark, rows));
  t.ok(m.coefficients.toArray().every((v) => v >= 0));
  t.ok(m.intercept <= -1);
  t.ok(m.summary.objectiveHistory.at(-1)! >= free.summary.objectiveHistory.at(-1)! - 1e-12, 'the constrained optimum is not below the free one');
});

t.test('local[2]: the same optimum over two executor threads and several partitions', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const ref = REFERENCE.iris_l2_std!;
  const df = frameOf(spark, rowsOf('iris')).repartition(3);
  const m = await new LogisticRegression({ ...(ref.params as Record<string, never>), tol: 1e-12, maxIter: 500 }).fit(df);
  t.ok(relErr(m.coefficientMatrix.values, ref.coefficients) < 1e-4);
  t.ok(relErr(m.interceptVector.toArray(), ref.intercepts) < 1e-4);
});

t.test('in a Pipeline: fit, transform, save and load; copy with extra params', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const { Pipeline, PipelineModel } = await import('../../../ts/ml/index.js');
  const rows = rowsOf('iris').filter((r) => r.label > 0).map((r) => ({ x: r.x, label: r.label - 1 }));
  const df = frameOf(spark, rows);
  const lr = new LogisticRegression({ regParam: 0.05 });
  const pm = await new Pipeline({ stages: [lr] }).fit(df);
  const dir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'kindling-lr-pipe-'));
  await pm.save(`${dir}/p`);
  const back = await PipelineModel.load(`${dir}/p`);
  const a = await pm.transform(df).collect();
  const b = await back.transform(df).collect();
  t.same(b.map((r) => r.prediction), a.map((r) => r.prediction));
  const copy = lr.copy(new (await import('../../../ts/ml/param/params.js')).ParamMap().put(lr.regParam, 0.5));
  t.equal(copy.getRegParam(), 0.5);
  t.equal(lr.getRegParam(), 0.05);
  const strong = await copy.fit(df);
  const weak = pm.stages[0] as LogisticRegressionModel;
  const norm = (m: LogisticRegressionModel) => m.coefficients.toArray().reduce((s, v) => s + v * v, 0);
  t.ok(norm(strong) < norm(weak), 'more penalty, smaller coefficients');
});

t.test("ML guide examples (their flow; the guide documents no outputs): multinomial summary metrics, binomial best F-measure threshold", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const training = frameOf(spark, libsvmRows('sample_multiclass_classification_data.txt', 4));
  const lrModel = await new LogisticRegression({ maxIter: 10, regParam: 0.3, elasticNetParam: 0.8 }).fit(training);
  t.equal(lrModel.coefficientMatrix.numRows, 3);
  t.equal(lrModel.interceptVector.size, 3);
  const s = lrModel.summary;
  t.equal(s.objectiveHistory.length, s.totalIterations + 1);
  for (const v of [...s.falsePositiveRateByLabel, ...s.truePositiveRateByLabel, ...s.precisionByLabel, ...s.recallByLabel, ...s.fMeasureByLabel()]) t.ok(v >= 0 && v <= 1);
  for (const v of [s.accuracy, s.weightedFalsePositiveRate, s.weightedTruePositiveRate, s.weightedFMeasure(), s.weightedPrecision, s.weightedRecall]) t.ok(v >= 0 && v <= 1);
  t.equal(s.weightedTruePositiveRate, s.weightedRecall);

  // binomial (the guide reads sample_libsvm_data.txt, which is not in the repository: breast cancer instead)
  const bc = frameOf(spark, rowsOf('breast_cancer'));
  const lr = new LogisticRegression({ maxIter: 10, regParam: 0.3, elasticNetParam: 0.8 });
  const m = await lr.fit(bc);
  const bs = m.binarySummary;
  const roc = await bs.roc.collect();
  t.ok(roc.length > 2);
  t.ok(bs.areaUnderROC > 0.9);
  const fm = await bs.fMeasureByThreshold.collect();
  const maxF = Math.max(...fm.map((r) => r['F-Measure'] as number));
  const best = fm.find((r) => r['F-Measure'] === maxF)!.threshold as number;
  lr.setThreshold(best);
  t.equal(lr.getThreshold(), best);
  t.ok(best > 0 && best < 1);
});

t.test("the training summary (one pass over the packed blocks) equals evaluate's (the evaluators over transform)", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const iris = rowsOf('iris');
  const cases = [
    frameOf(spark, iris.filter((r) => r.label > 0).map((r) => ({ x: r.x, label: r.label - 1 }))),
    frameOf(spark, iris.filter((r) => r.label > 0).map((r, i) => ({ x: r.x.map((v) => Math.round(v)), label: r.label - 1, weight: 1 + (i % 4) }))),
  ];
  for (const [i, df] of cases.entries()) {
    const m = await new LogisticRegression({ regParam: 0.02, ...(i === 1 ? { weightCol: 'weight' } : {}) }).fit(df);
    const s = m.binarySummary;
    const e = (await m.evaluate(df)).asBinary;
    t.equal(s.accuracy, e.accuracy);
    t.same(s.precisionByLabel, e.precisionByLabel);
    t.same(s.falsePositiveRateByLabel, e.falsePositiveRateByLabel);
    t.equal(s.weightedFMeasure(0.5), e.weightedFMeasure(0.5));
    t.equal(s.areaUnderROC, e.areaUnderROC, `case ${i}: areaUnderROC`);
    t.same(await s.pr.collect(), await e.pr.collect());
    t.same(await s.recallByThreshold.collect(), await e.recallByThreshold.collect());
  }
  const multi = await new LogisticRegression({ regParam: 0.02 }).fit(frameOf(spark, iris));
  const e = await multi.evaluate(frameOf(spark, iris));
  t.same(multi.summary.recallByLabel, e.recallByLabel);
  t.equal(multi.summary.weightedPrecision, e.weightedPrecision);
  // a multinomial model with only `threshold` set predicts by argmax, as Spark (it reads the thresholds param)
  multi.setThreshold(0.9);
  const rows = await multi.transform(frameOf(spark, iris)).collect();
  t.equal(rows.filter((r) => r.prediction === r.label).length / rows.length, multi.summary.accuracy);
});

t.test('one class under bounds is trained (as Spark) and stays finite', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const m = await new LogisticRegression({ upperBoundsOnIntercepts: Vectors.dense(5), maxIter: 50 }).fit(frameOf(spark, [{ x: [1, 2], label: 1 }, { x: [3, 1], label: 1 }]));
  t.ok(m.intercept <= 5 && Number.isFinite(m.intercept));
  t.ok(m.coefficients.toArray().every(Number.isFinite));
});

t.test("scoreStatsOf equals the binary evaluator's fold (ties, weights, −0 and 0)", async (t) => {
  const { scoreStatsOf } = await import('../../../ts/ml/classification/logistic-regression-tasks.js');
  const { binaryScoreSummary } = await import('../../../ts/ml/evaluation/binary-classification-tasks.js');
  const score = Float64Array.from([0.5, 0.25, 0.5, 1, 0, 0.25, 0.75, 0.5]);
  const label = Float64Array.from([1, 0, 0, 1, 0, 1, 1, 0]);
  const weight = Float64Array.from([1, 2, 3, 0, 1.5, 1, 2, 1]);
  const fold = (s: Float64Array, w: Float64Array | null) => binaryScoreSummary.add(binaryScoreSummary.zero(null), { score: s, label, weight: w }, null, undefined as never);
  const plain = (v: { scores: Float64Array; pos: Float64Array; neg: Float64Array }) => ({ scores: [...v.scores], pos: [...v.pos], neg: [...v.neg] });
  t.same(plain(scoreStatsOf({ score, label, weight: null })), plain(fold(score, null)));
  t.same(plain(scoreStatsOf({ score, label, weight })), plain(fold(score, weight)));
  const signed = Float64Array.from([0, -0, 0.5, -0, 0, 1, -1, 0]);
  const got = scoreStatsOf({ score: signed, label, weight });
  t.same(plain(got), plain(fold(signed, weight)), 'Java order: −0 below 0, two distinct scores');
  t.equal(got.scores.length, 5);
});
