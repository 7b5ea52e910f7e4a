// MultilayerPerceptronClassifier (Spark 3.x): the loss and gradient of small networks against a
// hand computation and central finite differences, iris against scikit-learn's MLPClassifier
// (logistic, lbfgs, alpha 0, same topology and initial weights), PySpark's documented example
// where it does not depend on the JVM's random stream, the saved layout and bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from '../../../ts/src/index.js';
import { Vectors } from '../../../ts/ml/index.js';
import { MultilayerPerceptronClassifier, MultilayerPerceptronClassificationModel } from '../../../ts/ml/classification/index.js';
import { writeData } from '../../../ts/ml/persist.js';
import { makeBatch, type AnyData } from '../../../ts/src/dataframe/batch.js';
import { denseVectorColumn } from '../../../ts/ml/linalg/columns.js';
import { mlpStackLossGrad, MlpWorkspace, mlpWeightSize } from '../../../ts/ml/classification/multilayer-perceptron-topology.js';

t.test('loss and gradient: hand computation (softmax layer) and finite differences (two hidden layers)', async (t) => {
  // layers [2, 2]: W column-major [w00, w10, w01, w11] = [0.1, 0.2, 0.3, 0.4], b = [0.5, −0.5]; x = (1, 2), label 1
  // z = (0.5 + 0.1 + 0.6, −0.5 + 0.2 + 0.8) = (1.2, 0.5); p = softmax(z); loss = −log p_1
  const layers = [2, 2];
  const w = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, -0.5);
  const g = new Float64Array(6);
  const loss = mlpStackLossGrad(layers, w, Float64Array.of(1, 2), Float64Array.of(1), 0, 1, new MlpWorkspace(layers, 1), g);
  const p0 = Math.exp(1.2) / (Math.exp(1.2) + Math.exp(0.5));
  const p1 = 1 - p0;
  t.ok(Math.abs(loss - -Math.log(p1)) < 1e-15);
  // ∇W[o, i] = (p_o − t_o) x_i at o + 2i; ∇b = p − t
  const want = [p0 * 1, (p1 - 1) * 1, p0 * 2, (p1 - 1) * 2, p0, p1 - 1];
  want.forEach((v, i) => t.ok(Math.abs(g[i]! - v) < 1e-15, `gradient[${i}]`));
  // a stack's loss and gradient are means over its rows: two copies of the row give the same
  const g2 = new Float64Array(6);
  const loss2 = mlpStackLossGrad(layers, w, Float64Array.of(1, 2, 1, 2), Float64Array.of(1, 1), 0, 2, new MlpWorkspace(layers, 2), g2);
  t.ok(Math.abs(loss2 - loss) < 1e-15 && g2.every((v, i) => Math.abs(v - g[i]!) < 1e-15));
  // layers [3, 4, 2, 3], 5 rows: central differences (h = 1e-6)
  const L = [3, 4, 2, 3];
  const x = Float64Array.from({ length: 15 }, (_, i) => Math.sin(i + 1));
  const y = Float64Array.of(0, 2, 1, 1, 0);
  const wb = Float64Array.from({ length: mlpWeightSize(L) }, (_, i) => Math.cos(i * 0.7) * 0.8);
  t.equal(wb.length, 3 * 4 + 4 + 4 * 2 + 2 + 2 * 3 + 3);
  const ws = new MlpWorkspace(L, 5);
  const gb = new Float64Array(wb.length);
  mlpStackLossGrad(L, wb, x, y, 0, 5, ws, gb);
  let worst = 0;
  for (let i = 0; i < wb.length; i++) {
    const up = wb.slice();
    up[i] = up[i]! + 1e-6;
    const dn = wb.slice();
    dn[i] = dn[i]! - 1e-6;
    const fd = (mlpStackLossGrad(L, up, x, y, 0, 5, ws, new Float64Array(wb.length)) - mlpStackLossGrad(L, dn, x, y, 0, 5, ws, new Float64Array(wb.length))) / 2e-6;
    worst = Math.max(worst, Math.abs(fd - gb[i]!));
  }
  t.ok(worst < 1e-8, `finite differences agree (worst ${worst})`);
});

const names = ['setosa', 'versicolor', 'virginica'];
const iris = readFileSync(fileURLToPath(new URL('../../fixtures/data/iris.csv', import.meta.url)), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));

t.test("iris against scikit-learn's MLPClassifier (activation='logistic', solver='lbfgs', alpha=0, hidden (5,))", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame(iris.map((r) => ({ label: names.indexOf(r[4]!), features: Vectors.dense(r.slice(0, 4).map(Number)) })), 'label double, features vector');
  // sklearn 1.2 (scratch): coefs_/intercepts_ set to w0 = 0.5 sin(i + 1) in Spark's layout (coefs_[l] is in x out
  // row-major = Spark's out x in column-major), warm_start, max_iter 100, tol 1e-6: loss_ 0.032813064862873574
  // (1000 iterations: 0.03281304817810995), training accuracy 0.9933333333333333; numpy loss at w0: 1.1079992219040942.
  // One stack of 150 rows: Spark's objective is then sklearn's mean log-loss. Exact weights differ with the
  // L-BFGS implementations (local optima); the objective value reached and the accuracy are compared.
  const w0 = Array.from({ length: 43 }, (_, i) => 0.5 * Math.sin(i + 1));
  const mlp = new MultilayerPerceptronClassifier({ layers: [4, 5, 3], initialWeights: Vectors.dense(w0), blockSize: 150 });
  const model = await mlp.fit(df);
  const h = model.summary.objectiveHistory;
  t.ok(Math.abs(h[0]! - 1.1079992219040942) < 1e-12, `initial objective = numpy's loss at w0 (${h[0]})`);
  t.ok(Math.abs(h.at(-1)! - 0.03281304817810995) < 1e-6, `converged objective near sklearn's (${h.at(-1)})`);
  t.equal(await model.summary.accuracy(), 0.9933333333333333);
  t.equal(model.summary.totalIterations, h.length - 1);
  // blockSize 100: stacks of 100 and 50 rows, the objective the mean of the stacks' means (Spark's DataStacker +
  // LBFGS.CostFun); numpy at w0: (mean CE of rows 0..99 + mean CE of rows 100..149) / 2
  const stacked = await new MultilayerPerceptronClassifier({ layers: [4, 5, 3], initialWeights: Vectors.dense(w0), blockSize: 100, maxIter: 0 }).fit(df);
  t.ok(Math.abs(stacked.summary.objectiveHistory[0]! - 1.1387909955741553) < 1e-12, 'stacked objective');
  // sklearn's fitted weights (random_state 0, max_iter 2000, tol 1e-10): loss_ 0.03281304839287844 — our objective
  // there (one more fit of 0 iterations) and its predictions
  const sk = [14.616640269035926,572.5189837679753,463.36735184191997,-158.80427633544556,-26.544472315281293,300.8635419210276,1072.984569358317,400.8826701535108,-1223.0658778743993,-89.64693445654154,-44.911705153774726,-1556.009764461531,-677.3304475172588,2165.635979740221,-13.85671709039962,167.50223969474035,-815.8481360071512,-544.7192311477344,916.6668208930167,-54.500769853698266,-30.08642829074856,271.8119896770866,210.49454935243162,-202.15105763465647,4.103172220755188,-137.85158402375248,133.0087987322652,5.070728517278707,1218.0115612065447,-128.84025126483237,-1089.4702440678652,-125.68714561207481,965.2655961995625,-839.2796326169642,-1642.224227980228,554.523291457437,1087.449457543041,958.4368971403593,-253.46124863937519,-704.2331461264835,281.0967331915312,59.98672086046119,-341.08928300168577];
  const m0 = await new MultilayerPerceptronClassifier({ layers: [4, 5, 3], initialWeights: Vectors.dense(sk), blockSize: 150, maxIter: 0 }).fit(df);
  t.ok(Math.abs(m0.summary.objectiveHistory[0]! - 0.03281304839287844) < 1e-10, 'objective at sklearn\'s optimum = its loss_');
  const pred = (await m0.transform(df).collect()).map((r) => r.prediction).join('');
  t.equal(pred, '000000000000000000000000000000000000000000000000001111111111111111111111111111111112111111111111111122222222222222222222222222222222222222222222222222', "sklearn's predict");
  // raw prediction of row 0 = the output layer before softmax (sklearn: X @ W1 … + b2, numpy)
  const raw = m0.predictRaw(Vectors.dense(5.1, 3.5, 1.4, 0.2)).toArray();
  [1235.5695647622488, 1029.4208645274566, -2264.7684311692365].forEach((v, i) => t.ok(Math.abs(raw[i]! - v) < 1e-9, `raw[${i}]`));
});

t.test("PySpark's example, persistence, gd, bad input", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  const dir = await mkdtemp(join(tmpdir(), 'mlp-'));
  t.teardown(async () => { await spark.stop(); await rm(dir, { recursive: true, force: true }); });
  const df = spark.createDataFrame([[0, [0, 0]], [1, [0, 1]], [1, [1, 0]], [0, [1, 1]]].map(([l, f]) => ({ label: l as number, features: Vectors.dense((f as number[])) })), 'label double, features vector');
  const mlp = new MultilayerPerceptronClassifier({ layers: [2, 2, 2], seed: 123 });
  mlp.setMaxIter(100);
  t.equal(mlp.getMaxIter(), 100);
  t.equal(mlp.getBlockSize(), 128);
  mlp.setBlockSize(1);
  t.equal(mlp.getBlockSize(), 1);
  // Spark's XORShiftRandom(123) initial weights and Breeze's L-BFGS: the documented outputs
  const model = await mlp.fit(df);
  model.setFeaturesCol('features');
  t.equal(model.getMaxIter(), 100);
  t.same(model.getLayers(), [2, 2, 2]);
  t.equal(model.weights.size, 12);
  t.equal(model.numFeatures, 2);
  t.equal(model.numClasses, 2);
  const testDF = spark.createDataFrame([{ features: Vectors.dense(1.0, 0.0) }, { features: Vectors.dense(0.0, 0.0) }], 'features vector');
  t.equal(model.predict(Vectors.dense(1.0, 0.0)), 1.0);
  const raw = model.predictRaw(Vectors.dense(1.0, 0.0)).toArray();
  t.ok(Math.abs(raw[0]! - -16.208) < 5e-4 && Math.abs(raw[1]! - 16.344) < 5e-4, `DenseVector([-16.208, 16.344]): ${raw}`);
  const p = model.predictProbability(Vectors.dense(1, 0)).toArray();
  t.ok(Math.abs(p[0]!) < 5e-4 && Math.abs(p[1]! - 1) < 5e-4, 'DenseVector([0.0, 1.0])');
  t.same((await model.transform(testDF).select('features', 'prediction').collect()).map((r) => r.prediction), [1.0, 0.0]);
  t.ok(model.summary.totalIterations > 0);
  t.equal(await model.summary.accuracy(), 1, 'the summary test of pyspark/ml/tests: accuracy 1.0');
  await mlp.save(join(dir, 'mlp'));
  const mlp2 = await MultilayerPerceptronClassifier.load(join(dir, 'mlp'));
  t.equal(mlp2.getBlockSize(), 1);
  await model.save(join(dir, 'mlp_model'));
  const model2 = await MultilayerPerceptronClassificationModel.load(join(dir, 'mlp_model'));
  t.same(model2.getLayers(), model.getLayers());
  t.same(model2.weights.toArray(), model.weights.toArray());
  t.same(await model2.transform(testDF).limit(1).collect(), await model.transform(testDF).limit(1).collect());
  mlp2.setInitialWeights(Vectors.dense(Array.from({ length: 12 }, (_, i) => i)));
  const model3 = await mlp2.fit(df);
  t.notSame(model3.weights.toArray(), model2.weights.toArray());
  t.same(model3.getLayers(), model.getLayers());
  await mlp2.save(join(dir, 'mlp3'));
  const mlp3 = await MultilayerPerceptronClassifier.load(join(dir, 'mlp3'));
  t.same(mlp3.getInitialWeights().toArray(), Array.from({ length: 12 }, (_, i) => i), 'initialWeights saved as Spark\'s vector JSON');
  // gd: Spark's GradientDescent with a constant step: the first step from w0 is w0 − stepSize ∇
  const w0 = Array.from({ length: 12 }, (_, i) => 0.1 * (i - 6));
  const g1 = await new MultilayerPerceptronClassifier({ layers: [2, 2, 2], solver: 'gd', stepSize: 0.5, maxIter: 2, initialWeights: Vectors.dense(w0) }).fit(df);
  t.equal(g1.summary.objectiveHistory.length, 2);
  t.ok(g1.summary.objectiveHistory[1]! < g1.summary.objectiveHistory[0]!);
  // bad input
  await t.rejects(new MultilayerPerceptronClassifier({ layers: [3, 2] }).fit(df), /layers\[0\] = 3 must equal the number of features, but column features has vectors of size 2/);
  const bad = spark.createDataFrame([{ label: 2, features: Vectors.dense(0, 1) }], 'label double, features vector');
  await t.rejects(new MultilayerPerceptronClassifier({ layers: [2, 2] }).fit(bad), /row 0 of label column label is 2: .*\[0, 2\) \(numClasses = 2, the last of layers\)/);
  await t.rejects(new MultilayerPerceptronClassifier({ layers: [2, 2], initialWeights: Vectors.dense(1, 2) }).fit(df), /expected a vector of 6 weights for layers \[2, 2\]/);
  await t.rejects(new MultilayerPerceptronClassifier().fit(df), /layers/);
  t.throws(() => new MultilayerPerceptronClassifier({ layers: [2] }), /at least 2 integers > 0/);
  t.throws(() => new MultilayerPerceptronClassifier({ layers: [2, 0] }), /at least 2 integers > 0/);
  t.throws(() => new MultilayerPerceptronClassifier({ solver: 'adam' as never }), /one of l-bfgs, gd/);
  t.throws(() => new MultilayerPerceptronClassificationModel({ layers: [2, 2], weights: [1, 2, 3] }), /6 weights/);
});

t.test("a Spark 2.4 model (layers in data/) loads: the fixture's metadata with Spark 2.x's data columns", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  const dir = await mkdtemp(join(tmpdir(), 'mlp24-'));
  t.teardown(async () => { await spark.stop(); await rm(dir, { recursive: true, force: true }); });
  // metadata: shared/fixtures/spark-models/apache-spark-ml-models-metadata-only/mlp-2.4.4 (Spark's test resource; its
  // data parquet is not in the fixture, so data/ is written here in Spark 2.x's layout: layers array<int>, weights vector)
  const fixture = fileURLToPath(new URL('../../../../shared/fixtures/spark-models/apache-spark-ml-models-metadata-only/mlp-2.4.4', import.meta.url));
  await mkdir(join(dir, 'm'));
  await cp(join(fixture, 'metadata'), join(dir, 'm', 'metadata'), { recursive: true });
  const w = Float64Array.from({ length: 4 * 5 + 5 + 5 * 2 + 2 }, (_, i) => 0.1 * Math.sin(i));
  const layersCol: AnyData = arrow.makeData({
    type: new arrow.List(new arrow.Field('element', new arrow.Int32(), false)), length: 1, nullCount: 0, valueOffsets: Int32Array.of(0, 3),
    child: arrow.makeData({ type: new arrow.Int32(), length: 3, nullCount: 0, data: Int32Array.of(4, 5, 2) }),
  } as never);
  const weights = denseVectorColumn(w, w.length);
  const schema = new arrow.Schema([new arrow.Field('layers', layersCol.type, true), new arrow.Field('weights', weights.type, true)]);
  await writeData(join(dir, 'm'), { schema, batches: [makeBatch(schema, [layersCol, weights], 1)] });
  const m = await MultilayerPerceptronClassificationModel.load(join(dir, 'm'));
  t.same(m.getLayers(), [4, 5, 2]);
  t.equal(m.uid, 'mlpc_4ed927c26c51');
  t.same(m.weights.toArray(), Array.from(w));
  t.equal(m.numFeatures, 4);
  t.equal(m.numClasses, 2);
  const p = m.predictProbability([1, 2, 3, 4]).toArray();
  t.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-15);
});
