// ChiSqSelector: Spark's documented example (PySpark docstring / ML guide), each selectorType,
// Spark 3.0's saved metadata, persistence (alone and in a Pipeline), bad input, local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChiSqSelector, ChiSqSelectorModel, Pipeline, PipelineModel, Vectors, DenseVector } from '../../../ts/ml/index.js';
import { getAndSetParams, readMetadata } from '../../../ts/ml/persist.js';
import { Session } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('chisq').master('local').getOrCreate();
t.teardown(() => spark.stop());
const doc = () => spark.createDataFrame([
  { features: Vectors.dense([0.0, 0.0, 18.0, 1.0]), label: 1.0 },
  { features: Vectors.dense([0.0, 1.0, 12.0, 0.0]), label: 0.0 },
  { features: Vectors.dense([1.0, 0.0, 15.0, 0.1]), label: 0.0 },
]);

t.test("Spark's documented example: numTopFeatures 1 → [2], DenseVector([18.0])", async (t) => {
  const selector = new ChiSqSelector({ numTopFeatures: 1, outputCol: 'selectedFeatures' });
  const model = await selector.fit(doc());
  t.same(model.selectedFeatures, [2]);
  const rows = await model.transform(doc()).collect();
  t.same(rows.map((r) => Array.from((r.selectedFeatures as DenseVector).toArray())), [[18], [12], [15]]);
});

t.test('defaults and each selectorType (p-values 0.386, 0.386, 0.223, 0.223 by chi2_contingency)', async (t) => {
  const s = new ChiSqSelector();
  t.same([s.getNumTopFeatures(), s.getPercentile(), s.getFpr(), s.getFdr(), s.getFwe(), s.getSelectorType()], [50, 0.1, 0.05, 0.05, 0.05, 'numTopFeatures']);
  t.same((await s.fit(doc())).selectedFeatures, [0, 1, 2, 3]);
  t.same((await new ChiSqSelector({ selectorType: 'percentile', percentile: 0.5 }).fit(doc())).selectedFeatures, [2, 3]);
  t.same((await new ChiSqSelector({ selectorType: 'fpr', fpr: 0.3 }).fit(doc())).selectedFeatures, [2, 3]);
  t.same((await new ChiSqSelector({ selectorType: 'fpr' }).fit(doc())).selectedFeatures, []);
  t.same((await new ChiSqSelector({ selectorType: 'fdr', fdr: 0.5 }).fit(doc())).selectedFeatures, [0, 1, 2, 3], 'BH: 0.386 <= 0.5 * 4 / 4');
  t.same((await new ChiSqSelector({ selectorType: 'fwe', fwe: 1 }).fit(doc())).selectedFeatures, [2, 3], 'p < 1 / 4');
  t.throws(() => new ChiSqSelector({ numTopFeatures: 0 }), /expected integer >= 1 for numTopFeatures/);
  t.throws(() => new ChiSqSelector({ fpr: 2 }), /expected a number in \[0, 1\] for fpr/);
});

t.test("Spark 3.0's ChiSqSelectorModel metadata sets its params", async (t) => {
  const dir = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models', 'apache-spark-ml-models-metadata-only', 'chisq-3.0.0');
  const md = await readMetadata(dir, 'test', 'org.apache.spark.ml.feature.ChiSqSelectorModel');
  const m = new ChiSqSelectorModel(undefined, md.uid);
  getAndSetParams(m, md);
  t.equal(m.uid, 'myModel');
  t.same([m.getNumTopFeatures(), m.getSelectorType(), m.getFpr(), m.getOutputCol()], [50, 'numTopFeatures', 0.05, 'myModel__output']);
});

t.test('save/load, alone and in a Pipeline; bad input', async (t) => {
  const dir = t.testdir();
  const m = await new ChiSqSelector({ numTopFeatures: 2, outputCol: 's' }).fit(doc());
  await m.save(join(dir, 'm'));
  t.equal(JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8')).class, 'org.apache.spark.ml.feature.ChiSqSelectorModel');
  const back = await ChiSqSelectorModel.load(join(dir, 'm'));
  t.same(back.selectedFeatures, [2, 3]);
  t.same(await back.transform(doc()).collect(), await m.transform(doc()).collect());
  const pm = await new Pipeline({ stages: [new ChiSqSelector({ numTopFeatures: 1, outputCol: 's' })] }).fit(doc());
  await pm.save(join(dir, 'p'));
  t.same(await (await PipelineModel.load(join(dir, 'p'))).transform(doc()).collect(), await pm.transform(doc()).collect());
  await t.rejects(new ChiSqSelector().fit(spark.createDataFrame([{ features: Vectors.dense([1]), label: 1 }, { features: Vectors.dense([1]), label: null }])), /row 1 of column label is null/);
  await t.rejects(new ChiSqSelector().fit(doc().limit(0)), /the DataFrame has no rows to fit on/);
});

// last: it stops the `local` session and starts a `local[2]` one
t.test('local and local[2] select the same features', async (t) => {
  const rows = Array.from({ length: 120 }, (_, i) => ({ features: Vectors.dense([i % 3, i % 2, (i * 7) % 4, i % 5]), label: i % 2 }));
  const a = await new ChiSqSelector({ numTopFeatures: 2 }).fit(spark.createDataFrame(rows).repartition(1));
  await spark.stop();
  const s2 = await Session.builder().appName('chisq2').master('local[2]').getOrCreate();
  t.teardown(() => s2.stop());
  t.same((await new ChiSqSelector({ numTopFeatures: 2 }).fit(s2.createDataFrame(rows).repartition(3))).selectedFeatures, a.selectedFeatures);
});
