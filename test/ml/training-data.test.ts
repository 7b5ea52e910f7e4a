// Training data stays where it lives (ml/data/instances.ts): a fit packs its partitions once on
// the executors and every iteration moves only broadcast state and summaries, so the bytes moved
// per KMeans iteration do not grow with the rows; bad rows are named over the whole DataFrame.
import t from 'tap';
import { Session } from '../../ts/src/index.js';
import { KMeans, KMeansModel, Vectors } from '../../ts/ml/index.js';
import { prepareInstances } from '../../ts/ml/data/instances.js';
import { gaussian, mulberry32 } from '../reference/rng.js';

const d = 4;
function points(n: number): Float64Array {
  const g = gaussian(mulberry32(n));
  return new Float64Array(n * d).map(() => g());
}

t.test('local[2]: bytes moved per KMeans iteration do not grow with the number of rows', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const perIteration: Array<{ n: number; to: number[]; from: number[] }> = [];
  for (const n of [60_000, 240_000]) {
    const x = points(n);
    const rows = Array.from({ length: n }, (_, i) => ({ features: Array.from(x.subarray(i * d, (i + 1) * d)) }));
    const df = spark.createDataFrame(rows.slice(0, 1)).limit(0).union(spark.createDataFrame(rows)).cache();
    t.equal(await df.count(), n);
    const marks: Array<{ to: number; from: number }> = [];
    await new KMeans({ k: 3, seed: 1, maxIter: 6, tol: 0, initMode: 'random' }).fit(df, undefined, {
      onProgress: () => marks.push({ to: spark.metrics.bytesToExecutors, from: spark.metrics.bytesFromExecutors }),
    });
    const to = marks.slice(1).map((m, i) => m.to - marks[i]!.to);
    const from = marks.slice(1).map((m, i) => m.from - marks[i]!.from);
    perIteration.push({ n, to, from });
  }
  const [small, large] = perIteration;
  t.equal(small!.to.length, 5, 'six iterations: five intervals');
  t.same(large!.to, small!.to, 'bytes sent per iteration are the same for 4x the rows');
  t.same(large!.from, small!.from, 'bytes received per iteration are the same for 4x the rows');
  // k x d centres (and a few numbers) per task, never rows: far below one row per task
  t.ok(small!.to.every((b) => b > 0 && b < 2 * 3 * d * 8 * 2 + 512), `per iteration: ${small!.to.join(', ')} bytes out, ${small!.from.join(', ')} back`);
});

for (const master of ['local', 'local[2]']) {
  t.test(`${master}: prepared data is checked once and names the first bad row over the whole DataFrame`, async (t) => {
    const spark = await Session.builder().master(master).getOrCreate();
    t.teardown(() => spark.stop());
    const make = (f: (i: number) => number[], extra: (i: number) => Record<string, unknown> = () => ({})) => spark.createDataFrame(Array.from({ length: 30 }, (_, i) => ({ id: i, features: f(i), w: 1, ...extra(i) })), 'id int, features array<double>, w double').repartition(3);
    const base = (i: number) => [i + 0.5, (i % 7) + 0.5, 1.5];
    const df = make(base);
    const data = await prepareInstances('Test', df, { featuresCol: 'features', emptyMessage: 'x' });
    t.equal(data.n, 30);
    t.equal(data.d, 3);
    t.same(data.rowBases[0], 0);
    const firstRows = await data.gather([0, data.n - 1, 0]);
    const order = await df.select('id').collect();
    t.same(Array.from(firstRows.subarray(0, 3)), base(order[0]!.id as number), 'gather returns rows in partition order');
    t.same(Array.from(firstRows.subarray(3, 6)), base(order[29]!.id as number));
    t.same(Array.from(firstRows.subarray(6, 9)), Array.from(firstRows.subarray(0, 3)));
    data.release();
    // a NaN in the 3rd partition: its row number counts the rows of the partitions before it
    const bad = make((i) => (i === 25 ? [NaN, 1.5, 1.5] : base(i)));
    const ids = (await bad.select('id').collect()).map((r) => r.id);
    const at = ids.indexOf(25);
    await t.rejects(new KMeans({ k: 2 }).fit(bad), { code: 'ERR_KINDLING_INVALID_ARG', message: new RegExp(`^KMeans: row ${at} of column features has a non-finite value \\(NaN\\) at index 0; features must be finite numbers$`) });
    await t.rejects(new KMeans({ k: 2, distanceMeasure: 'cosine' }).fit(make((i) => (i === 3 ? [0.0, -0.0, 0.0] : base(i)))), { message: new RegExp(`^KMeans: row ${ids.indexOf(3)} of column features is a zero vector, for which the cosine distance is undefined$`) });
    await t.rejects(new KMeans({ k: 2 }).fit(df.filter(df.col('id').lt(0))), { message: /^KMeans: the DataFrame has no rows \(column features\); clustering needs at least one point$/ });
    const mixed = spark.createDataFrame([{ features: [1, 2, 3] }]).union(spark.createDataFrame([{ features: [1, 2] }]));
    await t.rejects(new KMeans({ k: 2 }).fit(mixed), { message: /^KMeans: row 1 of column features has 2 features, but earlier rows have 3; all feature vectors must have one size$/ });
    const weighted = make(base, (i) => ({ w: i === 12 ? -1 : 1 }));
    const wAt = ids.indexOf(12);
    await t.rejects(new KMeans({ k: 2, weightCol: 'w' }).fit(weighted), { message: new RegExp(`^KMeans: row ${wAt} of weight column w is -1: Weights MUST NOT be Negative or Infinity$`) });
  });
}

t.test('local: the first bad row of a partition is named, whatever check it fails (fit, and a model transform, which reads rows alike)', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const one = (rows: Array<Array<number | null> | null>) => spark.createDataFrame(rows.map((features) => ({ features })), 'features array<double>');
  const nanThenSize = one([[1, 2], [NaN, 2], [1, 2, 3]]);
  const sizeThenNull = one([[1, 2], [1, 2, 3], null]);
  const nanThenNullElement = one([[1, 2], [NaN, 2], [1, null]]);
  const vectors = spark.createDataFrame([{ features: Vectors.dense(1, 2) }, { features: Vectors.dense(Infinity, 2) }, { features: Vectors.dense(1, 2, 3) }], 'features vector');
  const nan = (api: string, v = 'NaN') => ({ message: new RegExp(`^${api}: row 1 of column features has a non-finite value \\(${v}\\) at index 0; features must be finite numbers$`) });
  const size = (api: string) => ({ message: new RegExp(`^${api}: row 1 of column features has 3 features, but earlier rows have 2; all feature vectors must have one size$`) });
  t.equal((await nanThenSize.collect()).length, 3);
  const km = new KMeans({ k: 2 });
  await t.rejects(km.fit(nanThenSize), nan('KMeans'), 'a NaN before a row of another size');
  await t.rejects(km.fit(sizeThenNull), size('KMeans'), 'a row of another size before a null row');
  await t.rejects(km.fit(nanThenNullElement), nan('KMeans'), 'a NaN before a null element');
  await t.rejects(km.fit(vectors), nan('KMeans', 'Infinity'), 'vector column: an Infinity before a row of another size');
  const model = new KMeansModel({ clusterCenters: [[0, 0], [1, 1]] });
  await t.rejects(model.transform(nanThenSize).collect(), nan('KMeansModel'));
  await t.rejects(model.transform(sizeThenNull).collect(), size('KMeansModel'));
  await t.rejects(model.transform(nanThenNullElement).collect(), nan('KMeansModel'));
  await t.rejects(model.transform(vectors).collect(), nan('KMeansModel', 'Infinity'));
  await t.rejects(model.transform(one([[1, 2, 3], [NaN, 2, 3]])).collect(), { message: /^KMeansModel: row 0 of column features has 3 features, but the model was fitted on 2$/ }, "the first row's size against the model's comes first");
});

t.test("local: a partition's first row is compared with earlier partitions before its own bad rows", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const part = (rows: number[][], w = rows.map(() => 1)) => spark.createDataFrame(rows.map((features, i) => ({ features, w: w[i]! })), 'features array<double>, w double');
  const df = part([[1, 2, 3], [4, 5, 6]]).union(part([[1, 2], [NaN, 2]]));
  const size = { message: /^KMeans: row 2 of column features has 2 features, but earlier rows have 3; all feature vectors must have one size$/ };
  await t.rejects(new KMeans({ k: 2 }).fit(df), size, 'the size of partition 2 before its NaN');
  await t.rejects(new KMeans({ k: 2, weightCol: 'w' }).fit(part([[1, 2, 3], [4, 5, 6]]).union(part([[1, 2]], [-1]))), size, 'the size of partition 2 before its bad weight');
});

t.test('local[2]: a model transform on the executors names the bad row over the DataFrame (or by partition after a filter)', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const n = 60_000;
  const rows = Array.from({ length: n }, (_, i) => ({ id: i, features: i === 45_000 ? [NaN, 1.5] : [(i % 10) + 0.5, 1.5] }));
  const df = spark.createDataFrame(rows, 'id int, features array<double>');
  const clean = spark.createDataFrame(rows.slice(0, 100).map((r) => ({ ...r, features: [(r.id % 10) + 0.5, 1.5] })), 'id int, features array<double>');
  const model = await new KMeans({ k: 2, seed: 1 }).fit(clean);
  const ids = (await df.select('id').collect()).map((r) => r.id);
  await t.rejects(model.transform(df).count(), { message: new RegExp(`^KMeans: row ${ids.indexOf(45_000)} of column features has a non-finite value \\(NaN\\) at index 0`) });
  await t.rejects(model.transform(df.filter(df.col('id').geq(40_000))).count(), { message: /^KMeans: row \d+ of partition 1 of column features has a non-finite value \(NaN\) at index 0/ });
  t.equal(await model.transform(df.filter(df.col('id').lt(45_000))).count(), 45_000, 'the rows before the bad one transform');
});
