// StandardScaler: Spark's corrected sample std, std-0 features map to 0, sparse stays sparse
// without withMean, Spark's persistence layout, the Spark 3.5.5 model loads.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StandardScaler, StandardScalerModel, VectorAssembler, Vectors, DenseVector, SparseVector, PipelineModel } from '../../ts/ml/index.js';
import { Session } from '../../ts/src/index.js';

const spark = await Session.builder().appName('scaler').master('local').getOrCreate();
t.teardown(() => spark.stop());
const fixtures = join(import.meta.dirname, '..', 'fixtures');
const pandas = JSON.parse(readFileSync(join(fixtures, 'data', 'iris-describe.pandas.json'), 'utf8')) as Record<string, { mean: number; std: number }>;
const cols = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

t.test('fit on iris: mean and sample std equal pandas (ddof = 1); transform standardises', async (t) => {
  const iris = await spark.read.csv(join(fixtures, 'data', 'iris.csv'), { header: true, inferSchema: true });
  const df = new VectorAssembler({ inputCols: cols, outputCol: 'features' }).transform(iris);
  const model = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled', withMean: true }).fit(df);
  cols.forEach((c, j) => {
    t.ok(Math.abs(model.mean.toArray()[j]! - pandas[c]!.mean) < 1e-12, `${c} mean`);
    t.ok(Math.abs(model.std.toArray()[j]! - pandas[c]!.std) < 1e-12, `${c} std`);
  });
  const rows = await model.transform(df).select('features', 'scaled').collect();
  const x = (rows[0]!.features as DenseVector).toArray();
  const y = (rows[0]!.scaled as DenseVector).toArray();
  cols.forEach((c, j) => t.ok(Math.abs(y[j]! - (x[j]! - pandas[c]!.mean) / pandas[c]!.std) < 1e-12, `row 0 ${c}`));
  t.equal(model.parent?.uid, model.uid);
});

t.test('withStd only keeps sparse vectors sparse; a constant feature scales to 0', async (t) => {
  const df = spark.createDataFrame([{ f: Vectors.sparse(3, [0], [2]) }, { f: Vectors.sparse(3, [0, 2], [4, 5]) }, { f: Vectors.dense([6, 0, 1]) }]);
  const m = await new StandardScaler({ inputCol: 'f', outputCol: 's' }).fit(df);
  t.same(Array.from(m.std.toArray()), [2, 0, Math.sqrt(((0 - 2) ** 2 + (5 - 2) ** 2 + (1 - 2) ** 2) / 2)]);
  const out = (await m.transform(df).collect()).map((r) => r.s);
  t.ok(out[0] instanceof SparseVector);
  t.same(Array.from((out[0] as SparseVector).toArray()), [1, 0, 0]);
  t.same(Array.from((out[2] as DenseVector).toArray()), [3, 0, 1 / m.std.toArray()[2]!]);
  t.throws(() => m.transform(spark.createDataFrame([{ g: 1 }])), /cannot resolve column "f"/);
  t.throws(() => m.transform(spark.createDataFrame([{ f: 'abc' }])), /StandardScaler: column f \(inputCol\) must be a vector column, but is string/);
  t.throws(() => new StandardScaler({ withMean: 'yes' as never }), /expected a boolean for withMean/);
});

t.test('save/load in Spark layout; the Spark 3.5.5 StandardScalerModel and its whole pipeline load', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([3, 6]) }]);
  const m = await new StandardScaler({ inputCol: 'f', outputCol: 's', withMean: true }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.StandardScalerModel');
  t.same(meta.paramMap, { inputCol: 'f', outputCol: 's', withMean: true });
  const back = await StandardScalerModel.load(join(dir, 'm'));
  t.same(Array.from(back.std.toArray()), Array.from(m.std.toArray()));
  t.same(Array.from(back.mean.toArray()), [2, 4]);
  t.same(await back.transform(df).select('s').collect(), await m.transform(df).select('s').collect());
  const shared = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'spark-models', 'pipeline-vecassembler-stdscaler-kmeans-3.5.5');
  const spk = await StandardScalerModel.load(join(shared, 'stages', '1_StandardScaler_fbf6327e8230'));
  t.equal(spk.getOrDefault(spk.withMean), true);
  t.equal(spk.getOutputCol(), 'scaled_features');
  t.ok(spk.std.size > 0 && spk.std.size === spk.mean.size);
  void PipelineModel;
});
