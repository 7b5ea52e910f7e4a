// LogisticRegression / LogisticRegressionModel persistence: the three Spark fixtures
// (../shared/fixtures/spark-models, PROVENANCE.json: no expected outputs are shipped with them, so
// the predictions are checked against a hand computation from the stored coefficients:
// p1 = 1 / (1 + exp(−(β·x + b))), softmax for the multinomial one), and kindling's own round trip.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../ts/src/index.js';
import { LogisticRegression, LogisticRegressionModel, Matrices, PipelineModel, Vectors, type DenseVector } from '../../../ts/ml/index.js';
import { frameOf } from './logreg-helpers.js';

const SPARK = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models');
const sigmoid = (m: number) => 1 / (1 + Math.exp(-m));
const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

t.test('logreg-binomial-3.5.1: coefficients, params and predictions', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const m = await LogisticRegressionModel.load(join(SPARK, 'logreg-binomial-3.5.1'));
  t.equal(m.uid, 'LogisticRegression_dc5a9e57e037');
  t.equal(m.numFeatures, 8);
  t.equal(m.numClasses, 2);
  t.equal(m.isMultinomial, false);
  t.equal(m.getLabelCol(), 'diabetes');
  t.equal(m.getThreshold(), 0.5);
  t.equal(m.getMaxBlockSizeInMB(), 0);
  t.equal(m.intercept, -27.30840035829736);
  const beta = [0.28894312142132184, 0.047091786327753446, 0.75559488735139, 0.7103847481659096, 0.005909590881699171, 0.09049449726524875, 2.3281356877332526, 0.03369230976130341];
  t.same([...m.coefficients.toArray()], beta);
  const rows = [[6, 148, 72, 35, 0, 33.6, 0.627, 50], [1, 85, 66, 29, 0, 26.6, 0.351, 31], [8, 183, 64, 0, 0, 23.3, 0.672, 32]];
  const out = await m.transform(frameOf(spark, rows.map((x) => ({ x, label: 0 })))).collect();
  rows.forEach((x, i) => {
    const margin = x.reduce((s, v, j) => s + v * beta[j]!, -27.30840035829736);
    const p = (out[i]!.probability as DenseVector).toArray();
    t.ok(close(p[1]!, 1 - sigmoid(-margin)), `row ${i} probability`);
    t.ok(close((out[i]!.rawPrediction as DenseVector).toArray()[1]!, margin));
    t.equal(out[i]!.prediction, p[1]! > 0.5 ? 1 : 0);
  });
});

t.test('logreg-elasticnet-3.5.0-amzn: a sparse all-zero 9 x 11 matrix, multinomial', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const m = await LogisticRegressionModel.load(join(SPARK, 'logreg-elasticnet-3.5.0-amzn'));
  t.equal(m.isMultinomial, true);
  t.equal(m.numClasses, 9);
  t.equal(m.numFeatures, 11);
  t.equal(m.getRegParam(), 0.3);
  t.equal(m.getElasticNetParam(), 0.8);
  t.equal(m.getMaxIter(), 10);
  t.ok(m.coefficientMatrix.values.every((v) => v === 0));
  const b = [-3.2597921840424, -3.2597921840424, -3.2597921840424, -0.6126495493235097, 1.1201622473303061, 3.574950584931841, 3.5600362399038517, 2.3674985905320693, -0.2306215612473586];
  t.same([...m.interceptVector.toArray()], b);
  t.throws(() => m.coefficients, /Multinomial models contain a matrix of coefficients, use coefficientMatrix instead/);
  t.throws(() => m.intercept, /use interceptVector instead/);
  const [row] = await m.transform(frameOf(spark, [{ x: Array.from({ length: 11 }, (_, j) => j), label: 0 }])).collect();
  const z = b.reduce((s, v) => s + Math.exp(v), 0);
  const p = (row!.probability as DenseVector).toArray();
  b.forEach((v, c) => t.ok(close(p[c]!, Math.exp(v) / z), `softmax ${c}`));
  t.equal(row!.prediction, 5, 'the largest intercept');
});

t.test('pipeline-logreg-2.4.5: a PipelineModel of Spark 2.4 with one binomial model', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const pm = await PipelineModel.load(join(SPARK, 'pipeline-logreg-2.4.5'));
  const m = pm.stages[0] as LogisticRegressionModel;
  t.ok(m instanceof LogisticRegressionModel);
  t.equal(m.uid, 'LogisticRegression_68ce3cab9e69');
  t.equal(m.numFeatures, 30);
  t.equal(m.getWeightCol(), 'weights');
  t.equal(m.getElasticNetParam(), 0.001);
  const x = Array.from({ length: 30 }, (_, j) => (j % 5) - 2);
  const beta = m.coefficients.toArray();
  const margin = x.reduce((s, v, j) => s + v * beta[j]!, m.intercept);
  const [row] = await pm.transform(frameOf(spark, [{ x, label: 0 }])).collect();
  t.ok(close((row!.probability as DenseVector).toArray()[1]!, 1 - sigmoid(-margin)));
  t.ok(beta.some((v) => v !== 0) && Number.isFinite(m.intercept));
});

t.test('round trip: Spark layout (row-major dense matrix), params, bounds as Spark JSON', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const dir = mkdtempSync(join(tmpdir(), 'kindling-logreg-'));
  const m = new LogisticRegressionModel({ coefficientMatrix: Matrices.dense(3, 2, [1, 2, 3, 4, 5, 6]), interceptVector: [0.1, 0.2, -0.3], thresholds: [0.2, 0.3, 0.5] });
  await m.save(join(dir, 'm'));
  const back = await LogisticRegressionModel.load(join(dir, 'm'));
  t.same([...back.coefficientMatrix.values], [...m.coefficientMatrix.values]);
  t.same([...back.interceptVector.toArray()], [0.1, 0.2, -0.3]);
  t.same(back.getThresholds(), [0.2, 0.3, 0.5]);
  t.equal(back.numClasses, 3);
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.classification.LogisticRegressionModel');
  t.ok(readdirSync(join(dir, 'm', 'data')).some((f) => f.endsWith('.parquet')));
  const bin = new LogisticRegressionModel({ coefficients: [1.5, -2], intercept: 0.25 });
  await bin.save(join(dir, 'b'));
  const b2 = await LogisticRegressionModel.load(join(dir, 'b'));
  t.same([...b2.coefficients.toArray()], [1.5, -2]);
  t.equal(b2.intercept, 0.25);
  t.equal(b2.coefficientMatrix.isTransposed, true, 'binomial coefficients stored row-major, as Spark requires');

  const est = new LogisticRegression({ regParam: 0.01, lowerBoundsOnCoefficients: Matrices.dense(1, 2, [0, -1]), upperBoundsOnIntercepts: Vectors.dense(2) });
  await est.save(join(dir, 'e'));
  const raw = JSON.parse(readFileSync(join(dir, 'e', 'metadata', 'part-00000'), 'utf8'));
  t.same(raw.paramMap.lowerBoundsOnCoefficients, { class: 'matrix', type: 1, numRows: 1, numCols: 2, values: [0, -1], isTransposed: false });
  t.same(raw.paramMap.upperBoundsOnIntercepts, { type: 1, values: [2] });
  const e2 = await LogisticRegression.load(join(dir, 'e'));
  t.equal(e2.getRegParam(), 0.01);
  t.same([...e2.getLowerBoundsOnCoefficients()!.toArray()], [0, -1]);
  t.same([...e2.getUpperBoundsOnIntercepts()!.toArray()], [2]);
});
