/**
 * npm run demo — the clustering scenario on real data shipped with the package (data/cars.csv,
 * the vega-datasets cars table), on the embedded defaults (local[N]):
 *
 *   ingest and describe() → fill missing values (Imputer, median) → assemble and scale features →
 *   k from the data (the number of distinct origins) → KMeans (euclidean and cosine) and a
 *   Gaussian mixture → silhouette of each with both distance measures → cluster sizes,
 *   training cost and log-likelihood — with a progress bar while fitting. Each model is a tracked
 *   run in the file store (MLflow's layout: params, metrics, the model with its signature); the
 *   best by silhouette is registered, moved to Production, loaded back by its models:/ URI and
 *   scores raw rows, as a served model would.
 *
 *   KINDLING_MASTER=local[2] MLFLOW_TRACKING_URI=./mlruns npx tsx examples/clustering.ts [path/to/cars.csv] [--rows N]
 *   npx kindling server --backend-store-uri ./mlruns     # then open http://127.0.0.1:5000
 *
 * Copy it as a starting point: every step is the public API of `kindling` and `kindling/ml`.
 */
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { Session, col } from '../ts/src/index.js';
import {
  Imputer, VectorAssembler, StandardScaler, KMeans, GaussianMixture, ClusteringEvaluator, PipelineModel, loadModel, tracking, type Model, type ProgressEvent,
} from '../ts/ml/index.js';

const args = process.argv.slice(2);
const rowsAt = args.indexOf('--rows');
const maxRows = rowsAt >= 0 ? Number(args[rowsAt + 1]) : undefined;
const csv = args.find((a, i) => !a.startsWith('--') && (rowsAt < 0 || i !== rowsAt + 1)) ?? join(import.meta.dirname, '..', 'data', 'cars.csv');
const quiet = !process.stderr.isTTY || process.env.KINDLING_PROGRESS === '0';

const spark = await Session.builder().appName('clustering-demo').master(process.env.KINDLING_MASTER ?? 'local[2]').getOrCreate();

/** A progress bar over fit events (iterations of an estimator). */
function progress(label: string): { onProgress: (e: ProgressEvent) => void; stop: () => void } {
  if (quiet) {
    let last = 0;
    return {
      onProgress: (e) => {
        if (e.kind === 'iteration') last = e.current;
      },
      stop: () => console.log(`${label}: ${last} iterations`),
    };
  }
  const bar = new cliProgress.SingleBar({ format: `${label.padEnd(28)} [{bar}] {value}/{total} iterations {message}`, hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress: (e) => {
      if (e.kind !== 'iteration') return;
      if (!started) {
        bar.start(e.total, 0, { message: '' });
        started = true;
      }
      bar.update(e.current, { message: e.message ?? '' });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

try {
  let cars = await spark.read.csv(csv, { header: true, inferSchema: true });
  if (maxRows !== undefined) cars = cars.limit(maxRows);
  console.log(`read ${csv}: ${await cars.count()} cars`);
  cars.printSchema();
  const numeric = ['Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration'];
  await cars.describe(...numeric).show();

  // a missing feature is filled with its column's median (Spark's Imputer), a fitted stage of the
  // logged pipeline, so raw rows with gaps score too
  const incomplete = await cars.filter(numeric.map((c) => col(c).isNull()).reduce((a, b) => a.or(b))).count();
  const filled = numeric.map((c) => `${c}_filled`);
  const imputer = await new Imputer({ inputCols: numeric, outputCols: filled, strategy: 'median' }).fit(cars);
  const complete = imputer.transform(cars).cache();
  const k = await complete.select('Origin').distinct().count();
  console.log(`${incomplete} rows with a missing feature, filled with the medians [${numeric.map((c) => imputer.surrogates.get(c)).join(', ')}]; k = ${k} (distinct values of Origin)`);

  const assembler = new VectorAssembler({ inputCols: filled, outputCol: 'raw' });
  const assembled = assembler.transform(complete);
  const scaler = await new StandardScaler({ inputCol: 'raw', outputCol: 'features', withMean: true, withStd: true }).fit(assembled);
  const features = scaler.transform(assembled).cache();

  // every model is a run in the tracking store (MLFLOW_TRACKING_URI, default ./mlruns)
  const experiment = await tracking.setExperiment('cars-clustering');
  console.log(`tracking to ${tracking.getTrackingUri()}, experiment ${experiment.name} (${experiment.experimentId})`);
  // the input example (the signature's source): complete rows and, when there is one, a row without
  // Miles_per_Gallon, which makes that column optional (MLflow's inference), so such rows score too
  const gappy = cars.filter(col('Miles_per_Gallon').isNull()).select(...numeric).limit(1);
  const example = cars.na.drop({ subset: numeric }).select(...numeric).limit(4).union(gappy);
  /** Logs the features pipeline ending in `model` (raw columns in, cluster out) with its metrics. */
  const logRun = async (params: Record<string, string | number>, metrics: Record<string, number>, model: Model) => {
    await tracking.logParams(params);
    await tracking.logMetrics(metrics);
    await tracking.logModel(new PipelineModel([imputer, assembler, scaler, model]), 'model', { inputExample: example });
  };

  const silhouettes = async (predictions: typeof features) => {
    const out: Record<string, number> = {};
    for (const measure of ['squaredEuclidean', 'cosine'] as const) {
      out[measure] = await new ClusteringEvaluator({ distanceMeasure: measure }).evaluate(predictions);
    }
    return out;
  };

  for (const distanceMeasure of ['euclidean', 'cosine'] as const) {
    await tracking.withRun({ runName: `kmeans-${distanceMeasure}` }, async () => {
      const p = progress(`KMeans (${distanceMeasure})`);
      const model = await new KMeans({ k, seed: 1, distanceMeasure, maxIter: 50 }).fit(features, undefined, { onProgress: p.onProgress });
      p.stop();
      const s = model.summary;
      console.log(`KMeans ${distanceMeasure}: cluster sizes [${s.clusterSizes.join(', ')}], training cost ${s.trainingCost.toFixed(4)}, ${s.numIter} iterations`);
      const sil = await silhouettes(model.transform(features));
      console.log(`  silhouette: squaredEuclidean ${sil.squaredEuclidean!.toFixed(4)}, cosine ${sil.cosine!.toFixed(4)}`);
      await logRun({ estimator: 'KMeans', k, distanceMeasure, seed: 1, maxIter: 50 }, { training_cost: s.trainingCost, iterations: s.numIter, silhouette: sil.squaredEuclidean!, silhouette_cosine: sil.cosine! }, model);
    });
  }

  const gmm = await tracking.withRun({ runName: 'gaussian-mixture' }, async () => {
    const p = progress('GaussianMixture');
    const model = await new GaussianMixture({ k, seed: 1 }).fit(features, undefined, { onProgress: p.onProgress });
    p.stop();
    const gs = model.summary;
    console.log(`GaussianMixture: cluster sizes [${gs.clusterSizes.join(', ')}], log-likelihood ${gs.logLikelihood.toFixed(4)}, ${gs.numIter} iterations`);
    console.log(`  weights [${Array.from(model.weights, (w: number) => w.toFixed(3)).join(', ')}]`);
    const gsil = await silhouettes(model.transform(features));
    console.log(`  silhouette: squaredEuclidean ${gsil.squaredEuclidean!.toFixed(4)}, cosine ${gsil.cosine!.toFixed(4)}`);
    await logRun({ estimator: 'GaussianMixture', k, seed: 1 }, { log_likelihood: gs.logLikelihood, iterations: gs.numIter, silhouette: gsil.squaredEuclidean!, silhouette_cosine: gsil.cosine! }, model);
    return model;
  });

  // the best run of this experiment by silhouette: registered, promoted, loaded back, scoring raw rows
  const [best] = await tracking.searchRuns({ filter: "attributes.status = 'FINISHED'", orderBy: ['metrics.silhouette DESC'], maxResults: 1 });
  const version = await tracking.registerModel(`runs:/${best!.info.runId}/model`, 'cars-clusters');
  await tracking.transitionModelVersionStage('cars-clusters', version.version, 'Production', { archiveExistingVersions: true });
  console.log(`best run ${best!.info.runName} (silhouette ${best!.data.metrics.silhouette!.toFixed(4)}) registered as cars-clusters version ${version.version}, now in Production`);
  const served = await loadModel('models:/cars-clusters/Production');
  const rows = [...(await example.limit(2).collect()), ...(await gappy.collect())];
  const gap = rows.length > 2 ? ' (the last without Miles_per_Gallon)' : '';
  console.log(`  models:/cars-clusters/Production scores ${rows.length} raw rows${gap}: [${(await served.predict(rows)).join(', ')}]`);

  // how the clusters line up with the origins
  const byOrigin = (await gmm.transform(features).groupBy('Origin', 'prediction').count().orderBy('Origin', 'prediction').collect())
    .map((r) => `${r.Origin}→${r.prediction}: ${r.count}`);
  console.log(`  origin → cluster: ${byOrigin.join(', ')}`);
} finally {
  await spark.stop();
}
