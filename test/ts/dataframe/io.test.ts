// Readers and writers through the DataFrame API: iris describe()/summary() against pandas,
// round trips in every format, save modes, Spark-written Parquet, and bad files.
import t from 'tap';
import { readFileSync, writeFileSync, readdirSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Session, col, functions as F } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('io-test').master('local').getOrCreate();
t.teardown(() => spark.stop());
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const iris = join(fixtures, 'data', 'iris.csv');
const pandas = JSON.parse(readFileSync(join(fixtures, 'data', 'iris-describe.pandas.json'), 'utf8')) as Record<string, Record<string, number> & { q_inverted_cdf: Record<string, number> }>;

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

t.test('describe() on iris equals pandas to 1e-9 (sample stddev, as Spark)', async (t) => {
  const df = await spark.read.csv(iris, { header: true, inferSchema: true });
  t.same(df.dtypes, [['sepal_length', 'double'], ['sepal_width', 'double'], ['petal_length', 'double'], ['petal_width', 'double'], ['species', 'string']]);
  const rows = await df.describe().collect();
  t.same(rows.map((r) => r.summary), ['count', 'mean', 'stddev', 'min', 'max']);
  for (const c of Object.keys(pandas)) {
    const p = pandas[c]!;
    t.equal(rows[0]![c], '150');
    t.ok(close(Number(rows[1]![c]), p.mean!), `${c} mean ${rows[1]![c]} vs ${p.mean}`);
    t.ok(close(Number(rows[2]![c]), p.std!), `${c} stddev ${rows[2]![c]} vs ${p.std}`);
    t.equal(Number(rows[3]![c]), p.min);
    t.equal(Number(rows[4]![c]), p.max);
  }
  // Spark's own printout of the same numbers (Java Double.toString of the same sums)
  t.equal(rows[1]!.sepal_length, '5.843333333333335');
  t.equal(rows[2]!.sepal_length, '0.8280661279778637');
  t.same([rows[3]!.species, rows[4]!.species], ['setosa', 'virginica']);
  t.same([rows[1]!.species, rows[2]!.species], [null, null]);
  const only = await df.describe('petal_width').collect();
  t.same(Object.keys(only[0]!), ['summary', 'petal_width']);
});

t.test('summary() quartiles are Spark\'s percentile_approx (the inverted-CDF order statistic on small data)', async (t) => {
  const df = await spark.read.csv(iris, { header: true, inferSchema: true });
  const rows = await df.summary().collect();
  t.same(rows.map((r) => r.summary), ['count', 'mean', 'stddev', 'min', '25%', '50%', '75%', 'max']);
  for (const c of Object.keys(pandas)) {
    const q = pandas[c]!.q_inverted_cdf;
    t.same([Number(rows[4]![c]), Number(rows[5]![c]), Number(rows[6]![c])], [q['0.25'], q['0.5'], q['0.75']], c);
  }
  const custom = await df.summary('count', '10%', 'max').collect();
  t.same(custom.map((r) => r.summary), ['count', '10%', 'max']);
  t.throws(() => df.summary('median'), /expected count, mean, stddev, min, max, count_distinct or a percentile/);
});

t.test('Parquet round trip, filter pushdown, column pruning, save modes', async (t) => {
  const dir = t.testdir();
  const df = await spark.read.csv(iris, { header: true, inferSchema: true });
  const out = join(dir, 'iris.parquet');
  const files = await df.filter(col('sepal_length').gt(5)).write.parquet(out);
  t.equal(files.length, 1);
  t.ok(readdirSync(out).includes('_SUCCESS'));
  const back = await spark.read.parquet(out);
  t.same(back.dtypes, df.dtypes);
  t.equal(await back.count(), 118);
  const q = back.filter(col('species').eq('setosa')).select('sepal_length');
  t.match(q.explain(), /FileScan parquet .* \[sepal_length, species\] PushedFilters: \[=\(species, "setosa"\)\]/);
  t.equal(await q.count(), 22);
  // modes
  await t.rejects(df.write.parquet(out), /already exists/);
  await df.write.mode('ignore').parquet(out);
  t.equal(await (await spark.read.parquet(out)).count(), 118);
  await df.write.mode('append').parquet(out);
  t.equal(await (await spark.read.parquet(out)).count(), 268);
  await df.limit(3).write.mode('overwrite').parquet(out);
  t.equal(await (await spark.read.parquet(out)).count(), 3);
  t.throws(() => df.write.mode('sometimes'), /expected overwrite, append, error, errorifexists, ignore for mode/);
});

t.test('CSV, JSON lines and Arrow IPC round trips keep values and types', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame([
    { name: 'a,b', n: 1, x: 0.5, ok: true, tags: null },
    { name: 'q"uote', n: null, x: -1e-7, ok: false, tags: null },
  ], 'name string, n int, x double, ok boolean, tags string');
  await df.write.option('header', true).csv(join(dir, 'c'));
  const c = await spark.read.csv(join(dir, 'c'), { header: true, inferSchema: true });
  t.same(c.dtypes, [['name', 'string'], ['n', 'int'], ['x', 'double'], ['ok', 'boolean'], ['tags', 'string']]);
  t.same(await c.collect(), await df.collect());
  await df.write.json(join(dir, 'j'));
  const j = await spark.read.json(join(dir, 'j'));
  t.same(await j.select('name', 'n', 'x', 'ok').collect(), (await df.collect()).map(({ name, n, x, ok }) => ({ name, n, x, ok })));
  await df.write.arrow(join(dir, 'a'));
  const a = await spark.read.arrow(join(dir, 'a'));
  t.same(a.dtypes, df.dtypes);
  t.same(await a.collect(), await df.collect());
});

t.test('CSV modes through spark.read: FAILFAST names the row and column, DROPMALFORMED drops, PERMISSIVE keeps the record', async (t) => {
  const dir = t.testdir({ 'bad.csv': 'id,price\n1,10.5\n2,abc\n3,7\n' });
  const file = join(dir, 'bad.csv');
  const failfast = await spark.read.schema('id int, price double').csv(file, { header: true, mode: 'FAILFAST' });
  await t.rejects(failfast.collect(), /abc.*price|price.*abc/);
  const drop = await spark.read.schema('id int, price double').csv(file, { header: true, mode: 'DROPMALFORMED' });
  t.same(await drop.collect(), [{ id: 1, price: 10.5 }, { id: 3, price: 7 }]);
  const perm = await spark.read.schema('id int, price double, _corrupt_record string').csv(file, { header: true });
  t.same(await perm.collect(), [
    { id: 1, price: 10.5, _corrupt_record: null },
    { id: 2, price: null, _corrupt_record: '2,abc' },
    { id: 3, price: 7, _corrupt_record: null },
  ]);
});

t.test('Spark-written Parquet reads: KMeans centres, multi-part RandomForest', async (t) => {
  const shared = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models');
  const km = await spark.read.parquet(join(shared, 'kmeans-k100-3.3.1', 'data'));
  t.same(km.dtypes, [['clusterIdx', 'int'], ['clusterCenter', 'vector']]);
  t.equal(await km.count(), 100);
  t.same((await km.agg(F.min('clusterIdx').alias('lo'), F.max('clusterIdx').alias('hi')).collect())[0], { lo: 0, hi: 99 });
  const rf = await spark.read.parquet(join(shared, 'pipeline-randomforest-2.4.4', 'stages', '0_RandomForestClassifier_59755220f858', 'data'));
  t.equal(await rf.select('treeID').distinct().count(), 20);
});

t.test('bad files: truncated Parquet and missing paths name the file', async (t) => {
  const dir = t.testdir();
  const df = spark.range(1000).withColumn('x', col('id').multiply(2));
  const out = join(dir, 'p');
  await df.write.parquet(out);
  const part = readdirSync(out).find((f) => f.endsWith('.parquet'))!;
  truncateSync(join(out, part), Math.floor(statSync(join(out, part)).size / 2));
  await t.rejects(async () => (await spark.read.parquet(out)).collect(), new RegExp(`parquet: cannot read .*${part}`));
  await t.rejects(spark.read.csv(join(dir, 'nope.csv')), /nope\.csv/);
  writeFileSync(join(dir, 'x.parquet'), 'not parquet at all');
  await t.rejects(async () => (await spark.read.parquet(join(dir, 'x.parquet'))).collect(), /x\.parquet/);
});
