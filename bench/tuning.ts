/**
 * npm run bench:tuning — CrossValidator over a grid of 8 KMeans param maps (k x distanceMeasure),
 * 3 folds, with parallelism 1 and 2 on local[2], same data, same seed; prints the speed-up and
 * checks that both runs pick the same best params and metrics.
 *
 * What parallelism buys: a fit's Lloyd iterations run one task per partition on the pool, so a
 * fit over a DataFrame of fewer partitions than cores leaves cores idle between and during its
 * iterations; running two fits at once fills them. The data here is one partition of 60,000 x 8
 * (a typical small tuning set); with as many partitions as cores the pool is already full and
 * parallelism cannot help (run with KINDLING_BENCH_PARTITIONS=2 to see that case).
 */
import { Session } from '../ts/src/index.js';
import { CrossValidator, ParamGridBuilder, KMeans, ClusteringEvaluator, VectorAssembler } from '../ts/ml/index.js';
import { bar, report, saveResults, timeAsync } from './harness.js';
import { blobs } from './data.js';

const N = Number(process.env.KINDLING_BENCH_SIZE ?? 60_000);
const D = 8;
const PARTS = Number(process.env.KINDLING_BENCH_PARTITIONS ?? 1);
const spark = await Session.builder().appName('bench-tuning').master('local[2]').getOrCreate();
console.log(`# CrossValidator bench: ${N.toLocaleString()} x ${D}, ${PARTS} partition(s), grid of 8, 3 folds, master local[2], node ${process.version}`);

const x = blobs(N, D, 6, 11);
const columns: Record<string, Float64Array> = {};
for (let j = 0; j < D; j++) columns[`x${j}`] = Float64Array.from({ length: N }, (_, i) => x[i * D + j]!);
const raw = spark.createDataFrame(columns).repartition(PARTS);
const df = new VectorAssembler({ inputCols: Object.keys(columns), outputCol: 'features' }).transform(raw).select('features').repartition(PARTS).cache();
await df.count();

const kmeans = new KMeans({ maxIter: 10, seed: 7, initMode: 'random' });
const grid = new ParamGridBuilder().addGrid(kmeans.k, [3, 4, 5, 6]).addGrid(kmeans.distanceMeasure, ['euclidean', 'cosine']).build();
const results: Record<string, unknown> = { size: N, d: D, partitions: PARTS, grid: grid.length };
const runs: Record<number, { best: string; metrics: number[] }> = {};
const rows = [];
for (const parallelism of [1, 2]) {
  const cv = new CrossValidator({ estimator: kmeans, estimatorParamMaps: grid, evaluator: new ClusteringEvaluator(), numFolds: 3, seed: 5, parallelism });
  rows.push(await timeAsync(`CrossValidator parallelism ${parallelism}`, async () => {
    const m = await cv.fit(df);
    runs[parallelism] = { best: m.bestModel.explainParam('k') + ' ' + m.bestModel.explainParam('distanceMeasure'), metrics: m.avgMetrics };
  }, { reps: 3, warmup: 1 }));
}
report('CrossValidator, grid of 8 KMeans param maps, 3 folds', rows, { baseline: rows[0]!.name });
const same = runs[1]!.best === runs[2]!.best && runs[1]!.metrics.every((v, i) => Math.abs(v - runs[2]!.metrics[i]!) < 1e-12);
console.log(`# same best model and avgMetrics with parallelism 1 and 2: ${same}`);
const speedup = rows[0]!.medianMs / rows[1]!.medianMs;
const b = bar('CrossValidator parallelism 2 >= 1.6x parallelism 1 (grid of 8)', speedup >= 1.6 && same, `${speedup.toFixed(2)}x`);
results.rows = rows;
results.bars = [b];
console.log(`# results: ${saveResults('tuning', results)}`);
await spark.stop();
