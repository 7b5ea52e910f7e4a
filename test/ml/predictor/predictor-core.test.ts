// The supervised core (ts/ml/predictor/): labels packed and checked on the executors with Spark's
// messages, numClasses as Spark's getNumClasses, the statistics pass against hand computation, and
// a probabilistic classifier's outputs (Spark's default prediction rules, thresholds, empty
// output params, schema attributes) through a test family.
import t from 'tap';
import * as arrow from 'apache-arrow';
import { Session, functions as F } from '../../../ts/src/index.js';
import { Types } from '../../../ts/src/dataframe/types.js';
import { Vectors, type DenseVector } from '../../../ts/ml/index.js';
import { registerTasks } from '../../../ts/src/exec/task.js';
import { Model } from '../../../ts/ml/stage.js';
import { ProbabilisticClassifierParamsMixin } from '../../../ts/ml/predictor/predictor-params.js';
import { ProbabilisticClassificationModelMixin } from '../../../ts/ml/predictor/prediction-models.js';
import { defineClassifierScoring, probabilityToPrediction } from '../../../ts/ml/predictor/scoring-tasks.js';
import { featureVariance, labelVariance, prepareLabeled } from '../../../ts/ml/predictor/predictor.js';
import { NominalAttribute, withAttribute } from '../../../ts/ml/attribute/attributes.js';

// a test family: raw = [x0, x1, 0], probability = softmax(raw)
const softmax = defineClassifierScoring<null>('test.softmax3', {
  predictRaw: (_s, x, n, d) => {
    const out = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      out[i * 3] = x[i * d]!;
      out[i * 3 + 1] = x[i * d + 1]!;
    }
    return out;
  },
  raw2probabilityInPlace: (_s, raw, n, k) => {
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let c = 0; c < k; c++) m = Math.max(m, raw[i * k + c]!);
      let z = 0;
      for (let c = 0; c < k; c++) z += raw[i * k + c] = Math.exp(raw[i * k + c]! - m);
      for (let c = 0; c < k; c++) raw[i * k + c] = raw[i * k + c]! / z;
    }
  },
});
registerTasks([softmax.task]);

class SoftmaxModel extends ProbabilisticClassificationModelMixin(ProbabilisticClassifierParamsMixin(Model)) {
  override get numFeatures(): number { return 2; }
  override get numClasses(): number { return 3; }
  override scoringOf() { return { scoring: softmax, state: null }; }
}

t.test('classification labels: Spark messages, row numbers over the DataFrame, numClasses', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const rows = (labels: Array<number | null>) => spark.createDataFrame(labels.map((label) => ({ features: Vectors.dense(1, 2), label })), 'features vector, label double');
  const opts = { featuresCol: 'features', labelCol: 'label', kind: 'classification' as const };
  const ok = await prepareLabeled('T.fit', rows([0, 2, 1, 2]), { ...opts, stats: true });
  t.equal(ok.numClasses, 3, 'largest label + 1');
  t.same([...ok.stats!.classCounts], [1, 1, 2]);
  ok.data.release();
  await t.rejects(prepareLabeled('T.fit', rows([0, 1.5]), opts), /T\.fit: row 1 of label column label is 1\.5: a classifier's labels must be integers/);
  await t.rejects(prepareLabeled('T.fit', rows([0, 1, -1]), opts), /row 2.*is -1/);
  await t.rejects(prepareLabeled('T.fit', rows([0, null]), opts), /row 1.*is null: Labels MUST NOT be Null or NaN/);
  await t.rejects(prepareLabeled('T.fit', rows([0, NaN]), opts), /row 1.*is NaN/);
  await t.rejects(prepareLabeled('T.fit', rows([0, 100]), opts), /inferred 101 classes.*more than the 100 allowed/);
  const meta = spark.createDataFrame([{ features: Vectors.dense(1, 2), label: 0 }, { features: Vectors.dense(1, 2), label: 3 }], 'features vector, label double');
  const declared = meta.select(F.col('features'), F.col('label').alias('label', { metadata: { ml_attr: withAttributeJson(3) } }));
  await t.rejects(prepareLabeled('T.fit', declared, opts), /row 1.*is 3: .*\[0, 3\) \(numClasses = 3/);
  const fine = await prepareLabeled('T.fit', declared.filter(F.col('label').lt(3)), opts);
  t.equal(fine.numClasses, 3, 'from the nominal attribute');
  fine.data.release();
  await t.rejects(prepareLabeled('T.fit', rows([]), opts), /no rows/);
  await t.rejects(prepareLabeled('T.fit', spark.createDataFrame([{ features: Vectors.dense(1), label: 'a' }]), opts), /column label \(labelCol\) must be of a numeric type/);
});

function withAttributeJson(k: number): unknown {
  const f = withAttribute(new arrow.Field('label', new arrow.Float64()), NominalAttribute.defaultAttr.withNumValues(k));
  return JSON.parse(f.metadata.get('ml_attr')!);
}

t.test('regression labels and the weighted statistics pass (hand computation)', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame(
    [
      { features: [1.0, 10.0], label: 2.0, w: 1.0 },
      { features: [3.0, 10.0], label: 4.0, w: 3.0 },
      { features: [5.0, 10.0], label: 8.0, w: 0.0 },
      { features: [7.0, 10.0], label: 1.0, w: 2.0 },
    ],
    'features array<double>, label double, w double',
  );
  const { data, stats } = await prepareLabeled('T.fit', df, { featuresCol: 'features', labelCol: 'label', weightCol: 'w', kind: 'regression', stats: true });
  data.release();
  // weights 1, 3, 0, 2: Σw = 6, Σw² = 14; mean x0 = (1 + 9 + 14) / 6 = 4; M2 = 1·9 + 3·1 + 2·9 = 30
  t.equal(stats!.weightSum, 6);
  t.equal(stats!.count, 4);
  t.ok(Math.abs(stats!.mean[0]! - 4) < 1e-12 && Math.abs(stats!.m2[0]! - 30) < 1e-12);
  // Spark's unbiased weighted variance: 30 / (6 − 14/6)
  t.ok(Math.abs(featureVariance(stats!)[0]! - 30 / (6 - 14 / 6)) < 1e-12);
  t.equal(featureVariance(stats!)[1], 0);
  // label mean (2 + 12 + 2) / 6 = 8/3; M2 = 1(2−8/3)² + 3(4−8/3)² + 2(1−8/3)²
  const ym = 8 / 3;
  t.ok(Math.abs(labelVariance(stats!) - ((2 - ym) ** 2 + 3 * (4 - ym) ** 2 + 2 * (1 - ym) ** 2) / (6 - 14 / 6)) < 1e-12);
  const inf = spark.createDataFrame([{ features: [1.0], label: Infinity }], 'features array<double>, label double');
  await t.rejects(prepareLabeled('T.fit', inf, { featuresCol: 'features', labelCol: 'label', kind: 'regression' }), /row 0.*is Infinity: Labels MUST NOT be Infinity/);
});

t.test('the lowest bad row is named whether its features, label or weight is bad', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame(
    [
      { features: [1.0], label: 0, w: 1 },
      { features: [1.0], label: 0.5, w: 1 },
      { features: [NaN], label: 0, w: -1 },
    ],
    'features array<double>, label double, w double',
  );
  await t.rejects(prepareLabeled('T.fit', df, { featuresCol: 'features', labelCol: 'label', weightCol: 'w', kind: 'classification' }), /row 1 of label column label/);
});

t.test("a probabilistic classifier's transform: Spark's outputs, rules, thresholds and attributes", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame([{ features: Vectors.dense(1, 0) }, { features: Vectors.dense(0, 2) }, { features: Vectors.dense(-1, -1) }], 'features vector');
  const m = new SoftmaxModel();
  const out = m.transform(df);
  t.same(out.columns, ['features', 'rawPrediction', 'probability', 'prediction']);
  const rows = await out.collect();
  t.same(rows.map((r) => r.prediction), [0, 1, 2]);
  t.same((rows[0]!.rawPrediction as DenseVector).toArray(), [1, 0, 0]);
  const e = Math.E;
  t.ok(Math.abs((rows[0]!.probability as DenseVector).toArray()[0]! - e / (e + 2)) < 1e-15);
  const pred = out.schema.fields.find((f) => f.name === 'prediction')!;
  t.same(JSON.parse(pred.metadata.get('ml_attr')!), { type: 'nominal', num_vals: 3, name: 'prediction' });
  t.same(JSON.parse(out.schema.fields.find((f) => f.name === 'probability')!.metadata.get('ml_attr')!), { num_attrs: 3 });
  // thresholds: argmax p/t; a 0 threshold wins whenever its probability is > 0 (Spark: +Infinity)
  m.setThresholds([1, 1, 0]);
  t.same((await m.transform(df).collect()).map((r) => r.prediction), [2, 2, 2]);
  t.equal(m.predict([1, 0]), 2);
  m.setThresholds([1, 1]);
  t.throws(() => m.transform(df), /thresholds has 2 values, but the model has numClasses = 3/);
  m.clear(m.thresholds);
  // empty output params leave their columns out; prediction then comes from the raw predictions
  m.setProbabilityCol('');
  m.setRawPredictionCol('');
  const only = m.transform(df);
  t.same(only.columns, ['features', 'prediction']);
  t.same((await only.collect()).map((r) => r.prediction), [0, 1, 2]);
  t.same(m.predictRaw(Vectors.dense(0, 2)).toArray(), [0, 2, 0]);
  t.throws(() => new SoftmaxModel().setPredictionCol('features').transform(df), /Column features already exists \(predictionCol\)/);
  t.throws(() => m.predict([1]), /a vector of size 2/);
  t.same([...probabilityToPrediction(new Float64Array([0.5, 0.5]), 1, 2, null)], [0], 'ties: the first class');
});

t.test("an estimator's declared output schema: VectorUDT vectors of any size (numClasses is not known before the fit)", async (t) => {
  const { LogisticRegression } = await import('../../../ts/ml/index.js');
  const schema = new arrow.Schema([new arrow.Field('features', Types.vector(2), false), new arrow.Field('label', new arrow.Float64(), false)]);
  const out = new LogisticRegression().transformSchema(schema);
  t.same(out.fields.map((f) => f.name), ['features', 'label', 'rawPrediction', 'probability', 'prediction']);
  t.ok(arrow.DataType.isStruct(out.fields[2]!.type) && arrow.DataType.isStruct(out.fields[3]!.type), 'Spark\'s VectorUDT struct');
  t.ok(arrow.DataType.isFloat(out.fields[4]!.type));
});
