// IsotonicRegression / IsotonicRegressionModel (ts/ml/regression/isotonic-regression*.ts): the
// PySpark docstring example, scikit-learn 1.2's IsotonicRegression on diabetes data with ties and
// weights (isotonic and antitonic), Spark's predict rules by hand (ends, interpolation, equal
// boundaries as java.util.Arrays.binarySearch), double and vector feature columns, several
// partitions, persistence in Spark's layout, and bad input.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../ts/src/index.js';
import { Vectors } from '../../../ts/ml/index.js';
import { IsotonicRegression, IsotonicRegressionModel } from '../../../ts/ml/regression/index.js';
import { readData, readMetadata } from '../../../ts/ml/persist.js';
import { javaBinarySearch } from '../../../ts/ml/regression/isotonic-regression-pav.js';
import { GARBAGE, TRUTHY, uncodedOutcomes, type HostileCall } from '../hostile-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'kindling-isotonic-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const spark = await Session.builder().master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

type TestLike = { equal(found: unknown, wanted: unknown, message: string): unknown };

function close(t: TestLike, got: ArrayLike<number>, want: ArrayLike<number>, msg: string, tol = 1e-12): void {
  t.equal(got.length, want.length, `${msg}: length`);
  const bad = Array.from(want).findIndex((w, i) => !(Math.abs(got[i]! - w) <= tol * Math.max(1, Math.abs(w))));
  t.equal(bad, -1, bad < 0 ? msg : `${msg}: index ${bad}: ${got[bad]} vs ${want[bad]}`);
}

// sklearn.datasets.load_diabetes(): the first 40 rows, x = round(100 * bmi) (ties; -0 written as 0),
// y = target, w = 1 + (i % 3)
const X = [6, -5, 4, -1, -4, -4, -5, 0, 6, 4, -8, 2, -3, 0, -3, -2, 4, 1, -1, -2, -6, -2, 0, 6, 4, -1, -8, 6, -2, -1, 4, -7, 13, -5, -6, -3, 2, 1, 7, 1];
const Y = [151, 75, 141, 206, 135, 97, 138, 63, 110, 310, 101, 69, 179, 185, 118, 171, 166, 144, 97, 168, 68, 49, 68, 245, 184, 202, 137, 85, 131, 283, 129, 59, 341, 87, 65, 102, 265, 276, 252, 90];
const W = X.map((_, i) => 1 + (i % 3));
// sklearn 1.2: IsotonicRegression(increasing=True, out_of_bounds='clip').fit(x, y, sample_weight=w):
// X_thresholds_, y_thresholds_, and predict(Q) (Spark's boundaries / predictions / predict: the same
// function, since Spark's blocks are sklearn's runs of equal values)
const SK_X = [-8, -6, -5, -4, -3, -2, -1, 2, 4, 6, 7, 13];
const SK_Y = [88.75, 88.75, 93.75, 112.2, 119.85714285714286, 136.33333333333334, 162.34782608695653, 162.34782608695653, 167.4375, 167.4375, 252.0, 341.0];
const Q = [-20, -7.5, -3.3, 0, 2.5, 6.1, 20];
const SK_Q = [88.75, 88.75, 117.56, 162.34782608695653, 163.6202445652174, 175.89374999999998, 341.0];

const diabetes = () => spark.createDataFrame(X.map((x, i) => ({ x, label: Y[i]!, w: W[i]!, features: Vectors.dense(7, x) })), 'x double, label double, w double, features vector');

t.test('PySpark docstring example', async (t) => {
  const df = spark.createDataFrame([{ label: 1.0, features: Vectors.dense(1.0) }, { label: 0.0, features: Vectors.sparse(1, [], []) }], 'label double, features vector');
  const ir = new IsotonicRegression();
  const model = await ir.fit(df);
  t.equal(model.setFeaturesCol('features'), model);
  t.equal(model.numFeatures, 1);
  const test0 = spark.createDataFrame([{ features: Vectors.dense(-1.0) }], 'features vector');
  t.equal((await model.transform(test0).collect())[0]!.prediction, 0.0);
  t.equal(model.predict(-1.0), 0.0);
  t.same([...model.boundaries.toArray()], [0.0, 1.0]);
  t.same([...model.predictions.toArray()], [0.0, 1.0]);
  await ir.save(join(tmp, 'ir'));
  const ir2 = await IsotonicRegression.load(join(tmp, 'ir'));
  t.equal(ir2.getIsotonic(), true);
  await model.save(join(tmp, 'ir_model'));
  const model2 = await IsotonicRegressionModel.load(join(tmp, 'ir_model'));
  t.same(model2.boundaries.toArray(), model.boundaries.toArray());
  t.same(model2.predictions.toArray(), model.predictions.toArray());
  t.same(await model2.transform(test0).collect(), await model.transform(test0).collect());
  t.equal(String(model), `IsotonicRegressionModel: uid=${model.uid}, numFeatures=1`);
});

t.test('scikit-learn reference: weighted, ties, double and vector features, 1 and 5 partitions', async (t) => {
  const df = diabetes();
  for (const [name, data] of [['2 partitions', df], ['1 partition', df.repartition(1)], ['5 partitions', df.repartition(5)]] as const) {
    const m = await new IsotonicRegression({ featuresCol: 'x', weightCol: 'w' }).fit(data);
    close(t, m.boundaries.toArray(), SK_X, `${name}: boundaries`);
    close(t, m.predictions.toArray(), SK_Y, `${name}: predictions`);
    close(t, Q.map((q) => m.predict(q)), SK_Q, `${name}: predict`);
  }
  const mv = await new IsotonicRegression({ weightCol: 'w', featureIndex: 1 }).fit(df);
  close(t, mv.predictions.toArray(), SK_Y, 'vector column at featureIndex 1');
  const q = spark.createDataFrame(Q.map((x) => ({ features: Vectors.sparse(2, [1], [x]) })), 'features vector');
  close(t, (await mv.transform(q).collect()).map((r) => r.prediction as number), SK_Q, 'transform of a vector column');
  // antitonic: sklearn increasing=False gives one block (the weighted mean 150.0); on -y, the negated isotonic fit
  const anti = await new IsotonicRegression({ featuresCol: 'x', weightCol: 'w', isotonic: false }).fit(df);
  t.same([...anti.boundaries.toArray()], [-8, 13]);
  close(t, anti.predictions.toArray(), [150, 150], 'antitonic: sklearn increasing=False');
  const neg = spark.createDataFrame(X.map((x, i) => ({ x, label: -Y[i]!, w: W[i]! })), 'x double, label double, w double');
  const anti2 = await new IsotonicRegression({ featuresCol: 'x', weightCol: 'w', isotonic: false }).fit(neg);
  close(t, anti2.predictions.toArray(), SK_Y.map((v) => -v), 'antitonic on -y = -(isotonic on y)');
  close(t, anti2.boundaries.toArray(), SK_X, 'antitonic on -y: boundaries');
  // unweighted, integer features column
  const ints = spark.createDataFrame([{ x: 1, label: 1 }, { x: 2, label: 3 }, { x: 3, label: 2 }, { x: 4, label: 4 }], 'x int, label double');
  const mi = await new IsotonicRegression({ featuresCol: 'x' }).fit(ints);
  // by hand: PAV pools (2, 3) and (3, 2) to 2.5; blocks [1], [2, 3], [4]
  t.same([...mi.boundaries.toArray()], [1, 2, 3, 4]);
  t.same([...mi.predictions.toArray()], [1, 2.5, 2.5, 4]);
});

t.test("Spark's predict rules by hand", async (t) => {
  const m = new IsotonicRegressionModel({ boundaries: [0, 1, 1, 2], predictions: [0, 1, 2, 3] });
  t.equal(m.predict(-5), 0, 'below: the first prediction');
  t.equal(m.predict(7), 3, 'above: the last prediction');
  t.equal(m.predict(0.25), 0.25, 'interpolation');
  t.equal(m.predict(1.5), 2.5, 'interpolation after equal boundaries');
  // Arrays.binarySearch([0, 1, 1, 2], 1): low 0, high 3, mid 1 matches → index 1
  t.equal(m.predict(1), 1, 'equal boundaries: the index binarySearch finds');
  t.equal(new IsotonicRegressionModel({ boundaries: [1, 1, 1], predictions: [1, 2, 3] }).predict(1), 2, 'mid of three equal boundaries');
  t.equal(m.predict(Infinity), 3);
  t.equal(m.predict(-Infinity), 0);
  t.equal(javaBinarySearch(Float64Array.of(-0, 0), 0), 1, '-0.0 sorts before 0.0, as Double.compare');
  t.equal(javaBinarySearch(Float64Array.of(1, 3), 2), -2);
  t.throws(() => m.predict(NaN), /expected a number \(not NaN\) for value/);
  t.throws(() => new IsotonicRegressionModel({ boundaries: [1, 0], predictions: [0, 1] }), /non-decreasing order/);
  t.throws(() => new IsotonicRegressionModel({ boundaries: [1], predictions: [0, 1] }), /1 values, one per boundary/);
  t.throws(() => new IsotonicRegressionModel().predict(1), /has no boundaries/);
  const df = spark.createDataFrame([{ features: 0.5 }, { features: 3 }], 'features double');
  t.same((await m.transform(df).collect()).map((r) => r.prediction), [0.5, 3]);
});

t.test("persistence in Spark's layout", async (t) => {
  const m = await new IsotonicRegression({ featuresCol: 'x', weightCol: 'w', isotonic: false, predictionCol: 'p' }).fit(diabetes());
  const dir = join(tmp, 'model');
  await m.save(dir);
  const md = await readMetadata(dir);
  t.equal(md.className, 'org.apache.spark.ml.regression.IsotonicRegressionModel');
  t.same(md.paramMap, { featuresCol: 'x', weightCol: 'w', isotonic: false, predictionCol: 'p' });
  t.same(md.defaultParamMap, { featuresCol: 'features', labelCol: 'label', predictionCol: 'prediction', isotonic: true, featureIndex: 0 });
  t.match(readFileSync(join(dir, 'metadata/part-00000'), 'utf8'), /"class":"org\.apache\.spark\.ml\.regression\.IsotonicRegressionModel"/);
  const data = await readData(dir);
  t.same(data.schema.fields.map((f) => [f.name, String(f.type)]), [['boundaries', 'List<Float64>'], ['predictions', 'List<Float64>'], ['isotonic', 'Bool']]);
  t.equal(data.getChild('isotonic')!.get(0), false);
  const back = await IsotonicRegressionModel.load(dir);
  t.same(back.boundaries.toArray(), m.boundaries.toArray());
  t.equal(back.getIsotonic(), false);
  t.equal(back.getPredictionCol(), 'p');
});

t.test('bad input: rows named over the DataFrame, Spark messages', async (t) => {
  const rows = (vals: Array<{ x: number | null; label: number | null; w?: number | null }>) =>
    spark.createDataFrame(vals.map((v) => ({ w: 1, ...v })), 'x double, label double, w double').repartition(1);
  const fit = (df: ReturnType<typeof rows>, o = {}) => new IsotonicRegression({ featuresCol: 'x', weightCol: 'w', ...o }).fit(df);
  await t.rejects(fit(rows([{ x: 1, label: 1 }, { x: NaN, label: 2 }])), /IsotonicRegression: row 1 of column x is NaN: Features MUST NOT be Null or NaN/);
  await t.rejects(fit(rows([{ x: 1, label: 1 }, { x: null, label: 2 }])), /row 1 of column x is null: Features MUST NOT be Null or NaN/);
  await t.rejects(fit(rows([{ x: 1, label: 1 }, { x: Infinity, label: 2 }])), /row 1 of column x is Infinity: an isotonic fit needs finite feature values/);
  await t.rejects(fit(rows([{ x: 1, label: 1 }, { x: 2, label: NaN }])), /row 1 of label column label is NaN: Labels MUST NOT be Null or NaN/);
  await t.rejects(fit(rows([{ x: 1, label: 1 }, { x: 2, label: 2, w: -1 }])), /row 1 of weight column w is -1: Weights MUST NOT be Negative or Infinity/);
  await t.rejects(fit(rows([{ x: 1, label: 1, w: 0 }, { x: 2, label: 2, w: 0 }])), /every row of weight column w has weight 0/);
  await t.rejects(fit(rows([{ x: 1, label: 1 }, { x: 2, label: NaN }, { x: NaN, label: 1 }])), /row 1 of label column/, 'the lowest bad row whichever column');
  await t.rejects(fit(rows([])), /no rows/);
  const two = spark.createDataFrame([{ x: 1, label: 1 }, { x: 2, label: 2 }, { x: 3, label: 3 }, { x: NaN, label: 4 }], 'x double, label double').repartition(2);
  await t.rejects(new IsotonicRegression({ featuresCol: 'x' }).fit(two), /row 3 of column x is NaN/, 'row numbered over partitions');
  const vec = spark.createDataFrame([{ features: Vectors.dense(1, 2), label: 1 }, { features: Vectors.dense(1), label: 1 }], 'features vector, label double');
  await t.rejects(new IsotonicRegression({ featureIndex: 1 }).fit(vec), /row 1 of column features has no element at featureIndex 1/);
  await t.rejects(new IsotonicRegression().fit(spark.createDataFrame([{ features: 'a', label: 1 }])), /column features \(featuresCol\) must be of type double or vector, but is string/);
  t.throws(() => new IsotonicRegression({ featureIndex: -1 }), /featureIndex/);
  const m = new IsotonicRegressionModel({ boundaries: [0, 1], predictions: [0, 1] });
  await t.rejects(m.transform(spark.createDataFrame([{ features: 1 }, { features: NaN }], 'features double')).collect(), /row 1 of column features is NaN/);
  t.throws(() => m.transform(spark.createDataFrame([{ features: 1, prediction: 1 }], 'features double, prediction double')), /Column prediction already exists/);
});

t.test('garbage arguments: a coded kindling error, never a TypeError from inside', async (t) => {
  const df = spark.createDataFrame([{ features: 1, label: 1 }, { features: 2, label: 3 }], 'features double, label double');
  const m = await new IsotonicRegression().fit(df);
  const calls: HostileCall[] = [
    ['new IsotonicRegression', GARBAGE, (g) => new IsotonicRegression(g as never)],
    ['new IsotonicRegression({ featureIndex })', GARBAGE, (g) => new IsotonicRegression({ featureIndex: g as never })],
    ['new IsotonicRegression({ isotonic })', GARBAGE, (g) => new IsotonicRegression({ isotonic: g as never })],
    ['IsotonicRegression.fit', GARBAGE, (g) => new IsotonicRegression().fit(g as never)],
    ['IsotonicRegression.fit(df, extra)', TRUTHY, (g) => new IsotonicRegression().fit(df, g as never)],
    ['new IsotonicRegressionModel({ boundaries })', GARBAGE, (g) => new IsotonicRegressionModel({ boundaries: g as never, predictions: [1] })],
    ['new IsotonicRegressionModel({ predictions })', GARBAGE, (g) => new IsotonicRegressionModel({ boundaries: [1], predictions: g as never })],
    ['IsotonicRegressionModel.predict', GARBAGE, (g) => m.predict(g as never)],
    ['IsotonicRegressionModel.transform', GARBAGE, (g) => m.transform(g as never)],
    ['IsotonicRegressionModel.copy', TRUTHY, (g) => m.copy(g as never)],
  ];
  t.same(await uncodedOutcomes(calls), [], `${calls.length} calls`);
});
