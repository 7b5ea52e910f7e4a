// Normalizer: Spark's doctest (p = 2 dense and sparse, p = 1 through extra params), p =
// Infinity, a zero vector unchanged, default p, persistence (alone and in a Pipeline), bad input,
// empty DataFrame.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Normalizer, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { onBothMasters } from './scaling-helpers.js';

const spark = await Session.builder().appName('normalizer').master('local').getOrCreate();
t.teardown(() => spark.stop());
const arr = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());
const df = () => spark.createDataFrame([{ dense: Vectors.dense([3.0, -4.0]), sparse: Vectors.sparse(4, { 1: 4.0, 3: 3.0 }) }]);

t.test("Spark's doctest", async (t) => {
  const n = new Normalizer({ p: 2.0 }).setInputCol('dense').setOutputCol('features');
  const f = (await n.transform(df()).collect())[0]!.features;
  t.ok(f instanceof DenseVector);
  t.same(arr(f), [0.6, -0.8]);
  const s = (await n.setInputCol('sparse').setOutputCol('freqs').transform(df()).collect())[0]!.freqs;
  t.ok(s instanceof SparseVector);
  t.equal(String(s), '(4,[1,3],[0.8,0.6])');
  const p1 = new Normalizer({ p: 1.0, inputCol: 'dense', outputCol: 'vector' });
  t.same(arr((await p1.transform(df()).collect())[0]!.vector), [3 / 7, -4 / 7]);
});

t.test('ML guide example: p = 1 and p = Infinity', async (t) => {
  const df = spark.createDataFrame([[1.0, 0.5, -1.0], [2.0, 1.0, 1.0], [4.0, 10.0, 2.0]].map((v, id) => ({ id, features: Vectors.dense(v) })));
  const n = new Normalizer({ inputCol: 'features', outputCol: 'normFeatures', p: 1.0 });
  t.same((await n.transform(df).collect()).map((r) => arr(r.normFeatures)), [[0.4, 0.2, -0.4], [0.5, 0.25, 0.25], [0.25, 0.625, 0.125]]);
  n.setP(Infinity);
  t.same((await n.transform(df).collect()).map((r) => arr(r.normFeatures)), [[1.0, 0.5, -1.0], [1.0, 0.5, 0.5], [0.4, 1.0, 0.2]]);
});

t.test('defaults, p = Infinity, a zero vector stays zero, null rows stay null', async (t) => {
  const n = new Normalizer();
  t.equal(n.getP(), 2);
  t.equal(n.getOutputCol(), `${n.uid}__output`);
  const d = spark.createDataFrame([{ v: Vectors.dense([3, -4]) }, { v: Vectors.dense([0, 0]) }, { v: null }], 'v vector');
  const out = (await new Normalizer({ inputCol: 'v', outputCol: 'o', p: Infinity }).transform(d).collect()).map((r) => (r.o === null ? null : arr(r.o)));
  t.same(out, [[0.75, -1], [0, 0], null]);
  t.same(arr(new Normalizer({ p: 3 }).normalize(Vectors.dense([1, 1]))), [1 / Math.cbrt(2), 1 / Math.cbrt(2)]);
});

t.test('persistence: metadata only, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const n = new Normalizer({ inputCol: 'dense', outputCol: 'o', p: Infinity });
  await n.save(join(dir, 'n'));
  const text = readFileSync(join(dir, 'n', 'metadata', 'part-00000'), 'utf8');
  t.equal(JSON.parse(text).class, 'org.apache.spark.ml.feature.Normalizer');
  t.match(text, /"p":"Inf"/);
  const back = await Normalizer.load(join(dir, 'n'));
  t.equal(back.getP(), Infinity);
  const pm = await new Pipeline({ stages: [new Normalizer({ inputCol: 'dense', outputCol: 'o', p: 1 })] }).fit(df());
  await pm.save(join(dir, 'p'));
  t.same(arr((await (await PipelineModel.load(join(dir, 'p'))).transform(df()).collect())[0]!.o), [3 / 7, -4 / 7]);
});

t.test('bad input and empty DataFrame', async (t) => {
  t.throws(() => new Normalizer({ p: 0.5 }), /Normalizer: expected a number >= 1 for p, got 0.5/);
  t.throws(() => new Normalizer({ inputCol: 'x' }).transform(spark.createDataFrame([{ x: 1 }])), /must be a vector column, but is bigint|must be a vector column/);
  t.same(await new Normalizer({ inputCol: 'dense', outputCol: 'o' }).transform(df().limit(0)).collect(), []);
});

t.test('local and local[2] agree', async (t) => {
  const rows = Array.from({ length: 20 }, (_, i) => ({ v: i % 2 ? Vectors.dense([i, 1, -2]) : Vectors.sparse(3, [i % 3], [i + 1]) }));
  const [a, b] = await onBothMasters(spark, async (s) => (await new Normalizer({ inputCol: 'v', outputCol: 'o' }).transform(s.createDataFrame(rows).repartition(3)).collect()).map((r) => String(r.o)));
  t.equal(a.length, 20);
  t.same(b, a);
});
