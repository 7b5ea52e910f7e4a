/**
 * npm run demo — the DataFrame tour on the embedded defaults (local[N], files under a temp dir):
 * ingest a CSV with schema inference, describe it, aggregate, filter, write Parquet
 * atomically, read it back with a pushed-down filter, join, and sort.
 *
 *   KINDLING_MASTER=local[2] npx tsx examples/dataframe.ts [path/to/file.csv]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, col, lit, functions as F } from '../ts/src/index.js';

const csv = process.argv[2] ?? join(import.meta.dirname, '..', 'test', 'fixtures', 'data', 'iris.csv');
const spark = await Session.builder().appName('dataframe-tour').master(process.env.KINDLING_MASTER ?? 'local[2]').getOrCreate();
const out = mkdtempSync(join(tmpdir(), 'kindling-demo-'));
try {
  const df = await spark.read.csv(csv, { header: true, inferSchema: true });
  console.log(`read ${csv}: ${await df.count()} rows`);
  df.printSchema();
  await df.describe().show();
  await df.summary('count', 'min', '25%', '50%', '75%', 'max').show();

  const bySpecies = df
    .groupBy('species')
    .agg(F.count('*').alias('n'), F.avg('petal_length').alias('avg_petal'), F.max('sepal_length'), F.stddev('sepal_width'));
  await bySpecies.orderBy(col('avg_petal').desc()).show();

  const big = df.filter(col('petal_length').gt(4).and(col('species').ne('setosa')))
    .withColumn('ratio', F.round(col('petal_length').divide(col('petal_width')), 3))
    .withColumn('size', F.when(col('sepal_length').geq(6.5), lit('large')).otherwise(lit('medium')));
  const path = join(out, 'big-petals.parquet');
  await big.write.mode('overwrite').parquet(path);
  const back = await spark.read.parquet(path);
  const virginica = back.filter(col('species').eq('virginica')).select('species', 'ratio', 'size');
  console.log(virginica.explain());
  await virginica.groupBy('size').count().orderBy('size').show();

  const names = spark.createDataFrame([
    { species: 'setosa', common_name: 'bristle-pointed iris' },
    { species: 'versicolor', common_name: 'blue flag' },
    { species: 'virginica', common_name: 'Virginia iris' },
  ]);
  await bySpecies.join(names, 'species').select('species', 'common_name', 'n').orderBy('species').show(10, false);
  const [train, test] = df.randomSplit([0.8, 0.2], 42);
  console.log(`randomSplit(0.8, 0.2, seed 42): ${await train!.count()} + ${await test!.count()} rows`);
} finally {
  rmSync(out, { recursive: true, force: true });
  await spark.stop();
}
