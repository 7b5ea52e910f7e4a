// OneVsRest (Spark's ml.classification.OneVsRest): with NaiveBayes against Spark's definition
// computed in numpy (per class c a binary MultinomialNB on label == c — scikit-learn's
// feature_log_prob_ — with Spark's smoothed prior; rawPrediction_c = that model's raw[1]), with a
// small test classifier (no weightCol: ignored with a warning), parallel fits, Spark's output
// columns and attributes, persistence in Spark's layout, and errors.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, functions as F } from '../../../ts/src/index.js';
import { registerTasks } from '../../../ts/src/exec/task.js';
import { NaiveBayes, NaiveBayesModel, OneVsRest, OneVsRestModel, Pipeline, PipelineModel, Vectors, type DenseVector } from '../../../ts/ml/index.js';
import { Estimator, Model } from '../../../ts/ml/stage.js';
import { ProbabilisticClassifierParamsMixin } from '../../../ts/ml/predictor/predictor-params.js';
import { ProbabilisticClassificationModelMixin } from '../../../ts/ml/predictor/prediction-models.js';
import { defineClassifierScoring } from '../../../ts/ml/predictor/scoring-tasks.js';
import { NominalAttribute, withAttribute } from '../../../ts/ml/attribute/attributes.js';
import * as arrow from 'apache-arrow';

// 'local': the test classifier's scoring task is registered on this thread only
const spark = await Session.builder().appName('one-vs-rest').master('local').getOrCreate();
t.teardown(() => spark.stop());

const X = [[3, 0, 1, 0, 0, 2], [2, 1, 0, 0, 1, 1], [4, 0, 2, 1, 0, 0], [0, 3, 0, 2, 1, 0], [1, 4, 0, 3, 0, 0], [0, 2, 1, 1, 0, 1], [0, 0, 3, 0, 4, 1], [1, 0, 2, 0, 3, 2], [0, 1, 4, 0, 2, 0], [2, 0, 0, 1, 0, 3]];
const Y = [0, 0, 0, 1, 1, 1, 2, 2, 2, 0];
const W = [1, 2, 1, 1, 0.5, 1, 1, 1, 3, 1.5];
const Q = [[1, 0, 0, 0, 0, 1], [0, 2, 0, 1, 0, 0], [0, 0, 1, 0, 2, 0], [1, 1, 1, 1, 1, 1]];
// numpy (see the header): rows of Q x classes
const RAW = [-3.247046701834898, -6.15006957728462, -5.753762406961221, -8.594154232552366, -4.204159428229308, -9.814205417507639, -8.306472160100585, -8.675798221592874, -4.292744499645394, -12.980635217575628, -13.390783273588172, -13.92462836035908];
const RAW_WEIGHTED = [-3.152078343944685, -6.4457198193855785, -6.359249421581445, -8.299018957548189, -4.725223370179014, -9.42730235671506, -8.165487564923666, -8.509413004097276, -4.0314046618281605, -12.86614107589875, -13.45332557524112, -14.488326435724382];

const train = spark.createDataFrame(X.map((r, i) => ({ features: Vectors.dense(r), label: Y[i], w: W[i] })), 'features vector, label double, w double');
const test = spark.createDataFrame(Q.map((r) => ({ features: Vectors.dense(r) })), 'features vector');
const close = (t: { ok(c: boolean, m: string): unknown }, got: number[], want: number[], msg: string) =>
  t.ok(got.length === want.length && got.every((v, i) => Math.abs(v - want[i]!) < 1e-12 * Math.max(1, Math.abs(want[i]!))), `${msg}: ${got} vs ${want}`);

t.test('OneVsRest(NaiveBayes): rawPrediction = each binary model’s raw[1], prediction its argmax', async (t) => {
  const ovr = new OneVsRest({ classifier: new NaiveBayes() });
  t.equal(ovr.getRawPredictionCol(), 'rawPrediction');
  ovr.setPredictionCol('newPrediction');
  const model = await ovr.fit(train);
  t.equal(model.numClasses, 3);
  t.ok(model.models.every((m) => m instanceof NaiveBayesModel && (m as NaiveBayesModel).numClasses === 2));
  const out = model.transform(test);
  t.same(out.columns, ['features', 'rawPrediction', 'newPrediction'], "PySpark docstring: model.transform(test2).columns");
  const rows = await out.collect();
  close(t, rows.flatMap((r) => Array.from((r.rawPrediction as DenseVector).toArray())), RAW, 'rawPrediction');
  t.same(rows.map((r) => r.newPrediction), [0, 1, 2, 0]);
  const pred = out.schema.fields.find((f) => f.name === 'newPrediction')!;
  t.same(JSON.parse(pred.metadata.get('ml_attr')!), { type: 'nominal', num_vals: 3, name: 'newPrediction' });
  t.same(JSON.parse(out.schema.fields.find((f) => f.name === 'rawPrediction')!.metadata.get('ml_attr')!), { num_attrs: 3 });

  // weightCol reaches the classifier; parallel fits give the same models
  const weighted = await new OneVsRest({ classifier: new NaiveBayes(), weightCol: 'w', parallelism: 3 }).fit(train);
  t.equal((weighted.models[0] as NaiveBayesModel).getWeightCol(), 'w');
  const wrows = await weighted.transform(test).collect();
  close(t, wrows.flatMap((r) => Array.from((r.rawPrediction as DenseVector).toArray())), RAW_WEIGHTED, 'weighted rawPrediction');

  // empty output params
  model.setRawPredictionCol('');
  t.same(model.transform(test).columns, ['features', 'newPrediction']);
  t.same((await model.transform(test).collect()).map((r) => r.newPrediction), [0, 1, 2, 0]);
  model.setRawPredictionCol('rawPrediction');
});

t.test('persistence: Spark’s layout (classifier/, model_<i>, numClasses, labelMetadata)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ovr-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ovr = new OneVsRest({ classifier: new NaiveBayes({ smoothing: 0.5 }), predictionCol: 'newPrediction' });
  await ovr.save(join(dir, 'ovr'));
  const ovr2 = await OneVsRest.load(join(dir, 'ovr'));
  t.equal((ovr2.getClassifier() as NaiveBayes).getSmoothing(), 0.5);
  t.equal(ovr2.getPredictionCol(), 'newPrediction');
  const model = await ovr.fit(train);
  await model.save(join(dir, 'model'));
  const md = JSON.parse(readFileSync(join(dir, 'model', 'metadata', 'part-00000'), 'utf8'));
  t.equal(md.class, 'org.apache.spark.ml.classification.OneVsRestModel');
  t.equal(md.numClasses, 3);
  t.same(JSON.parse(md.labelMetadata), { ml_attr: { type: 'nominal', name: 'label', num_vals: 3 } });
  t.notOk('classifier' in md.paramMap);
  t.ok(['classifier', 'model_0', 'model_1', 'model_2'].every((d) => existsSync(join(dir, 'model', d, 'metadata', 'part-00000'))));
  const model2 = await OneVsRestModel.load(join(dir, 'model'));
  t.same(await model2.transform(test).collect(), await model.transform(test).collect());
  t.equal(model2.getPredictionCol(), 'newPrediction');
  // inside a Pipeline
  const pm = await new Pipeline({ stages: [new OneVsRest({ classifier: new NaiveBayes() })] }).fit(train);
  await pm.save(join(dir, 'pipeline'));
  const pm2 = await PipelineModel.load(join(dir, 'pipeline'));
  t.ok(pm2.stages[0] instanceof OneVsRestModel);
  t.same(await pm2.transform(test).collect(), await pm.transform(test).collect());
});

// ----- a small test classifier: raw = [-s, s], s = ±(x0 - t) with t the midpoint of the classes' mean x0, + when class 1's mean is the larger (no weightCol)
const midScoring = defineClassifierScoring<{ t: number; sign: number }>('test.ovrMidpoint', {
  predictRaw: (s, x, n, d) => {
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      out[i * 2 + 1] = s.sign * (x[i * d]! - s.t);
      out[i * 2] = -out[i * 2 + 1]!;
    }
    return out;
  },
  raw2probabilityInPlace: (_s, raw, n) => {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-raw[i * 2 + 1]!));
      raw[i * 2] = 1 - p;
      raw[i * 2 + 1] = p;
    }
  },
});
registerTasks([midScoring.task]);
class MidpointModel extends ProbabilisticClassificationModelMixin(ProbabilisticClassifierParamsMixin(Model)) {
  threshold = 0;
  sign = 1;
  override get numFeatures() { return 1; }
  override get numClasses() { return 2; }
  override scoringOf() { return { scoring: midScoring, state: { t: this.threshold, sign: this.sign } }; }
}
class Midpoint extends ProbabilisticClassifierParamsMixin(Estimator<MidpointModel>) {
  transformSchema(s: arrow.Schema) { return s; }
  protected async fitImpl(df: Parameters<Estimator['fit']>[0]) {
    const rows = await df.select(this.getFeaturesCol(), this.getLabelCol()).collect();
    const mean = (c: number) => {
      const xs = rows.filter((r) => r[this.getLabelCol()] === c).map((r) => (r[this.getFeaturesCol()] as DenseVector).toArray()[0]!);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const m = this.copyValues(new MidpointModel());
    m.threshold = (mean(0) + mean(1)) / 2;
    m.sign = mean(1) >= mean(0) ? 1 : -1;
    return m;
  }
}

t.test('a classifier without weightCol; labels from a nominal attribute; errors', async (t) => {
  const df = spark.createDataFrame([0, 1, 2, 10, 11, 12, 20, 21, 22].map((x, i) => ({ features: Vectors.dense([x]), label: Math.floor(i / 3), w: 1 })), 'features vector, label double, w double');
  const warnings: string[] = [];
  const onWarn = (w: Error & { code?: string }) => warnings.push(w.code ?? '');
  process.on('warning', onWarn);
  const model = await new OneVsRest({ classifier: new Midpoint(), weightCol: 'w' }).fit(df);
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarn);
  t.ok(warnings.includes('KINDLING_WEIGHTCOL_IGNORED'), 'weightCol ignored, as Spark');
  // thresholds: class 0 vs rest: (1 + 16)/2 = 8.5; class 1: (11 + 11)/2 = 11; class 2: (21 + 6)/2 = 13.5
  t.same((model.models as MidpointModel[]).map((m) => m.threshold), [8.5, 11, 13.5]);
  const rows = await model.transform(spark.createDataFrame([{ features: Vectors.dense([0]) }, { features: Vectors.dense([30]) }], 'features vector')).collect();
  // x = 0: class 0 (mean 1 below the rest's 16) +8.5, class 1 −11, class 2 −13.5; x = 30: −21.5, 19, 16.5
  t.same(Array.from((rows[0]!.rawPrediction as DenseVector).toArray()), [8.5, -11, -13.5]);
  t.same(Array.from((rows[1]!.rawPrediction as DenseVector).toArray()), [-21.5, 19, 16.5]);
  t.same(rows.map((r) => r.prediction), [0, 1]);

  // numClasses from the label's nominal attribute (4 values, class 3 without rows: a 4th binary problem of all 0 labels)
  const meta = withAttribute(new arrow.Field('label', new arrow.Float64()), NominalAttribute.defaultAttr.withNumValues(4));
  const declared = df.select(F.col('features'), F.col('label').alias('label', { metadata: { ml_attr: JSON.parse(meta.metadata.get('ml_attr')!) } }));
  const m4 = await new OneVsRest({ classifier: new Midpoint() }).fit(declared);
  t.equal(m4.numClasses, 4);

  await t.rejects(new OneVsRest().fit(df), /classifier/);
  const bad = (labels: Array<number | null>) => spark.createDataFrame(labels.map((label) => ({ features: Vectors.dense([1]), label })), 'features vector, label double');
  await t.rejects(new OneVsRest({ classifier: new Midpoint() }).fit(bad([0, null])), /1 null labels/);
  await t.rejects(new OneVsRest({ classifier: new Midpoint() }).fit(bad([0, -1])), /label -1/);
  await t.rejects(new OneVsRest({ classifier: new Midpoint() }).fit(bad([0, 1.5])), /has the label 1\.5: a classifier's labels must be integers/);
  await t.rejects(new OneVsRest({ classifier: new Midpoint() }).fit(bad([0, 0.5, 2])), /has the label 0\.5/);
  await t.rejects(new OneVsRest({ classifier: new Midpoint() }).fit(bad([])), /no rows/);
  t.throws(() => new OneVsRest({ classifier: new Midpoint() }).transformSchema(spark.createDataFrame([{ x: 1 }], 'x double').schema), /features/);
});
